"""A scenario's compiled preferences, with what sessions on it keep asking, reused across sessions.

:func:`compiled_scenario` memoises per scenario object: the compiled utilities, the
Pareto frontier and the Nash point (computed on first use, by :mod:`accord.analysis`,
the same as ``accord analyze`` gives) and every delegation's utility of each package
met so far. It is a deterministic memo, not state: the same inputs always give the
same values, whichever session asked first.

It is safe to share between threads (a room serves many sessions at once): look-ups
take no lock; new answers are computed outside any lock and published under one, so
two threads that race at most compute the same answer twice; the frontier, costly,
is computed by one thread while the others wait for it. Every memo is bounded, and
nothing it hands out can be changed by the caller (tuples, read-only arrays).

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
>>> agenda = Agenda((DiscreteIssue("room", (Option("north"), Option("south"))),))
>>> party = Party("A", Role.DELEGATION, Preferences({"room": 1.0}, {"room": {"north": 1.0, "south": 0.4}}))
>>> compiled = compiled_scenario(Scenario("one room", agenda, (party,)))
>>> compiled.values_of([("south",), ("west",)])
[(0.4,), None]
>>> compiled.pareto_optimal(("north",)), compiled.pareto_optimal(("south",))
(True, False)
>>> compiled.nash_utilities()
(1.0,)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np

from accord.analysis import dominated_by, exact_frontier, nash_point
from accord.domain import Outcome, Scenario
from accord.errors import AnalysisError
from accord.preferences import ScenarioUtilities, scenario_utilities

__all__ = ["SCENARIOS_LIMIT", "VALUES_LIMIT", "CompiledScenario", "compiled_scenario"]

#: At most this many packages' utilities (and Pareto verdicts) are remembered per scenario;
#: later ones are worked out each time.
VALUES_LIMIT = 1 << 16

#: At most this many scenarios are remembered (the least recently used is dropped first).
SCENARIOS_LIMIT = 16

#: Keyed by identity; each entry keeps its scenario object alive, so an id in the memo is never
#: reused by another object while its entry is there (and the entry's scenario is checked anyway).
_COMPILED: OrderedDict[int, CompiledScenario] = OrderedDict()
_COMPILED_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class _Bargaining:
    """What sessions ask of the analysis: the frontier's distinct utility vectors ``(m, n_parties)``
    (read-only) and the Nash point's utilities, or why they are unknown."""

    frontier: np.ndarray | None
    nash: tuple[float, ...] | None
    unknown: str | None


def _bargaining(utilities: ScenarioUtilities) -> _Bargaining:
    try:
        frontier = exact_frontier(utilities)
    except AnalysisError as error:  # too large to analyse: no answer, rather than a wrong one
        return _Bargaining(None, None, str(error))
    row = nash_point(frontier.utilities, utilities.reservations)
    nash = None if row is None else tuple(float(value) for value in frontier.utilities[row])
    points = np.unique(frontier.utilities, axis=0)
    points.setflags(write=False)
    return _Bargaining(points, nash, None)


class CompiledScenario:
    """One scenario's :class:`~accord.preferences.ScenarioUtilities` and memoised answers about it."""

    __slots__ = (
        "_bargaining",
        "_bargaining_lock",
        "_lock",
        "_optimal",
        "_positions",
        "_values",
        "scenario",
        "utilities",
    )

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.utilities: ScenarioUtilities = _sealed(scenario_utilities(scenario))
        self._positions = tuple(
            {value: index for index, value in enumerate(issue.values)} for issue in scenario.agenda.issues
        )
        self._values: dict[Outcome, tuple[float, ...]] = {}
        self._optimal: dict[Outcome, bool | None] = {}
        self._bargaining: _Bargaining | None = None
        self._lock = threading.Lock()  # taken only to publish new entries of the two dictionaries
        self._bargaining_lock = threading.Lock()  # one thread works out the frontier, the others wait

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
            self._publish(known, found)
        values: list[tuple[float, ...] | None] = []
        for key in keys:
            value = None if key is None else known.get(key)
            values.append(found.get(key) if value is None and key is not None else value)
        return values

    def _publish(self, memo: dict[Outcome, Any], found: dict[Outcome, Any]) -> None:
        """Add ``found`` to ``memo`` while it has room (entries are never replaced nor removed)."""
        with self._lock:
            room = VALUES_LIMIT - len(memo)
            if room >= len(found):
                memo.update(found)
            elif room > 0:
                memo.update(islice(found.items(), room))

    def _analysed(self) -> _Bargaining:
        found = self._bargaining
        if found is None:
            with self._bargaining_lock:
                found = self._bargaining
                if found is None:
                    found = self._bargaining = _bargaining(self.utilities)
        return found

    def frontier(self) -> np.ndarray | None:
        """``(m, n_parties)`` distinct utility vectors of the Pareto frontier of the outcomes crossing
        no red line (read-only), or ``None`` when the scenario is too large to analyse.

        The frontier is :func:`accord.analysis.exact_frontier`'s, under its one enumeration limit.
        """
        return self._analysed().frontier

    def nash_utilities(self) -> tuple[float, ...] | None:
        """Each delegation's utility of the Nash point (:func:`accord.analysis.nash_point` on the
        frontier, as ``accord analyze`` finds it); ``None`` without a rational outcome or when the
        scenario is too large to analyse."""
        return self._analysed().nash

    def pareto_optimal(self, agreement: Outcome) -> bool | None:
        """Whether no outcome crossing no red line dominates ``agreement`` (with the tolerance of
        :data:`~accord.analysis.PARETO_TOLERANCE`, as everywhere).

        ``None`` when :meth:`frontier` is unknown.
        """
        key = _key(agreement)
        if key is not None and key in self._optimal:  # agreements recur across sessions: memoised
            return self._optimal[key]  # (entries are never removed)
        return self.pareto_verdicts([agreement])[0]

    def pareto_verdicts(self, agreements: Sequence[Outcome]) -> list[bool | None]:
        """:meth:`pareto_optimal` of each of ``agreements``; those not met before are worked out together
        (one dominance test of them all against the frontier: the batch engine's many endings)."""
        memo = self._optimal
        fresh: dict[Outcome, Outcome] = {}
        unkeyed = []
        for agreement in agreements:
            key = _key(agreement)
            if key is None:
                unkeyed.append(agreement)
            elif key not in memo:
                fresh.setdefault(key, agreement)
        found: dict[Outcome, bool | None] = {}
        if fresh:
            found = dict(zip(fresh, self._verdicts(list(fresh.values())), strict=True))
            self._publish(memo, found)
        odd = dict(zip(map(id, unkeyed), self._verdicts(unkeyed), strict=True)) if unkeyed else {}
        verdicts: list[bool | None] = []
        for agreement in agreements:
            key = _key(agreement)
            if key is None:
                verdicts.append(odd[id(agreement)])
            else:
                verdicts.append(memo[key] if key in memo else found[key])
        return verdicts

    def _verdicts(self, agreements: list[Outcome]) -> list[bool | None]:
        frontier = self.frontier()
        if frontier is None:
            return [None] * len(agreements)
        rows = [
            self.utilities.utilities_of(agreement) if known is None else np.array(known)
            for agreement, known in zip(agreements, self.values_of(agreements), strict=True)
        ]
        dominated = dominated_by(np.array(rows).reshape(len(rows), -1), frontier)
        return [not value for value in dominated.tolist()]


def _sealed(utilities: ScenarioUtilities) -> ScenarioUtilities:
    """``utilities`` with every array read-only: every session (and every agent, through its
    seat's context) shares them, so none may change them for the others."""
    for member in utilities.members:
        lines = [*member.red_lines, *(line for line, _ in member.interactions)]
        arrays = [*member.tables, *(forbidden for line in lines for _, forbidden in line.terms)]
        for array in arrays:
            array.setflags(write=False)
    return utilities


def _key(outcome: Any) -> Outcome | None:
    """``outcome`` as a hashable tuple, or ``None`` when it cannot be one."""
    try:
        key = outcome if type(outcome) is tuple else tuple(outcome)
        hash(key)
    except TypeError:
        return None
    return key


def compiled_scenario(scenario: Scenario) -> CompiledScenario:
    """The (memoised) compiled form of ``scenario``; the last :data:`SCENARIOS_LIMIT` scenarios used are kept.

    Threads asking for the same new scenario at once may each compile it, but all receive
    the one entry published first, and so share its memos.
    """
    key = id(scenario)
    entry = _COMPILED.get(key)
    if entry is not None and entry.scenario is scenario:
        with _COMPILED_LOCK:  # once per session: keep the most recently used at the end
            if key in _COMPILED:
                _COMPILED.move_to_end(key)
        return entry
    built = CompiledScenario(scenario)  # outside the lock: compiling takes a while
    with _COMPILED_LOCK:
        entry = _COMPILED.get(key)
        if entry is not None and entry.scenario is scenario:
            return entry
        _COMPILED.pop(key, None)
        while len(_COMPILED) >= SCENARIOS_LIMIT:
            _COMPILED.popitem(last=False)
        _COMPILED[key] = built
    return built
