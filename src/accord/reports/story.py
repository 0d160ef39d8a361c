"""Why talks ended as they did, in sentences a mediator reads first, from a session's events.

:func:`why_no_agreement` names who walked out (and why), who said no to what in the
last round anyone did, how often each delegation said no over the talks, and the
deadline. It reads only the events every protocol records: a closing event named after
the reason, ``walk-out`` data (``walkers``, ``explanation``), and answers carrying
``accept`` (votes and responses); an offer left standing in alternating offers is
reported with the delegations that had not accepted it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from accord.protocols import Event
from accord.session import SessionResult

__all__ = ["why_no_agreement"]

#: How talks that ended for each reason are said to have ended.
_ENDINGS = {
    "rejected": "the final text was voted down",
    "walk-out": "a delegation walked away",
    "no-overlap": "the sealed bids never overlapped",
}

#: What each answer-carrying event kind is called in a sentence.
_ANSWERED = {"vote": "the text put to the vote", "response": "the proposal put to them"}


def _names(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _answers(events: Sequence[Event]) -> list[Event]:
    return [event for event in events if "accept" in event.data]


def _standing_offer(result: SessionResult) -> str | None:
    """Alternating offers: the last offer and the delegations that had not accepted it."""
    last = max((index for index, event in enumerate(result.events) if event.kind == "offer"), default=None)
    if last is None or result.protocol.split("-v")[0] != "alternating-offers":
        return None
    offer = result.events[last]
    accepted = {event.actor for event in result.events[last + 1 :] if event.kind == "accept"}
    holding_out = [party for party in result.parties if party != offer.actor and party not in accepted]
    if not holding_out:
        return None
    return (
        f"The last offer on the table, from {offer.actor} in round {offer.round}, "
        f"was not accepted by {_names(holding_out)}."
    )


def why_no_agreement(result: SessionResult) -> list[str]:
    """Sentences saying why ``result`` ended without agreement (empty after an agreement).

    >>> from types import SimpleNamespace
    >>> from accord.protocols import Event
    >>> events = (Event(index=0, round=3, kind="vote", actor="north", data={"accept": False}),
    ...           Event(index=1, round=3, kind="vote", actor="south", data={"accept": True}),
    ...           Event(index=2, round=3, kind="rejected", data={"reason": "rejected"}))
    >>> talks = SimpleNamespace(agreement=None, reason="rejected", rounds=3, deadline=10, events=events,
    ...                         walk_outs={}, parties=("north", "south"), protocol="one-text-v1")
    >>> why_no_agreement(talks)[0]
    'The talks ended in round 3 of 10: the final text was voted down.'
    >>> why_no_agreement(talks)[1]
    'In round 3, north said no to the text put to the vote (south said yes).'
    """
    if result.agreement is not None:
        return []
    how = _ENDINGS.get(result.reason, result.reason)
    sentences = [f"The talks ended in round {result.rounds} of {result.deadline}: {how}."]
    if result.reason == "deadline":
        sentences[0] = (
            f"The deadline of {_plural(result.deadline, 'round')} passed with no package accepted by every "
            "delegation."
        )
    called = [event for event in result.events if event.kind == "vote-called"]
    if called:
        last = called[-1]
        if last.data.get("called_by") == "deadline":
            sentences.append(f"The deadline (round {result.deadline}) called the vote.")
        else:
            sentences.append(
                f"{last.actor or 'The mediator'} called the vote in round {last.round} "
                f"(the deadline was round {result.deadline})."
            )
    for event in result.events:
        if event.kind == "walk-out":
            walkers = [str(name) for name in event.data.get("walkers", ()) or (event.actor,)]
            explanation = str(event.data.get("explanation", "")).strip()
            sentences.append(
                f"{_names(walkers)} walked away in round {event.round}"
                + (f": “{explanation}”." if explanation else ".")
            )
    for seat, reason in result.walk_outs.items():
        sentences.append(f"The agent for {seat} failed and was taken to walk away: {reason}.")
    answers = _answers(result.events)
    refusals = [event for event in answers if not event.data["accept"]]
    if refusals:
        last_round = refusals[-1].round
        that_round = [event for event in answers if event.round == last_round]
        kind = refusals[-1].kind
        no = list(dict.fromkeys(event.actor for event in that_round if not event.data["accept"]))
        yes = list(dict.fromkeys(event.actor for event in that_round if event.data["accept"]))
        what = _ANSWERED.get(kind, "what was put to them")
        sentences.append(
            f"In round {last_round}, {_names(no)} said no to {what}"
            + (f" ({_names(yes)} said yes)." if yes else ".")
        )
        counts = Counter(event.actor for event in refusals)
        sentences.append(
            "Over the talks, each delegation said no: "
            + "; ".join(f"{party} {_plural(counts.get(party, 0), 'time')}" for party in result.parties)
            + "."
        )
    standing = _standing_offer(result)
    if standing is not None:
        sentences.append(standing)
    sentences.append("Without an agreement each delegation keeps its reservation value.")
    return sentences
