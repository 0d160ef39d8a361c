"""Stacked alternating offers (:mod:`accord.protocols.alternating_offers`) for many sessions at once.

All sessions of a batch have the same number of delegations and move in lockstep: step
``t`` is seat ``t mod n``'s turn in round ``t div n`` in every session still going. Each
step is a handful of numpy operations over those sessions:

* the seat's decision (a :class:`~accord.agents.concession.TimeBasedAgent`'s, a
  :class:`~accord.agents.tit_for_tat.TitForTatAgent`'s or a
  :class:`~accord.agents.frequency.FrequencyAgent`'s, from its :mod:`plan <accord.batch.plans>`
  and, for the last, its opponent model: :mod:`accord.batch.frequency`):
  accept the standing offer when it may sign it and it is worth at least this round's target,
  else put forward the offer closest above the target, or walk away when it has none (a
  tit-for-tat first notes what the standing offer is worth to it, and its target follows the
  other side's concessions);
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

from accord.batch.frequency import FrequencyModels
from accord.batch.plans import PlanTables
from accord.domain import Agenda
from accord.protocols.alternating_offers import expired, settled

__all__ = [
    "ACCEPT",
    "AGREEMENT",
    "DEADLINE",
    "OVER",
    "REASONS",
    "REJECTED",
    "WALK_AWAY",
    "WALK_OUT",
    "Played",
    "mirrored_targets",
    "play",
]

#: How a session ended (``Played.reasons``), as the protocol names it: ``REASONS[code]``.
AGREEMENT, DEADLINE, WALK_OUT, REJECTED = 0, 1, 2, 3
REASONS = ("agreement", "deadline", "walk-out", "rejected")

#: A seat's move at a step (``Played.moves``) when it is not an offer (an offer is its flat outcome
#: index, at least 0): accept the standing offer, walk away, or none (the session is over).
ACCEPT, WALK_AWAY, OVER = -2, -3, -1


@dataclass(frozen=True, slots=True)
class Played:
    """How each of ``count`` sessions ended.

    ``reasons: (count,)`` codes of :data:`REASONS`; ``rounds: (count,)`` the protocol's
    ``ProtocolResult.rounds``; ``agreements: (count,)`` flat outcome indices (``-1``: none);
    ``moves: (steps, count)`` each step's move (the flat outcome offered, :data:`ACCEPT`,
    :data:`WALK_AWAY`, or :data:`OVER` once the session is over), when traced.
    """

    reasons: np.ndarray
    rounds: np.ndarray
    agreements: np.ndarray
    moves: np.ndarray | None


def play(
    tables: PlanTables,
    plans: np.ndarray,
    deadlines: np.ndarray,
    *,
    trace: bool = False,
    agenda: Agenda | None = None,
) -> Played:
    """Play ``count`` sessions: ``plans: (count, n)`` the plan of each delegation (seating order),
    ``deadlines: (count,)`` each session's rounds (at least 1); ``agenda``: the sessions' one agenda,
    needed when some seat learns (a frequency agent)."""
    count, parties = plans.shape
    learns = tables.learning is not None and count and not np.isnan(tables.learning[plans]).all()
    # Two time-based seats: the look-ahead takes over once few turns × sessions are left.
    looks_ahead = parties == 2 and not learns and (tables.mirrors is None or not tables.mirrors[plans].any())
    reasons = np.full(count, -1, dtype=np.int8)
    ended = np.zeros(count, dtype=np.int64)
    agreements = np.full(count, -1, dtype=np.int64)
    longest = int(deadlines.max()) if count else 0
    moves = np.full((longest * parties, count), OVER, dtype=np.int64) if trace else None
    live = np.arange(count)
    live_plans = plans.astype(np.int64)
    live_deadlines = deadlines.astype(np.int64)
    standing = np.full(count, -1, dtype=np.int64)
    acceptances = np.zeros(count, dtype=np.int64)
    # What each tit-for-tat seat made of the first package put to it, and of the best (NaN, -inf: none yet).
    first_seen = np.full((count, parties), np.nan) if tables.mirrors is not None else None
    best_seen = np.full((count, parties), -np.inf) if tables.mirrors is not None else None
    models = None
    if learns:
        assert agenda is not None, "sessions with a frequency agent are played one agenda at a time"
        models = FrequencyModels(tables, plans, agenda)
    targets, offers, offsets = tables.targets, tables.offers, tables.value_offsets
    values, rational = tables.values, tables.rational
    for round_ in range(longest):
        for seat in range(parties):
            if not live.size:
                return Played(reasons, ended, agreements, moves)
            turn = round_ * parties + seat
            if looks_ahead and live.size * (longest * parties - turn) <= LOOKAHEAD:
                ending = Played(reasons, ended, agreements, moves)
                _bilateral(tables, ending, live, live_plans, live_deadlines, standing, turn)
                return ending
            plan = live_plans[:, seat]
            standing_known = standing >= 0
            position = offsets[plan] + np.where(standing_known, standing, 0)
            target = targets[plan, round_]
            offer = offers[plan, round_]
            if first_seen is not None and best_seen is not None:
                target, offer = _mirrored(
                    tables, plan, seat, values[position], standing_known, target, offer, first_seen, best_seen
                )
            accept = standing_known & rational[position] & (values[position] >= target)
            if models is not None and seat in models.seats:
                offer = models.offers(seat, plan, round_, standing, accept, offer)
            walk = ~accept & (offer < 0)
            if moves is not None:
                moves[round_ * parties + seat, live] = np.where(
                    accept, ACCEPT, np.where(walk, WALK_AWAY, offer)
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
                if first_seen is not None and best_seen is not None:
                    first_seen, best_seen = first_seen[going], best_seen[going]
                if models is not None:
                    models.keep(going)
    return Played(reasons, ended, agreements, moves)


#: A bilateral look-ahead (:func:`_bilateral`) takes over once sessions still going × turns left are
#: at most this many: below it, a few array operations per turn cost more than the turns' work.
LOOKAHEAD = 1 << 16


def _bilateral(
    tables: PlanTables,
    ending: Played,
    live: np.ndarray,
    plans: np.ndarray,
    deadlines: np.ndarray,
    standing: np.ndarray,
    start: int,
) -> None:
    """Play the turns from ``start`` on of bilateral sessions of time-based seats, all at once, writing
    how they end into ``ending`` (``live``: which sessions; their ``plans``, ``deadlines`` and
    ``standing`` offers).

    A time-based seat's offers do not depend on the talks (its plan's), and with two delegations
    the first acceptance settles the talks (``settled(1, 2)``): until a session ends, the standing
    offer at each turn is the one made at the turn before. So a session ends at the first turn
    where its seat accepts that offer or walks away, or at its deadline (``expired``), and every
    turn left is decided for every session at once: a handful of array operations in all rather
    than a handful per turn. ``tests/batch/test_rules.py`` holds this to the protocol, taking over
    at any turn, as it holds the turn-by-turn loop.
    """
    assert settled(1, 2), "with two delegations, one acceptance settles the talks"
    turns = np.arange(start, 2 * int(deadlines.max()))
    rounds = turns // 2
    plan = plans[:, turns % 2]  # (live, turns): the plan of the seat whose turn it is
    offer = tables.offers[plan, rounds]
    before = np.concatenate([standing[:, np.newaxis], offer[:, :-1]], axis=1)  # the standing offer
    position = tables.value_offsets[plan] + np.maximum(before, 0)
    accept = (
        (before >= 0) & tables.rational[position] & (tables.values[position] >= tables.targets[plan, rounds])
    )
    playing = ~expired(rounds, deadlines[:, np.newaxis])
    event = (accept | (offer < 0)) & playing  # an acceptance, or walking away with nothing to offer
    happened = event.any(axis=1)
    first = np.argmax(event, axis=1)
    rows = np.arange(live.size)
    accepted = happened & accept[rows, first]
    walked = happened & ~accepted
    late = ~happened  # every turn played: the deadline
    if ending.moves is not None:
        earlier = (np.arange(turns.size) < first[:, np.newaxis]) | late[:, np.newaxis]
        recorded = np.where(earlier & playing, offer, OVER)
        recorded[rows[happened], first[happened]] = np.where(accepted[happened], ACCEPT, WALK_AWAY)
        ending.moves[start : start + turns.size, live] = recorded.T
    ending.reasons[live[accepted]] = AGREEMENT
    ending.agreements[live[accepted]] = before[rows[accepted], first[accepted]]
    ending.reasons[live[walked]] = WALK_OUT
    ending.rounds[live[happened]] = rounds[first[happened]]
    ending.reasons[live[late]] = DEADLINE
    ending.rounds[live[late]] = deadlines[late]


def mirrored_targets(
    tables: PlanTables,
    plan: np.ndarray,
    value: np.ndarray,
    seen: np.ndarray,
    target: np.ndarray,
    first_seen: np.ndarray,
    best_seen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The targets of the sessions whose seat is a tit-for-tat (the others' unchanged), and which those are.

    As :class:`~accord.agents.tit_for_tat.TitForTatAgent` does: note the value of the package put
    to it (``value``, where ``seen``): the first seen, the best seen; then aim at the lower of its
    ceiling less the other side's concession (never below its floor) and its deadline cap
    (``target``, its plan's). ``first_seen`` and ``best_seen`` (``(live,)``, NaN and ``-inf``
    before any package) are updated in place. One statement for both protocols the batch plays.
    """
    assert tables.mirrors is not None and tables.floors is not None and tables.ceilings is not None
    assert tables.ranked_counts is not None
    mirror = tables.mirrors[plan] & (tables.ranked_counts[plan] > 0)  # with nothing rational it notes nothing
    if not mirror.any():
        return target, mirror
    watched = mirror & seen
    first_seen[...] = np.where(watched & np.isnan(first_seen), value, first_seen)
    best_seen[...] = np.where(watched, np.maximum(best_seen, value), best_seen)
    conceded = np.where(np.isnan(first_seen), 0.0, np.maximum(0.0, best_seen - first_seen))
    aimed = np.minimum(np.maximum(tables.floors[plan], tables.ceilings[plan] - conceded), target)
    return np.where(mirror, aimed, target), mirror


def _mirrored(
    tables: PlanTables,
    plan: np.ndarray,
    seat: int,
    value: np.ndarray,
    standing_known: np.ndarray,
    target: np.ndarray,
    offer: np.ndarray,
    first_seen: np.ndarray,
    best_seen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The targets (:func:`mirrored_targets`) and offers of the sessions whose seat is a tit-for-tat:
    the package closest above its target. ``first_seen`` and ``best_seen``: ``(live, n)``."""
    assert tables.ranked_offsets is not None and tables.ranked_counts is not None
    assert tables.ranked_values is not None and tables.ranked_outcomes is not None
    target, mirror = mirrored_targets(
        tables, plan, value, standing_known, target, first_seen[:, seat], best_seen[:, seat]
    )
    if not mirror.any():
        return target, offer
    offer = offer.copy()
    mirrored = plan[mirror]
    alike = mirrored.min() == mirrored.max()  # one ranking (always, in a batch of one)
    numbers = mirrored[:1].tolist() if alike else np.unique(mirrored).tolist()
    for number in numbers:  # one search per ranking (few: scenarios × parties)
        chosen = mirror if alike else mirror & (plan == number)
        start, length = int(tables.ranked_offsets[number]), int(tables.ranked_counts[number])
        ascending = tables.ranked_values[start : start + length]
        # OutcomeRanking.closest_above: the worst package still worth the target (the best if none is)
        below = np.searchsorted(ascending, target[chosen], side="left")
        offer[chosen] = tables.ranked_outcomes[start + np.minimum(below, length - 1)]
    return target, offer
