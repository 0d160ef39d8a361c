"""What each seat of a batch will do, worked out once per scenario, party, curve and deadline.

A time-based delegation (:class:`~accord.agents.concession.TimeBasedAgent`) is fully
described by two rows per round and one row per outcome:

* ``targets[r]``: the least it signs in round ``r`` (its curve's schedule, the very
  tuple :meth:`~accord.agents.concession.ConcessionCurve.schedule` gives the agent);
* ``offers[r]``: the outcome it puts forward in round ``r`` (a flat index into the agenda,
  ``-1`` when nothing is rational and it walks away instead): the rank
  :meth:`~accord.agents.outcomes.OutcomeRanking.closest_above` finds for the target, in the
  agent's own :class:`~accord.agents.outcomes.OutcomeRanking`;
* ``values[o]`` and ``rational[o]`` for every outcome ``o``: its utility (the same
  elementwise sums as :meth:`~accord.agents.outcomes.OwnUtility.assess`, hence the same
  floats) and whether it may sign it (no red line crossed, at least its reservation).

A relative tit-for-tat delegation (:class:`~accord.agents.tit_for_tat.TitForTatAgent`) is a
*mirroring* plan: ``targets`` holds its deadline curve's cap, and its target in a round is the
lower of that cap and its ceiling less what the other side has conceded so far (a state the
batch keeps per session); its offer is then looked up in its ranking (``ranked_values``,
``ranked_outcomes``: ascending, as :meth:`~accord.agents.outcomes.OutcomeRanking.closest_above`
searches them).

A frequency delegation (:class:`~accord.agents.frequency.FrequencyAgent`) is a *learning*
plan: its targets and fallback offers are a time-based plan's (its late curve), and for each
round ``window_first[r]`` and ``window_last[r]`` bound the ranks (best first) of the packages it
weighs against its opponent model (the agent's ``_proposal``: from the package closest above its
target plus its window, at most :data:`~accord.agents.frequency.CANDIDATES` of them, to the one
closest above its target); ``learning`` is how much an unchanged issue adds to that issue's weight.

Plans and value tables are remembered across batches (a bounded memo keyed by the party's
compiled utility and agenda, as :mod:`accord.agents.outcomes` remembers rankings): a batch on a
scenario seen before sets up in a few dictionary look-ups. Plans are shared by every session on
the same scenario: a batch of a million sessions on one scenario holds one plan per seat and
agent, and a few integers per session.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np

from accord.agents.concession import ConcessionCurve, concession_bounds
from accord.agents.frequency import CANDIDATES
from accord.agents.outcomes import MAX_RANKED, OutcomeRanking
from accord.domain import Agenda, Outcome
from accord.preferences import PartyUtility

__all__ = ["Learner", "PlanBook", "PlanTables"]


@dataclass(frozen=True, slots=True)
class Learner:
    """A frequency agent's parameters: how far above its target a candidate may lie (``window``, in
    its own utility) and how much an unchanged issue adds to that issue's weight (``learning``)."""

    window: float
    learning: float


@dataclass(frozen=True, slots=True)
class PlanTables:
    """Every plan of a batch as arrays.

    ``targets: (n_plans, longest)`` (``+inf`` past a plan's deadline or when nothing is
    rational); ``offers: (n_plans, longest)`` flat outcome indices (``-1``: walk away);
    ``value_offsets: (n_plans,)`` where the plan's party's row starts in ``values`` and
    ``rational`` (flat, every table of the batch one after the other).

    ``finals: (n_plans,)``: each plan's target once the last round is over (the deadline's vote),
    ``reservations: (n_plans,)``: its party's reservation value.

    Mirroring plans (tit-for-tat; ``mirrors: (n_plans,)``, ``None`` when there are none) also
    have ``floors``, ``ceilings: (n_plans,)`` and their ranking at ``ranked_offsets`` (length
    ``ranked_counts``) in ``ranked_values`` (ascending utilities) and ``ranked_outcomes``
    (their flat outcome indices). Learning plans (frequency; ``learning: (n_plans,)``, NaN for
    the others, ``None`` when there are none) have their ranking there too, and ``window_first``,
    ``window_last: (n_plans, longest)`` the ranks of their candidates in each round.
    """

    targets: np.ndarray
    offers: np.ndarray
    value_offsets: np.ndarray
    values: np.ndarray
    rational: np.ndarray
    finals: np.ndarray | None = None
    reservations: np.ndarray | None = None
    mirrors: np.ndarray | None = None
    floors: np.ndarray | None = None
    ceilings: np.ndarray | None = None
    ranked_offsets: np.ndarray | None = None
    ranked_counts: np.ndarray | None = None
    ranked_values: np.ndarray | None = None
    ranked_outcomes: np.ndarray | None = None
    learning: np.ndarray | None = None
    window_first: np.ndarray | None = None
    window_last: np.ndarray | None = None


#: At most this many plans, and as many value tables, are remembered across batches (oldest dropped first).
MEMO_LIMIT = 256

_Value = TypeVar("_Value")


class _Memo(Generic[_Value]):
    """A bounded memo across batches, keyed by a party's utility and agenda (by identity, each entry
    keeping both alive and checked on use) and by value for the rest of the key. A deterministic memo,
    not state: the same inputs always give the same entry. Look-ups take no lock; an entry is computed
    outside any lock and published under one (two threads that race compute it twice, keep one)."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[Any, ...], tuple[PartyUtility, Agenda, _Value]] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self, utility: PartyUtility, agenda: Agenda, rest: tuple[Any, ...], make: Callable[[], _Value]
    ) -> _Value:
        key = (id(utility), id(agenda), *rest)
        found = self._entries.get(key)
        if found is not None and found[0] is utility and found[1] is agenda:
            return found[2]
        value = make()
        with self._lock:
            self._entries.pop(key, None)
            while len(self._entries) >= MEMO_LIMIT:
                self._entries.popitem(last=False)
            self._entries[key] = (utility, agenda, value)
        return value


def _sealed(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _value_table(agenda: Agenda, utility: PartyUtility) -> tuple[np.ndarray, np.ndarray]:
    """``values``, ``rational: (size,)`` of every outcome in flat-index order (read-only)."""
    choices = agenda.all_choices()
    values = utility.evaluate(choices)
    rational = utility.acceptable(choices) & (values >= utility.reservation)
    return _sealed(values), _sealed(rational)


@dataclass(frozen=True, slots=True)
class _Plan:
    """One plan's rows (read-only): each round's target, offer and candidate window, its last target,
    its curve's bounds and its ranking."""

    targets: np.ndarray
    offers: np.ndarray
    window: tuple[np.ndarray, np.ndarray]
    final: float
    floor: float
    ceiling: float
    ranking: OutcomeRanking


def _planned(
    agenda: Agenda, utility: PartyUtility, curve: ConcessionCurve, rounds: int, learner: Learner | None
) -> _Plan:
    # Only spaces of at most MAX_RANKED outcomes are planned (PlanBook.fits): the generator is never used.
    ranking = OutcomeRanking.build(agenda, utility, np.random.default_rng(0))
    floor, ceiling = concession_bounds(utility.reservation, ranking)
    window = (np.zeros(rounds, dtype=np.int64), np.zeros(rounds, dtype=np.int64))
    if not len(ranking):
        targets = np.full(rounds, np.inf)
        offers = np.full(rounds, -1, dtype=np.int64)
        final = np.inf
    else:
        schedule = curve.schedule(rounds, floor=floor, ceiling=ceiling)
        targets = np.array(schedule[:rounds], dtype=np.float64)
        final = schedule[rounds]
        ascending = ranking.utilities[::-1]
        # closest_above, for every round at once: searchsorted(side="left") is bisect_left
        ranks = np.maximum(0, len(ranking) - np.searchsorted(ascending, targets, side="left") - 1)
        offers = np.ravel_multi_index(tuple(ranking.choices[ranks].T), agenda.sizes).astype(np.int64)
        if learner is not None:  # FrequencyAgent._proposal's candidates, ranks first … last
            above = np.searchsorted(ascending, targets + learner.window, side="left")
            first = np.maximum(np.maximum(0, len(ranking) - above - 1), ranks - CANDIDATES + 1)
            window = (first.astype(np.int64), ranks.astype(np.int64))
    return _Plan(
        _sealed(targets),
        _sealed(offers),
        (_sealed(window[0]), _sealed(window[1])),
        final,
        floor,
        ceiling,
        ranking,
    )


_VALUE_TABLES: _Memo[tuple[np.ndarray, np.ndarray]] = _Memo()
_PLANS: _Memo[_Plan] = _Memo()


class PlanBook:
    """Builds and interns the plans of one batch; :meth:`tables` hands them over as arrays."""

    def __init__(self) -> None:
        self._tables: dict[tuple[int, int], int] = {}  # (id(utility), id(agenda)) → offset in values
        self._keep: list[object] = []  # keeps the keyed objects alive while the book lives
        self._values: list[np.ndarray] = []
        self._rational: list[np.ndarray] = []
        self._size = 0
        self._plans: dict[tuple[int, int, ConcessionCurve, int, bool, Learner | None], int] = {}
        self._targets: list[np.ndarray] = []
        self._offers: list[np.ndarray] = []
        self._offsets: list[int] = []
        self._finals: list[float] = []
        self._reservations: list[float] = []
        self._mirrors: list[bool] = []
        self._bounds: list[tuple[float, float]] = []
        self._rankings: dict[int, tuple[int, int]] = {}  # id(ranking) → (offset, count) in the ranked rows
        self._ranked: list[tuple[int, int]] = []  # per plan
        self._ranked_values: list[np.ndarray] = []
        self._ranked_outcomes: list[np.ndarray] = []
        self._ranked_size = 0
        self._learners: list[Learner | None] = []
        self._windows: list[tuple[np.ndarray, np.ndarray]] = []

    @staticmethod
    def fits(agenda: Agenda) -> bool:
        """Whether a delegation on ``agenda`` ranks every outcome (larger spaces are sampled with the
        seat's generator, which the batch does not reproduce)."""
        return agenda.size <= MAX_RANKED

    def _table(self, agenda: Agenda, utility: PartyUtility) -> int:
        key = (id(utility), id(agenda))
        offset = self._tables.get(key)
        if offset is None:
            values, rational = _VALUE_TABLES.get(utility, agenda, (), lambda: _value_table(agenda, utility))
            offset = self._tables[key] = self._size
            self._keep.append((utility, agenda))
            self._values.append(values)
            self._rational.append(rational)
            self._size += values.shape[0]
        return offset

    def _ranked_rows(self, agenda: Agenda, ranking: OutcomeRanking) -> tuple[int, int]:
        found = self._rankings.get(id(ranking))
        if found is None:
            ascending = ranking.choices[::-1]
            outcomes = np.ravel_multi_index(tuple(ascending.T), agenda.sizes).astype(np.int64)
            found = self._rankings[id(ranking)] = (self._ranked_size, len(ranking))
            self._keep.append(ranking)
            self._ranked_values.append(np.ascontiguousarray(ranking.utilities[::-1]))
            self._ranked_outcomes.append(outcomes)
            self._ranked_size += len(ranking)
        return found

    def plan(
        self,
        agenda: Agenda,
        utility: PartyUtility,
        curve: ConcessionCurve,
        rounds: int,
        *,
        mirror: bool = False,
        learner: Learner | None = None,
    ) -> int:
        """The number of the plan of a delegation with ``utility`` following ``curve`` for ``rounds``
        (``mirror``: a tit-for-tat whose deadline cap is ``curve``; ``learner``: a frequency agent's
        window and learning rate)."""
        key = (id(utility), id(agenda), curve, rounds, mirror, learner)
        number = self._plans.get(key)
        if number is not None:
            return number
        offset = self._table(agenda, utility)
        planned = _PLANS.get(
            utility,
            agenda,
            (curve, rounds, learner),
            lambda: _planned(agenda, utility, curve, rounds, learner),
        )
        number = self._plans[key] = len(self._targets)
        self._keep.append((utility, agenda))
        self._targets.append(planned.targets)
        self._offers.append(planned.offers)
        self._offsets.append(offset)
        self._finals.append(planned.final)
        self._reservations.append(utility.reservation)
        self._mirrors.append(mirror)
        self._bounds.append((planned.floor, planned.ceiling))
        self._ranked.append(self._ranked_rows(agenda, planned.ranking) if mirror or learner else (0, 0))
        self._learners.append(learner)
        self._windows.append(planned.window)
        return number

    def tables(self) -> PlanTables:
        """Every plan built so far, padded to the longest deadline."""
        longest = max((len(row) for row in self._targets), default=0)
        targets = np.full((len(self._targets), longest), np.inf)
        offers = np.full((len(self._targets), longest), -1, dtype=np.int64)
        for number, (row, offered) in enumerate(zip(self._targets, self._offers, strict=True)):
            targets[number, : len(row)] = row
            offers[number, : len(offered)] = offered
        return PlanTables(
            targets=targets,
            offers=offers,
            value_offsets=np.array(self._offsets, dtype=np.int64),
            values=np.concatenate(self._values) if self._values else np.zeros(0),
            rational=np.concatenate(self._rational) if self._rational else np.zeros(0, dtype=bool),
            finals=np.array(self._finals, dtype=np.float64),
            reservations=np.array(self._reservations, dtype=np.float64),
            **self._mirroring(),
        )

    def _mirroring(self) -> dict[str, np.ndarray]:
        learning = any(learner is not None for learner in self._learners)
        if not any(self._mirrors) and not learning:
            return {}
        found = {
            "ranked_offsets": np.array([offset for offset, _ in self._ranked], dtype=np.int64),
            "ranked_counts": np.array([count for _, count in self._ranked], dtype=np.int64),
            "ranked_values": np.concatenate(self._ranked_values),
            "ranked_outcomes": np.concatenate(self._ranked_outcomes),
        }
        if any(self._mirrors):
            found["mirrors"] = np.array(self._mirrors, dtype=bool)
            found["floors"] = np.array([floor for floor, _ in self._bounds], dtype=np.float64)
            found["ceilings"] = np.array([ceiling for _, ceiling in self._bounds], dtype=np.float64)
        if learning:
            longest = max(len(row) for row in self._targets)
            found["learning"] = np.array(
                [np.nan if learner is None else learner.learning for learner in self._learners]
            )
            for name, side in (("window_first", 0), ("window_last", 1)):
                table = np.zeros((len(self._windows), longest), dtype=np.int64)
                for number, window in enumerate(self._windows):
                    table[number, : len(window[side])] = window[side]
                found[name] = table
        return found


def outcomes_of(agenda: Agenda, flats: Sequence[int]) -> list[Outcome]:
    """The outcomes (values in agenda order) at flat indices ``flats``, worked out together."""
    choices = np.unravel_index(np.asarray(flats, dtype=np.int64), agenda.sizes)
    options = [issue.values for issue in agenda.issues]
    return [
        tuple(values[index] for values, index in zip(options, row, strict=True))
        for row in zip(*(column.tolist() for column in choices), strict=True)
    ]


def outcome_of(agenda: Agenda, flat: int) -> Outcome:
    """The outcome (values in agenda order) at flat index ``flat``."""
    return outcomes_of(agenda, [flat])[0]
