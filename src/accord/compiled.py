"""A scenario's compiled preferences, with what sessions on it keep asking, reused across sessions.

:func:`compiled_scenario` memoises per scenario object: the compiled utilities, the
feasible Pareto frontier (computed on first use) and every delegation's utility of
each package met so far. It is a deterministic memo, not state: the same inputs
always give the same values, whichever session asked first.

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
>>> agenda = Agenda((DiscreteIssue("room", (Option("north"), Option("south"))),))
>>> party = Party("A", Role.DELEGATION, Preferences({"room": 1.0}, {"room": {"north": 1.0, "south": 0.4}}))
>>> compiled = compiled_scenario(Scenario("one room", agenda, (party,)))
>>> compiled.values_of([("south",), ("west",)])
[(0.4,), None]
>>> compiled.pareto_optimal(("north",)), compiled.pareto_optimal(("south",))
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.analysis import dominated_by, exact_frontier, pareto_mask
from accord.domain import Outcome, Scenario
from accord.errors import AnalysisError
from accord.preferences import ScenarioUtilities, scenario_utilities

__all__ = ["BLOCKWISE_LIMIT", "PARETO_CHECK_LIMIT", "CompiledScenario", "compiled_scenario"]

#: Spaces whose frontier the utilities' structure does not give are enumerated up to this size.
PARETO_CHECK_LIMIT = 2_000_000

#: A group of linked issues is reduced to its Pareto set in blocks for a session's check only up to
#: this many class combinations (Genius's S-1NIKFRT-1 has 38.7 million: about 5 s, once per process).
BLOCKWISE_LIMIT = 50_000_000

#: The frontier of a space too large to enumerate without structure to go by.
_UNKNOWN = np.zeros((0, 0))

#: At most this many packages' utilities are remembered per scenario (later ones are evaluated each time).
VALUES_LIMIT = 1 << 16

_SCENARIOS = 16

#: Keyed by identity; the scenario object is kept alive with its entry.
_COMPILED: dict[int, CompiledScenario] = {}


class CompiledScenario:
    """One scenario's :class:`~accord.preferences.ScenarioUtilities` and memoised answers about it."""

    __slots__ = ("_frontier", "_optimal", "_positions", "_values", "scenario", "utilities")

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.utilities: ScenarioUtilities = scenario_utilities(scenario)
        self._positions = tuple(
            {value: index for index, value in enumerate(issue.values)} for issue in scenario.agenda.issues
        )
        self._values: dict[Outcome, tuple[float, ...]] = {}
        self._frontier: np.ndarray | None = None  # _UNKNOWN once known to be out of reach
        self._optimal: dict[Outcome, bool | None] = {}

    def _choices(self, outcome: Outcome) -> list[int] | None:
        try:
            return [table[value] for table, value in zip(self._positions, outcome, strict=True)]
        except (KeyError, TypeError, ValueError):
            try:
                return list(self.utilities.agenda.choices_of(outcome))
            except (KeyError, TypeError, ValueError):
                return None

    def values_of(self, outcomes: Sequence[Any]) -> list[tuple[float, ...] | None]:
        """Each outcome's utility to every delegation (``None`` for one not on the agenda).

        Outcomes not met before are evaluated together in one batch.
        """
        known = self._values
        fresh: dict[Outcome, list[int] | None] = {}
        keys = []
        for outcome in outcomes:
            key = _key(outcome)
            keys.append(key)
            if key is not None and key not in known and key not in fresh:
                fresh[key] = self._choices(key)
        found: dict[Outcome, tuple[float, ...]] = {}
        rows = {key: choices for key, choices in fresh.items() if choices is not None}
        if rows:
            evaluated = self.utilities.evaluate(np.array(list(rows.values()), dtype=np.int64)).tolist()
            found = {key: tuple(values) for key, values in zip(rows, evaluated, strict=True)}
            if len(known) < VALUES_LIMIT:
                known.update(found)
        values: list[tuple[float, ...] | None] = []
        for key in keys:
            value = None if key is None else known.get(key)
            values.append(found.get(key) if value is None and key is not None else value)
        return values

    def frontier(self) -> np.ndarray | None:
        """``(m, n_parties)`` utilities of the Pareto frontier of the outcomes crossing no red line.

        Exact from the utilities' structure where :func:`~accord.analysis.exact_frontier`
        gives it (additive utilities, groups of linked issues, reduced in blocks up to
        :data:`BLOCKWISE_LIMIT` class combinations), else by enumerating spaces up to
        :data:`PARETO_CHECK_LIMIT`; ``None`` beyond.
        """
        if self._frontier is None:
            utilities = self.utilities
            try:
                found = exact_frontier(utilities, blockwise_limit=BLOCKWISE_LIMIT)
            except AnalysisError:  # the frontier is too large to merge: no answer rather than none
                found = None
            if found is not None:
                self._frontier = np.unique(found.utilities, axis=0)
            elif utilities.agenda.size <= PARETO_CHECK_LIMIT:
                choices = utilities.agenda.all_choices()
                points = np.unique(utilities.evaluate(choices)[utilities.acceptable(choices)], axis=0)
                self._frontier = points[pareto_mask(points)]
            else:
                self._frontier = _UNKNOWN
        return None if self._frontier is _UNKNOWN else self._frontier

    def pareto_optimal(self, agreement: Outcome) -> bool | None:
        """Whether no outcome crossing no red line is at least as good for all and better for one.

        ``None`` when :meth:`frontier` is unknown.
        """
        key = _key(agreement)
        if key is not None and key in self._optimal:  # agreements recur across sessions: memoised
            return self._optimal[key]
        answer = self._pareto_optimal(agreement)
        if key is not None and len(self._optimal) < VALUES_LIMIT:
            self._optimal[key] = answer
        return answer

    def _pareto_optimal(self, agreement: Outcome) -> bool | None:
        frontier = self.frontier()
        if frontier is None:
            return None
        known = self.values_of([agreement])[0]
        values = self.utilities.utilities_of(agreement) if known is None else np.array(known)
        # A tight tolerance: the frontier and the agreement are sums of the same numbers in other orders.
        return not bool(dominated_by(values.reshape(1, -1), frontier, tolerance=1e-12)[0])


def _key(outcome: Any) -> Outcome | None:
    """``outcome`` as a hashable tuple, or ``None`` when it cannot be one."""
    try:
        key = outcome if type(outcome) is tuple else tuple(outcome)
        hash(key)
    except TypeError:
        return None
    return key


def compiled_scenario(scenario: Scenario) -> CompiledScenario:
    """The (memoised) compiled form of ``scenario``; the last 16 scenarios are kept."""
    entry = _COMPILED.get(id(scenario))
    if entry is None or entry.scenario is not scenario:
        if len(_COMPILED) >= _SCENARIOS:
            _COMPILED.pop(next(iter(_COMPILED)))
        entry = _COMPILED[id(scenario)] = CompiledScenario(scenario)
    return entry
