"""Compile declarative preferences into arrays and evaluate outcomes.

A party's utility of an outcome is ``min(1, Σ_i table_i[choice_i])`` where
``table_i = weight_i × value_i`` (the Genius convention: weights as written,
total capped at 1). While the weights sum to at most 1 the cap never binds and
the utility is *additive*, which the exact issue-wise analysis relies on.

Compiled arrays are read-only (``numpy``'s ``writeable`` flag is off): they are
shared by every session on a scenario and handed to agents, so nobody may write
into them.

>>> from accord.domain import Agenda, DiscreteIssue, Option, Preferences
>>> agenda = Agenda((DiscreteIssue("a", (Option("x"), Option("y"))),))
>>> utility = party_utility(agenda, Preferences({"a": 1.0}, {"a": {"x": 0.25, "y": 1.0}}))
>>> utility.evaluate(agenda.all_choices()).tolist()
[0.25, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    Outcome,
    Preferences,
    Scenario,
)

__all__ = ["PartyUtility", "ScenarioUtilities", "party_utility", "scenario_utilities"]

#: Weights may exceed a sum of 1 by this much before the cap is said to bind.
WEIGHT_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class CompiledRedLine:
    """A conjunction of conditions (a red line, or an interaction's package) as one boolean mask
    per constrained issue: ``(issue position, forbidden: (n_options,))``."""

    terms: tuple[tuple[int, np.ndarray], ...]

    def violated(self, choices: np.ndarray) -> np.ndarray:
        """``(n,)`` bool: rows of ``choices: (n, n_issues)`` that cross this red line."""
        crossed = np.ones(choices.shape[0], dtype=bool)
        for position, forbidden in self.terms:
            crossed &= forbidden[choices[:, position]]
        return crossed


@dataclass(frozen=True, slots=True)
class PartyUtility:
    """One party's compiled preferences.

    ``tables[i]: (n_options_i,)`` holds weight × value for issue ``i``.
    """

    tables: tuple[np.ndarray, ...]
    reservation: float
    red_lines: tuple[CompiledRedLine, ...]
    capped: bool
    discount: float | None = None
    interactions: tuple[tuple[CompiledRedLine, float], ...] = ()

    @property
    def additive(self) -> bool:
        """True when utilities add up issue by issue (no cap binding, no interactions)."""
        return not self.capped and not self.interactions

    def evaluate(self, choices: np.ndarray) -> np.ndarray:
        """Utilities ``(n,)`` of ``choices: (n, n_issues)``."""
        total = np.zeros(choices.shape[0], dtype=np.float64)
        for position, table in enumerate(self.tables):
            total += table[choices[:, position]]
        for combination, value in self.interactions:
            total += value * combination.violated(choices)
        return np.minimum(total, 1.0) if self.capped else total

    def acceptable(self, choices: np.ndarray) -> np.ndarray:
        """``(n,)`` bool: outcomes crossing none of the party's red lines."""
        ok = np.ones(choices.shape[0], dtype=bool)
        for red_line in self.red_lines:
            ok &= ~red_line.violated(choices)
        return ok

    @property
    def best(self) -> float:
        """An upper bound on utility (exact when additive; red lines ignored)."""
        total = float(sum(table.max() for table in self.tables))
        total += sum(max(value, 0.0) for _, value in self.interactions)
        return min(total, 1.0) if self.capped else total

    @property
    def worst(self) -> float:
        """A lower bound on utility (exact when additive; red lines ignored)."""
        total = float(sum(table.min() for table in self.tables))
        total += sum(min(value, 0.0) for _, value in self.interactions)
        return min(total, 1.0) if self.capped else total


def _value_table(agenda: Agenda, preferences: Preferences, position: int) -> np.ndarray:
    issue = agenda.issues[position]
    values = np.zeros(issue.size, dtype=np.float64)
    if isinstance(issue, DiscreteIssue):
        given = preferences.option_values.get(issue.name, {})
        for index, option in enumerate(issue.options):
            values[index] = float(given.get(option.name, 0.0))
    elif issue.name in preferences.value_functions:
        function = preferences.value_functions[issue.name]
        values[:] = [function.value_at(float(x)) for x in issue.values]
    return values


def _read_only(array: np.ndarray) -> np.ndarray:
    """``array``, no longer writeable (it is shared between sessions and agents)."""
    array.setflags(write=False)
    return array


def _compile_conditions(agenda: Agenda, conditions: tuple[Condition, ...]) -> CompiledRedLine:
    terms = []
    for condition in conditions:
        position = agenda.position(condition.issue)
        issue = agenda.issues[position]
        forbidden = np.array([condition.holds(value) for value in issue.values], dtype=bool)
        terms.append((position, _read_only(forbidden)))
    return CompiledRedLine(tuple(terms))


def party_utility(agenda: Agenda, preferences: Preferences) -> PartyUtility:
    """Compile one party's preferences over ``agenda``."""
    weights = [float(preferences.weights.get(name, 0.0)) for name in agenda.names]
    tables = tuple(
        _read_only(weight * _value_table(agenda, preferences, position))
        for position, weight in enumerate(weights)
    )
    return PartyUtility(
        tables=tables,
        reservation=float(preferences.reservation),
        red_lines=tuple(_compile_conditions(agenda, line.conditions) for line in preferences.red_lines),
        capped=sum(weights) > 1.0 + WEIGHT_SUM_TOLERANCE,
        discount=preferences.discount,
        interactions=tuple(
            (_compile_conditions(agenda, item.conditions), float(item.value))
            for item in preferences.interactions
        ),
    )


@dataclass(frozen=True, slots=True)
class ScenarioUtilities:
    """All delegations' compiled preferences, in scenario order.

    ``tables[i]: (n_options_i, n_parties)`` stacks every party's table for issue ``i``.
    """

    agenda: Agenda
    parties: tuple[str, ...]
    members: tuple[PartyUtility, ...]

    @property
    def tables(self) -> tuple[np.ndarray, ...]:
        return tuple(
            np.stack([member.tables[position] for member in self.members], axis=1)
            for position in range(len(self.agenda.issues))
        )

    @property
    def reservations(self) -> np.ndarray:
        """``(n_parties,)`` reservation values."""
        return np.array([member.reservation for member in self.members], dtype=np.float64)

    @property
    def additive(self) -> bool:
        """True when every party's utility adds up issue by issue (exact issue-wise analysis)."""
        return all(member.additive for member in self.members)

    @property
    def has_cross_issue_red_lines(self) -> bool:
        return any(len(line.terms) > 1 for member in self.members for line in member.red_lines)

    @property
    def has_red_lines(self) -> bool:
        return any(member.red_lines for member in self.members)

    def evaluate(self, choices: np.ndarray) -> np.ndarray:
        """Utilities ``(n, n_parties)`` of ``choices: (n, n_issues)``."""
        return np.stack([member.evaluate(choices) for member in self.members], axis=1)

    def acceptable(self, choices: np.ndarray) -> np.ndarray:
        """``(n,)`` bool: outcomes crossing no party's red line."""
        ok = np.ones(choices.shape[0], dtype=bool)
        for member in self.members:
            ok &= member.acceptable(choices)
        return ok

    def allowed_options(self) -> tuple[np.ndarray, ...]:
        """Per issue, ``(n_options_i,)`` bool: options no single-issue red line forbids."""
        allowed = [np.ones(size, dtype=bool) for size in self.agenda.sizes]
        for member in self.members:
            for line in member.red_lines:
                if len(line.terms) == 1:
                    position, forbidden = line.terms[0]
                    allowed[position] &= ~forbidden
        return tuple(allowed)

    def utilities_of(self, outcome: Outcome | Sequence[object]) -> np.ndarray:
        """``(n_parties,)`` utilities of one outcome given as values."""
        choices = np.array([self.agenda.choices_of(tuple(outcome))], dtype=np.int64)  # type: ignore[arg-type]
        utilities: np.ndarray = self.evaluate(choices)[0]
        return utilities

    def restricted_to(self, names: Sequence[str]) -> ScenarioUtilities:
        picked = tuple(self.parties.index(name) for name in names)
        return ScenarioUtilities(
            self.agenda, tuple(self.parties[i] for i in picked), tuple(self.members[i] for i in picked)
        )


def scenario_utilities(scenario: Scenario) -> ScenarioUtilities:
    """Compile every delegation's preferences in ``scenario``."""
    delegations = scenario.delegations
    return ScenarioUtilities(
        agenda=scenario.agenda,
        parties=tuple(party.name for party in delegations),
        members=tuple(
            party_utility(scenario.agenda, party.preferences)  # type: ignore[arg-type]
            for party in delegations
        ),
    )
