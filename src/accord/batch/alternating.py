"""Stacked alternating offers (:mod:`accord.protocols.alternating_offers`) for many sessions at once.

All sessions of a batch have the same number of delegations and move in lockstep: step
``t`` is seat ``t mod n``'s turn in round ``t div n`` in every session still going. Each
step is a handful of numpy operations over those sessions:

* the seat's decision (a :class:`~accord.agents.concession.TimeBasedAgent`'s, from its
  :mod:`plan <accord.batch.plans>`): accept the standing offer when it may sign it and it is
  worth at least this round's target, else put forward this round's offer, or walk away
  when it has none;
* the protocol's rules, with the protocol's own statements of them: an acceptance counts
  towards the standing offer, an offer replaces it and resets the count; agreement when
  :func:`~accord.protocols.alternating_offers.settled`; a walk-away ends the talks in that
  round; after the last seat's turn, the deadline when
  :func:`~accord.protocols.alternating_offers.expired`. (What the protocol records for each
  move, events and all, comes from the protocol itself when a session is replayed:
  :mod:`accord.batch.replay`.)

Sessions that end leave the arrays, so later steps cost only what is still going.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.batch.plans import PlanTables
from accord.protocols.alternating_offers import expired, settled

__all__ = ["ACCEPT", "AGREEMENT", "DEADLINE", "OFFER", "REASONS", "WALK_AWAY", "WALK_OUT", "Played", "play"]

#: How a session ended (``Played.reasons``), as the protocol names it: ``REASONS[code]``.
AGREEMENT, DEADLINE, WALK_OUT = 0, 1, 2
REASONS = ("agreement", "deadline", "walk-out")

#: A seat's move at a step (``Played.moves``): offer, accept the standing offer, walk away.
OFFER, ACCEPT, WALK_AWAY = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Played:
    """How each of ``count`` sessions ended.

    ``reasons: (count,)`` codes of :data:`REASONS`; ``rounds: (count,)`` the protocol's
    ``ProtocolResult.rounds``; ``agreements: (count,)`` flat outcome indices (``-1``: none);
    ``moves: (steps, count)`` each step's move code (``-1`` once a session is over), when traced.
    """

    reasons: np.ndarray
    rounds: np.ndarray
    agreements: np.ndarray
    moves: np.ndarray | None


def play(tables: PlanTables, plans: np.ndarray, deadlines: np.ndarray, *, trace: bool = False) -> Played:
    """Play ``count`` sessions: ``plans: (count, n)`` the plan of each delegation (seating order),
    ``deadlines: (count,)`` each session's rounds (at least 1)."""
    count, parties = plans.shape
    reasons = np.full(count, -1, dtype=np.int8)
    ended = np.zeros(count, dtype=np.int64)
    agreements = np.full(count, -1, dtype=np.int64)
    longest = int(deadlines.max()) if count else 0
    moves = np.full((longest * parties, count), -1, dtype=np.int8) if trace else None
    live = np.arange(count)
    live_plans = plans.astype(np.int64)
    live_deadlines = deadlines.astype(np.int64)
    standing = np.full(count, -1, dtype=np.int64)
    acceptances = np.zeros(count, dtype=np.int64)
    targets, offers, offsets = tables.targets, tables.offers, tables.value_offsets
    values, rational = tables.values, tables.rational
    for round_ in range(longest):
        for seat in range(parties):
            if not live.size:
                return Played(reasons, ended, agreements, moves)
            plan = live_plans[:, seat]
            standing_known = standing >= 0
            position = offsets[plan] + np.where(standing_known, standing, 0)
            accept = standing_known & rational[position] & (values[position] >= targets[plan, round_])
            offer = offers[plan, round_]
            walk = ~accept & (offer < 0)
            if moves is not None:
                moves[round_ * parties + seat, live] = np.where(
                    accept, ACCEPT, np.where(walk, WALK_AWAY, OFFER)
                )
            standing = np.where(accept, standing, offer)
            acceptances = np.where(accept, acceptances + 1, 0)
            agreed = accept & settled(acceptances, parties)
            over = agreed | walk
            if seat == parties - 1:
                late = ~over & expired(round_ + 1, live_deadlines)
                if late.any():
                    reasons[live[late]] = DEADLINE
                    ended[live[late]] = round_ + 1
                    over |= late
            if over.any():
                reasons[live[agreed]] = AGREEMENT
                agreements[live[agreed]] = standing[agreed]
                reasons[live[walk]] = WALK_OUT
                ended[live[agreed | walk]] = round_
                going = ~over
                live, live_plans, live_deadlines = live[going], live_plans[going], live_deadlines[going]
                standing, acceptances = standing[going], acceptances[going]
    return Played(reasons, ended, agreements, moves)
