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
- ``critique``: the issues where the draft falls short, with how much each costs;
- ``accept-packages``: every rational package worth at least the threshold;
- otherwise ``wait``, and ``walk-away`` only when nothing else is allowed or no
  package is worth signing.

It never signs or proposes anything below the reservation value or across a red line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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

__all__ = ["MAX_PACKAGES", "critique", "current_text", "respond", "standing_agreement"]

#: At most this many packages go into a sealed blind bid (those closest above the threshold).
MAX_PACKAGES = 200

_NOTHING_RATIONAL = "no package is worth more to us than walking away"


def current_text(details: Mapping[str, Any]) -> Outcome | None:
    """The text in force, when a protocol reports it in ``details`` (``"text"`` or ``"current"``)."""
    for key in ("text", "current"):
        value = details.get(key)
        if isinstance(value, list | tuple) and value:
            return tuple(value)
    return None


def standing_agreement(details: Mapping[str, Any]) -> Outcome | None:
    """The agreement already reached that a proposal would replace (post-settlement's ``"original"``)."""
    value = details.get("original")
    return tuple(value) if isinstance(value, list | tuple) and value else None


def _yes(observation: Observation, own: OwnUtility, threshold: float) -> bool:
    package = observation.on_table
    if package is None:
        return False
    try:
        if not own.rational(package):
            return False
        value = own.of(package)
        standing = standing_agreement(observation.details)
        if standing is not None:
            return package != standing and value >= own.of(standing)
        if value >= threshold:
            return True
        current = current_text(observation.details)
        return current is not None and current != package and value >= own.of(current)
    except KeyError:
        return False


def critique(own: OwnUtility, draft: Outcome) -> Critique:
    """Per issue where ``draft`` is not the party's best option: that option, and the share of the
    party's utility range it would gain (1 when the draft crosses a red line on that issue)."""
    choices = own.choices_of(draft)
    tables = own.utility.tables
    span = max(sum(float(np.ptp(table)) for table in tables), 1e-12)
    crossed: set[int] = set()
    for line in own.utility.red_lines:
        if all(forbidden[choices[position]] for position, forbidden in line.terms):
            crossed.update(position for position, _ in line.terms)
    requests = []
    for position, (issue, table) in enumerate(zip(own.agenda.issues, tables, strict=True)):
        allowed = np.ones(table.shape[0], dtype=bool)
        for line in own.utility.red_lines:
            if len(line.terms) == 1 and line.terms[0][0] == position:
                allowed &= ~line.terms[0][1]
        best = int(np.argmax(np.where(allowed, table, -np.inf)))
        gain = float(table[best] - table[choices[position]])
        if position in crossed:
            requests.append((issue.name, issue.values[best], 1.0))
        elif gain > 1e-12:
            requests.append((issue.name, issue.values[best], min(1.0, gain / span)))
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
        return critique(own, observation.on_table)
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
    candidates = observation.details.get("candidates")
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
        return WalkAway(_NOTHING_RATIONAL)
    if "wait" in allowed:
        return Wait()
    if "reject" in allowed:
        return Reject()
    return WalkAway(_NOTHING_RATIONAL)
