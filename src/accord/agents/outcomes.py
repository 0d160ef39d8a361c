"""What a delegation knows about its own preferences, precomputed once and reused across sessions.

:class:`OwnUtility` answers "what is this package worth to me, and may I sign it?"
for single outcomes in a few dictionary look-ups (cached). :class:`OutcomeRanking`
holds the seat's *rational* outcomes (at least its reservation value, crossing none
of its red lines), best first, so that "the package closest above my target" is a
binary search. Spaces larger than :data:`MAX_RANKED` outcomes are sampled with the
session's generator.

Both are shared by every session (and thread) on the same compiled preferences: the
memos are bounded, look-ups take no lock, new entries are computed outside any lock
and published under one (two threads that race compute the same value twice, and keep
one), and what they hand out cannot be changed (tuples, read-only arrays).

>>> from accord.domain import Agenda, DiscreteIssue, Option, Preferences
>>> from accord.preferences import party_utility
>>> agenda = Agenda((DiscreteIssue("a", (Option("x"), Option("y"), Option("z"))),))
>>> preferences = Preferences({"a": 1.0}, {"a": {"x": 0.2, "y": 0.6, "z": 1.0}}, reservation=0.5)
>>> ranking = OutcomeRanking.build(agenda, party_utility(agenda, preferences), np.random.default_rng(0))
>>> ranking.utilities.tolist()
[1.0, 0.6]
>>> ranking.outcome(ranking.closest_above(0.55))
('y',)
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from accord.agents.base import SeatContext
from accord.domain import Agenda, Outcome, Role, Value
from accord.errors import AgentError
from accord.preferences import PartyUtility

__all__ = ["MAX_RANKED", "OutcomeRanking", "OwnUtility", "prepare_delegation"]

#: Outcome spaces larger than this are sampled (uniformly, with the seat's generator).
MAX_RANKED = 100_000

#: Rankings of fully enumerated spaces, reused across sessions: (utility, agenda) → ranking.
#: A deterministic memo, not random state: the same inputs always give the same ranking.
#: Keyed by identity; each entry keeps its utility and agenda alive (and they are checked on use).
_CACHE: dict[tuple[int, int], tuple[PartyUtility, Agenda, OutcomeRanking]] = {}

#: Each party's :class:`OwnUtility` (and so its cache of assessed outcomes), reused across sessions
#: in the same way: (utility, agenda) → own utility.
_OWN: dict[tuple[int, int], tuple[PartyUtility, Agenda, OwnUtility]] = {}

#: At most this many rankings, and as many own utilities, are remembered (the oldest is dropped first).
RANKINGS_LIMIT = 64

#: Taken only to publish a new entry of ``_CACHE`` or ``_OWN``.
_LOCK = threading.Lock()

#: An :class:`OwnUtility` remembers at most this many assessed outcomes (later ones are computed each time).
OWN_CACHE_LIMIT = 1 << 16

_Entry = TypeVar("_Entry")


def _remembered(
    memo: dict[tuple[int, int], tuple[PartyUtility, Agenda, _Entry]], utility: PartyUtility, agenda: Agenda
) -> _Entry | None:
    found = memo.get((id(utility), id(agenda)))
    if found is not None and found[0] is utility and found[1] is agenda:
        return found[2]
    return None


def _remember(
    memo: dict[tuple[int, int], tuple[PartyUtility, Agenda, _Entry]],
    utility: PartyUtility,
    agenda: Agenda,
    entry: _Entry,
) -> _Entry:
    """Publish ``entry`` unless another thread did first; returns the entry in the memo."""
    key = (id(utility), id(agenda))
    with _LOCK:
        found = memo.get(key)
        if found is not None and found[0] is utility and found[1] is agenda:
            return found[2]
        memo.pop(key, None)
        while len(memo) >= RANKINGS_LIMIT:
            memo.pop(next(iter(memo)))
        memo[key] = (utility, agenda, entry)
    return entry


class OwnUtility:
    """One party's utility and red lines for single outcomes, with a cache.

    >>> from accord.domain import Agenda, IntegerIssue, Preferences, ValueFunction
    >>> from accord.preferences import party_utility
    >>> agenda = Agenda((IntegerIssue("n", 0, 4),))
    >>> preferences = Preferences({"n": 1.0}, value_functions={"n": ValueFunction(((0, 0.0), (4, 1.0)))})
    >>> OwnUtility(agenda, party_utility(agenda, preferences)).of((3,))
    0.75
    """

    def __init__(self, agenda: Agenda, utility: PartyUtility) -> None:
        self.agenda = agenda
        self.utility = utility
        #: The party's reservation value (``utility.reservation``, kept at hand for the hot path).
        self.reservation = utility.reservation
        self._positions = tuple(
            {value: index for index, value in enumerate(issue.values)} for issue in agenda.issues
        )
        self._tables = tuple(tuple(table.tolist()) for table in utility.tables)
        self._red_lines = tuple(
            tuple((position, tuple(forbidden.tolist())) for position, forbidden in line.terms)
            for line in utility.red_lines
        )
        self._cache: dict[Outcome, tuple[float, bool]] = {}
        self._lock = threading.Lock()  # taken only to add an entry to the cache

    def choices_of(self, outcome: Sequence[Value]) -> tuple[int, ...]:
        """Option indices of ``outcome``; ``KeyError`` when a value is not on the agenda."""
        if len(outcome) != len(self._positions):
            raise KeyError(f"an outcome has {len(self._positions)} values, got {len(outcome)}")
        indices = []
        for positions, issue, value in zip(self._positions, self.agenda.issues, outcome, strict=True):
            index = positions.get(value)
            indices.append(issue.index_of(value) if index is None else index)
        return tuple(indices)

    def assess(self, outcome: Outcome) -> tuple[float, bool]:
        """The utility of ``outcome`` and whether it crosses none of the party's red lines."""
        known = self._cache.get(outcome)
        if known is not None:
            return known
        choices = self.choices_of(outcome)
        if self.utility.additive:
            value = 0.0
            for table, index in zip(self._tables, choices, strict=True):
                value += table[index]
        else:
            value = float(self.utility.evaluate(np.array([choices], dtype=np.int64))[0])
        crossed = any(
            all(forbidden[choices[position]] for position, forbidden in line) for line in self._red_lines
        )
        known = (value, not crossed)
        if len(self._cache) < OWN_CACHE_LIMIT:
            with self._lock:
                if len(self._cache) < OWN_CACHE_LIMIT:
                    self._cache[outcome] = known
        return known

    def of(self, outcome: Outcome) -> float:
        """The utility of ``outcome`` (red lines ignored)."""
        return self.assess(outcome)[0]

    def acceptable(self, outcome: Outcome) -> bool:
        """True when ``outcome`` crosses none of the party's red lines."""
        return self.assess(outcome)[1]

    def rational(self, outcome: Outcome) -> bool:
        """True when the party may sign ``outcome``: no red line crossed, at least the reservation."""
        value, acceptable = self.assess(outcome)
        return acceptable and value >= self.utility.reservation


@dataclass(frozen=True, slots=True, eq=False)
class OutcomeRanking:
    """A seat's rational outcomes, best first.

    ``choices: (n, n_issues)`` option indices; ``utilities: (n,)`` non-increasing.
    ``n`` is zero when nothing beats the reservation value.
    """

    agenda: Agenda
    choices: np.ndarray
    utilities: np.ndarray
    #: The utilities in increasing order as Python floats: ``bisect`` on a list is several times
    #: faster than ``np.searchsorted`` for one value (and a little faster than on a tuple), and
    #: gives the same index. Private and never handed out, so never changed.
    _ascending: list[float]
    _values: tuple[tuple[Value, ...], ...]
    #: Outcomes spelled out so far, by rank: filled as asked for (each entry is written once, with
    #: the one value its rank has, so threads that race write the same thing).
    _outcomes: dict[int, Outcome]

    @classmethod
    def build(
        cls, agenda: Agenda, utility: PartyUtility, rng: np.random.Generator, *, limit: int = MAX_RANKED
    ) -> OutcomeRanking:
        """Rank every outcome (or ``limit`` sampled ones, plus the party's best, for larger spaces)."""
        if agenda.size > limit:
            return cls._rank(agenda, utility, _sample(agenda, utility, rng, limit))
        cached = _remembered(_CACHE, utility, agenda)
        if cached is not None:
            return cached
        return _remember(_CACHE, utility, agenda, cls._rank(agenda, utility, agenda.all_choices()))

    @classmethod
    def _rank(cls, agenda: Agenda, utility: PartyUtility, choices: np.ndarray) -> OutcomeRanking:
        values = utility.evaluate(choices)
        keep = (values >= utility.reservation) & utility.acceptable(choices)
        choices, values = choices[keep], values[keep]
        order = np.argsort(-values, kind="stable")
        ranked = np.ascontiguousarray(values[order])
        ranked_choices = np.ascontiguousarray(choices[order])
        ranked.flags.writeable = False
        ranked_choices.flags.writeable = False
        options = tuple(issue.values for issue in agenda.issues)
        return cls(agenda, ranked_choices, ranked, ranked[::-1].tolist(), options, {})

    def __len__(self) -> int:
        return len(self._ascending)

    @property
    def best(self) -> float:
        """The highest rational utility (``-inf`` when there is none)."""
        return float(self.utilities[0]) if len(self) else float("-inf")

    @property
    def worst(self) -> float:
        """The lowest rational utility (``-inf`` when there is none)."""
        return float(self.utilities[-1]) if len(self) else float("-inf")

    def closest_above(self, target: float) -> int:
        """The rank of the worst outcome still worth at least ``target`` (0, the best, if none is)."""
        count = len(self._ascending) - bisect_left(self._ascending, target)
        return max(0, count - 1)

    def count_at_least(self, target: float) -> int:
        """How many rational outcomes are worth at least ``target``."""
        return len(self._ascending) - bisect_left(self._ascending, target)

    def outcome(self, rank: int) -> Outcome:
        """The outcome at ``rank`` (0 is the best)."""
        known = self._outcomes.get(rank)
        if known is None:
            row = self.choices[rank].tolist()
            known = self._outcomes[rank] = tuple(
                values[index] for values, index in zip(self._values, row, strict=True)
            )
        return known


def _sample(agenda: Agenda, utility: PartyUtility, rng: np.random.Generator, limit: int) -> np.ndarray:
    sampled = np.stack([rng.integers(0, size, limit) for size in agenda.sizes], axis=1)
    greedy = np.array([[int(np.argmax(table)) for table in utility.tables]], dtype=np.int64)
    return np.concatenate([greedy, sampled.astype(np.int64)])


def prepare_delegation(context: SeatContext, rng: np.random.Generator) -> tuple[OwnUtility, OutcomeRanking]:
    """A delegation's :class:`OwnUtility` and :class:`OutcomeRanking`; :class:`AgentError` for other seats."""
    if context.role is not Role.DELEGATION or context.utility is None:
        raise AgentError(
            "agents", f"seat {context.seat!r}: this agent sits only in a delegation's seat with preferences"
        )
    return _own_utility(context.agenda, context.utility), OutcomeRanking.build(
        context.agenda, context.utility, rng
    )


def _own_utility(agenda: Agenda, utility: PartyUtility) -> OwnUtility:
    cached = _remembered(_OWN, utility, agenda)
    if cached is not None:
        return cached
    return _remember(_OWN, utility, agenda, OwnUtility(agenda, utility))
