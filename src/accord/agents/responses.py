"""How a delegation answers whatever a protocol asks, given what it aims for right now.

Every delegation strategy in :mod:`accord.agents` reduces to two numbers and a
package at each turn: the *threshold* (the least it will sign now) and the
*proposal* (the package it would put forward now). :func:`respond` turns them into
the right action for the protocol's request (``observation.allowed``):

- ``accept`` / ``reject`` / ``vote``: yes when the package on the table is rational
  and worth at least the threshold (or, when the protocol says what the current
  text is, no worse than it for the party and still rational); a proposal that
  would replace an agreement already reached only when it is no worse than it;
- ``offer`` / ``message``: the proposal;
- ``vote``: as ``accept``, but at the deadline the threshold is the reservation value: a party
  signs anything rational rather than leave with nothing;
- ``critique``: nothing on a draft it would sign; else the issues where the draft costs it,
  each with the option it prefers and an intensity that softens as its threshold falls
  (:func:`critique`);
- ``accept-packages``: every rational package worth at least the threshold;
- otherwise ``wait``, and ``walk-away`` only when nothing else is allowed or no
  package is worth signing.

It never signs or proposes anything below the reservation value or across a red line.
"""

from __future__ import annotations

import numpy as np

from accord.agents.outcomes import OutcomeRanking, OwnUtility
from accord.domain import Outcome
from accord.protocols import (
    Accept,
    AcceptPackages,
    Action,
    Critique,
    Message,
    Observation,
    Offer,
    Reject,
    Vote,
    Wait,
    WalkAway,
)

__all__ = ["MAX_PACKAGES", "NOTHING_RATIONAL", "critique", "respond"]

#: At most this many packages go into a sealed blind bid (those closest above the threshold).
MAX_PACKAGES = 200

#: The reason a delegation gives when it walks away because it has nothing rational to offer.
NOTHING_RATIONAL = "no package is worth more to us than walking away"


def _yes(observation: Observation, own: OwnUtility, threshold: float) -> bool:
    package = observation.on_table
    if package is None:
        return False
    try:
        value, acceptable = own.assess(package)
        if not (acceptable and value >= own.reservation):  # own.rational, in one look-up
            return False
        standing = observation.original  # the agreement a proposal would replace (post-settlement)
        if standing is not None:
            return package != standing and value >= own.of(standing)
        if value >= threshold:
            return True
        current = observation.text  # the text in force (single text)
        return current is not None and current != package and value >= own.of(current)
    except KeyError:
        return False


def critique(own: OwnUtility, draft: Outcome, *, threshold: float | None = None) -> Critique:
    """What a party says of ``draft`` when it wants at least ``threshold`` (its reservation value at least).

    Per issue where the draft costs it something, the option it most prefers there (among those
    its single-issue red lines allow), costliest issue first. The intensity is the share of the
    party's utility range the draft costs it on that issue (weight × value loss), scaled down by
    the *pressure* ``shortfall / total loss`` so that the intensities add up to what the party
    still lacks: as its threshold falls, its criticism softens towards what it can live with, and
    a draft it can sign draws none. Without ``threshold`` the pressure is 1 (the full losses).
    Every issue of a red line the draft crosses gets intensity 1, and the other issues their full
    losses: no concession makes such a draft acceptable.

    >>> from accord.domain import Agenda, DiscreteIssue, Option, Preferences
    >>> from accord.preferences import party_utility
    >>> agenda = Agenda(tuple(DiscreteIssue(name, (Option("x"), Option("y"))) for name in "ab"))
    >>> values = {"a": {"x": 1.0, "y": 0.0}, "b": {"x": 1.0, "y": 0.0}}
    >>> own = OwnUtility(agenda, party_utility(agenda, Preferences({"a": 0.75, "b": 0.25}, values)))
    >>> critique(own, ("y", "y")).requests
    (('a', 'x', 0.75), ('b', 'x', 0.25))
    >>> critique(own, ("y", "y"), threshold=0.5).requests
    (('a', 'x', 0.375), ('b', 'x', 0.125))
    >>> critique(own, ("x", "y"), threshold=0.5).requests
    ()
    """
    choices = own.choices_of(draft)
    tables = own.utility.tables
    span = max(sum(float(np.ptp(table)) for table in tables), 1e-12)
    crossed: set[int] = set()
    for line in own.utility.red_lines:
        if all(forbidden[choices[position]] for position, forbidden in line.terms):
            crossed.update(position for position, _ in line.terms)
    wishes = []
    for position, (issue, table) in enumerate(zip(own.agenda.issues, tables, strict=True)):
        allowed = np.ones(table.shape[0], dtype=bool)
        for line in own.utility.red_lines:
            if len(line.terms) == 1 and line.terms[0][0] == position:
                allowed &= ~line.terms[0][1]
        best = int(np.argmax(np.where(allowed, table, -np.inf)))
        loss = max(0.0, float(table[best] - table[choices[position]])) / span
        if position in crossed or loss > 1e-12:
            wishes.append((position in crossed, loss, issue.name, issue.values[best]))
    pressure = 1.0
    if not crossed:
        total = sum(loss for _, loss, _, _ in wishes)
        if threshold is not None and total > 0:
            wanted = max(threshold, own.utility.reservation)
            pressure = min(1.0, max(0.0, wanted - own.of(draft)) / span / total)
    wishes.sort(key=lambda wish: (not wish[0], -wish[1]))
    requests = []
    for is_crossed, loss, name, value in wishes:
        intensity = 1.0 if is_crossed else min(1.0, loss * pressure)
        if intensity > 1e-12:
            requests.append((name, value, intensity))
    return Critique(tuple(requests))


def respond(
    observation: Observation,
    own: OwnUtility,
    ranking: OutcomeRanking,
    *,
    threshold: float,
    proposal: Outcome | None,
) -> Action:
    """The action for ``observation`` of a delegation that signs at ``threshold`` and offers ``proposal``.

    ``proposal`` is ``None`` when the party has no rational package (it then walks away
    where it must put one forward).
    """
    allowed = observation.allowed
    if "vote" in allowed:
        if observation.round >= observation.rounds:
            threshold = min(threshold, own.utility.reservation)
        return Vote(_yes(observation, own, threshold))
    if "accept" in allowed and _yes(observation, own, threshold):
        return Accept()
    if "offer" in allowed:
        return Offer(proposal) if proposal is not None else _leave(allowed)
    if "accept-packages" in allowed:
        return AcceptPackages(_packages(observation, own, ranking, threshold) if proposal is not None else ())
    if "critique" in allowed and observation.on_table is not None:
        if _yes(observation, own, threshold):
            return Critique(())
        return critique(own, observation.on_table, threshold=threshold)
    if "message" in allowed and proposal is not None:
        return Message(offer=proposal, shareable=True)
    if "reject" in allowed:
        return Reject()
    if "wait" in allowed:
        return Wait()
    return _leave(allowed)


def _packages(
    observation: Observation, own: OwnUtility, ranking: OutcomeRanking, threshold: float
) -> tuple[Outcome, ...]:
    candidates = observation.candidates
    if candidates:
        chosen = []
        for candidate in candidates:
            package = tuple(candidate)
            try:
                if own.rational(package) and own.of(package) >= threshold:
                    chosen.append(package)
            except KeyError:
                continue
        return tuple(chosen)
    count = ranking.count_at_least(threshold)
    return tuple(ranking.outcome(rank) for rank in range(max(0, count - MAX_PACKAGES), count))


def _leave(allowed: tuple[str, ...]) -> Action:
    if "walk-away" in allowed or not allowed:
        return WalkAway(NOTHING_RATIONAL)
    if "wait" in allowed:
        return Wait()
    if "reject" in allowed:
        return Reject()
    return WalkAway(NOTHING_RATIONAL)
