"""The one-text procedure (Fisher; Camp David, 1978): criticise the draft, never bargain over it.

Rules (``one-text-v1``), with a mediator seat:

* Phase ``draft``: the mediator :class:`~accord.protocols.actions.Propose` s a
  complete draft (public event ``draft``) or, once a draft exists,
  :class:`~accord.protocols.actions.CallVote` s.
* Phase ``criticise``: every delegation at once sends a
  :class:`~accord.protocols.actions.Critique`: per issue, the option it would
  prefer and how much it cares (intensity in ``[0, 1]``); no requests means no
  objection. Criticism is seen only by the mediator and its author; the
  mediator's observation lists the latest criticism per delegation in
  ``critiques`` (``{delegation: ((issue, value, intensity), ...)}``, read-only).
  That ends a round, and the mediator revises.
* After ``setup.rounds`` rounds, or on ``CallVote``: phase ``vote`` on the
  latest draft; every delegation :class:`~accord.protocols.actions.Vote` s
  (privately, to the mediator). Nothing is agreed until everything is agreed:
  unanimous yes → ``agreement`` on the draft, otherwise ``rejected``.
* :class:`~accord.protocols.actions.WalkAway` is open to every awaited seat in
  every phase: the talks end for everyone (``walk-out``, naming who left and
  why). The other delegations' criticism or votes of that step are recorded.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.actions import Critique, Propose, Vote
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), mediator="envoy", rounds=1)
>>> protocol = OneText()
>>> state = protocol.step(protocol.start(setup).state, {"envoy": Propose(("geneva",))}).state
>>> state = protocol.step(state, {"north": Critique((("venue", "oslo", 0.8),)), "south": Critique(())}).state
>>> dict(protocol.observe(state, "envoy").critiques)
{'north': (('venue', 'oslo', 0.8),), 'south': ()}
>>> protocol.observe(state, "south").critiques is None
True
>>> protocol.result(protocol.step(state, {"north": Vote(False), "south": Vote(True)}).state)
ProtocolResult(reason='rejected', agreement=None, rounds=1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from accord.domain import Agenda, Outcome
from accord.errors import ProtocolError
from accord.frozen import EMPTY
from accord.protocols.actions import Action, Critique, Propose, WalkAway
from accord.protocols.base import Event, Observation, ProtocolResult, Setup, Transition
from accord.protocols.journal import Journal
from accord.protocols.legality import (
    OutcomeIndex,
    call_vote,
    check_allowed,
    check_awaited,
    check_setup,
    closing,
    illegal,
    opening,
    outcome_index,
    record_votes,
    walk_out,
    walkers,
)

__all__ = ["OneText", "OneTextState"]
#: Builds an observation from all its fields in order (see "Hot records" in protocols.base).
_new_observation = tuple.__new__

_ALLOWED = {"criticise": ("critique", "walk-away"), "vote": ("vote", "walk-away"), "finished": ()}
_FIRST_DRAFT = ("propose", "walk-away")
_LATER_DRAFT = ("call-vote", "propose", "walk-away")


@dataclass(frozen=True, slots=True, kw_only=True)
class OneTextState:
    """The phase, the latest draft and the latest criticism from each delegation."""

    setup: Setup
    journal: Journal
    index: OutcomeIndex = field(compare=False, repr=False)
    phase: str = "draft"
    round: int = 0
    draft: Outcome | None = None
    critiques: Mapping[str, Critique] = field(default_factory=dict)
    result: ProtocolResult | None = None


class OneText:
    """The mediator drafts one text and redrafts it from private criticism; then a unanimous vote.

    The rules, who sees what and how the talks end are in the module's docstring.
    """

    id: str = "one-text-v1"
    needs_mediator: bool = True

    def start(self, setup: Setup) -> Transition[OneTextState]:
        check_setup(setup, protocol=self.id, needs_mediator=self.needs_mediator)
        journal, event = opening(Journal(setup.seats), setup, protocol=self.id)
        return Transition(
            OneTextState(setup=setup, journal=journal, index=outcome_index(setup.agenda)), (event,)
        )

    def pending(self, state: OneTextState) -> tuple[str, ...]:
        if state.phase == "draft":
            return (state.setup.mediator,)
        if state.phase == "finished":
            return ()
        return state.setup.delegations

    def observe(self, state: OneTextState, seat: str) -> Observation:
        if seat not in state.journal.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        critiques = None
        if seat == state.setup.mediator:
            critiques = MappingProxyType(
                {author: critique.requests for author, critique in state.critiques.items()}
            )
        # Every field in order: protocol, seat, round, rounds, phase, allowed, on_table, history,
        # text, original, candidates, critiques, shareable, moves_left, offered_by, acceptances,
        # stage, base, extra.
        fields = (
            self.id,
            seat,
            state.round,
            state.setup.rounds,
            state.phase,
            self._allowed(state) if seat in self.pending(state) else (),
            state.draft,
            state.journal.view(seat),
            None,
            None,
            None,
            critiques,
            (),
            None,
            "",
            0,
            "",
            "",
            EMPTY,
        )
        observation: Observation = _new_observation(Observation, fields)
        return observation

    def step(self, state: OneTextState, actions: Mapping[str, Action]) -> Transition[OneTextState]:
        check_awaited(self.pending(state), actions)
        allowed = self._allowed(state)
        for seat, action in actions.items():
            check_allowed(seat, action, allowed, phase=state.phase)
        if state.phase == "draft":
            return self._draft(state, actions[state.setup.mediator])
        if state.phase == "criticise":
            return self._criticise(state, actions)
        journal, events, unanimous = record_votes(state.journal, state.setup, actions, round=state.round)
        left = walkers(state.setup.delegations, actions)
        if left:
            return _walked_out(state, journal, actions, left, events)
        result = ProtocolResult(
            reason="agreement" if unanimous else "rejected",
            agreement=state.draft if unanimous else None,
            rounds=state.round,
        )
        journal, event = closing(journal, result, draft=state.draft)
        events.append(event)
        return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))

    def result(self, state: OneTextState) -> ProtocolResult | None:
        return state.result

    @staticmethod
    def _allowed(state: OneTextState) -> tuple[str, ...]:
        if state.phase == "draft":
            return _FIRST_DRAFT if state.draft is None else _LATER_DRAFT
        return _ALLOWED[state.phase]

    def _draft(self, state: OneTextState, action: Action) -> Transition[OneTextState]:
        mediator = state.setup.mediator
        if type(action) is WalkAway:
            return _walked_out(state, state.journal, {mediator: action}, (mediator,), [])
        if isinstance(action, Propose):
            draft = state.index.outcome(action.outcome, seat=mediator, action=action)
            journal, event = state.journal.record(
                round=state.round, kind="draft", actor=mediator, data={"draft": draft}
            )
            return Transition(replace(state, journal=journal, phase="criticise", draft=draft), (event,))
        journal, event = call_vote(state.journal, round=state.round, called_by=mediator, draft=state.draft)
        return Transition(replace(state, journal=journal, phase="vote"), (event,))

    def _criticise(self, state: OneTextState, actions: Mapping[str, Action]) -> Transition[OneTextState]:
        setup, journal = state.setup, state.journal
        events: list[Event] = []
        critiques = dict(state.critiques)
        for seat in setup.delegations:
            if type(actions[seat]) is WalkAway:
                continue
            critique = checked_critique(setup.agenda, actions[seat], seat=seat)
            critiques[seat] = critique
            journal, event = journal.record(
                round=state.round,
                kind="critique",
                actor=seat,
                data={"requests": critique.requests},
                visible_to=frozenset((setup.mediator, seat)),
            )
            events.append(event)
        left = walkers(setup.delegations, actions)
        if left:
            return _walked_out(state, journal, actions, left, events)
        next_state = replace(
            state, journal=journal, phase="draft", round=state.round + 1, critiques=critiques
        )
        if next_state.round >= setup.rounds:
            journal, event = call_vote(
                journal, round=next_state.round, called_by="deadline", draft=next_state.draft
            )
            events.append(event)
            next_state = replace(next_state, journal=journal, phase="vote")
        return Transition(next_state, tuple(events))


def checked_critique(agenda: Agenda, action: Action, *, seat: str) -> Critique:
    """The critique in canonical values, if each request names an issue, one of its options, an intensity."""
    if not isinstance(action, Critique):
        raise illegal(seat, action, "only a Critique is allowed while criticising")
    requests = []
    seen = set()
    for request in action.requests:
        try:
            issue_name, value, intensity = request
            issue = agenda.issue(issue_name)
            canonical = issue.values[issue.index_of(value)]
        except (KeyError, TypeError, ValueError) as error:
            reason = error.args[0] if isinstance(error, KeyError) and error.args else error
            raise illegal(seat, action, f"bad request {request!r}: {reason}") from None
        if issue_name in seen:
            raise illegal(seat, action, f"issue {issue_name!r} is criticised twice")
        seen.add(issue_name)
        if isinstance(intensity, bool) or not isinstance(intensity, int | float) or not 0 <= intensity <= 1:
            raise illegal(seat, action, f"intensity for {issue_name!r} must be in [0, 1], got {intensity!r}")
        requests.append((issue.name, canonical, float(intensity)))
    return Critique(tuple(requests))


def _walked_out(
    state: OneTextState,
    journal: Journal,
    actions: Mapping[str, Action],
    left: tuple[str, ...],
    events: list[Event],
) -> Transition[OneTextState]:
    journal, event, result = walk_out(journal, actions, left, round=state.round, draft=state.draft)
    events.append(event)
    return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))
