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

Plans are shared by every session on the same scenario: a batch of a million sessions on
one scenario holds one plan per seat and agent, and a few integers per session.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _all_choices(agenda: Agenda) -> np.ndarray:
    """``(size, n_issues)`` option indices of every outcome, in flat-index order (``ravel_multi_index``)."""
    flat = np.arange(agenda.size, dtype=np.int64)
    return np.stack(np.unravel_index(flat, agenda.sizes), axis=1).astype(np.int64)


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
            choices = _all_choices(agenda)
            values = utility.evaluate(choices)
            rational = utility.acceptable(choices) & (values >= utility.reservation)
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
        # Only spaces of at most MAX_RANKED outcomes are planned (fits): the generator is never used.
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
        number = self._plans[key] = len(self._targets)
        self._keep.append((utility, agenda))
        self._targets.append(targets)
        self._offers.append(offers)
        self._offsets.append(offset)
        self._finals.append(final)
        self._reservations.append(utility.reservation)
        self._mirrors.append(mirror)
        self._bounds.append((floor, ceiling))
        self._ranked.append(self._ranked_rows(agenda, ranking) if mirror or learner else (0, 0))
        self._learners.append(learner)
        self._windows.append(window)
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


def outcome_of(agenda: Agenda, flat: int) -> Outcome:
    """The outcome (values in agenda order) at flat index ``flat``."""
    choices = np.unravel_index(flat, agenda.sizes)
    return tuple(issue.values[int(index)] for issue, index in zip(agenda.issues, choices, strict=True))
