"""Parties at the table and their confidential preferences (declarative, no arrays).

A delegation's :class:`Preferences` are additive: issue weights times option
values, optionally on a numeric issue a :class:`ValueFunction`, plus a
reservation value (walk-away utility) and red lines. The compiled, array form
lives in :mod:`accord.preferences`. Constructors keep the invariants (weights
finite and ≥ 0 with a positive sum, option values and the reservation in [0, 1],
value-function points finite with increasing x, …) and raise
:class:`~accord.errors.DomainError` naming the field otherwise.

>>> Preferences({"fee": 1.0}, reservation=1.5)
Traceback (most recent call last):
...
accord.errors.DomainError: Preferences: reservation: must lie in [0, 1], got 1.5
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from accord.domain.invariants import require_finite, require_in_range, require_name
from accord.domain.issues import Value
from accord.errors import DomainError

__all__ = [
    "Condition",
    "Interaction",
    "Party",
    "Preferences",
    "RedLine",
    "Role",
    "ValueFunction",
]


class Role(StrEnum):
    """What a seat does at the table."""

    MEDIATOR = "mediator"
    DELEGATION = "delegation"
    OBSERVER = "observer"


@dataclass(frozen=True, slots=True)
class ValueFunction:
    """A piecewise-linear value function on a numeric issue, clamped to [0, 1].

    ``points`` are finite ``(x, value)`` pairs with strictly increasing ``x`` (at
    least one); outside them the nearest end value holds. A linear function is two points.

    >>> ValueFunction(((0, 1.0), (10, 0.0))).value_at(2.5)
    0.75
    """

    points: tuple[tuple[float, float], ...]

    def __post_init__(self) -> None:
        if not self.points:
            raise DomainError("ValueFunction", ("points",), "a value function needs at least one point")
        for index, point in enumerate(self.points):
            if len(point) != 2:
                raise DomainError("ValueFunction", ("points", index), "expected an (x, value) pair")
            require_finite("ValueFunction", ("points", index, 0), point[0])
            require_finite("ValueFunction", ("points", index, 1), point[1])
            if index and point[0] <= self.points[index - 1][0]:
                raise DomainError(
                    "ValueFunction", ("points", index), "points must have strictly increasing x"
                )

    def value_at(self, x: float) -> float:
        if x <= self.points[0][0]:
            value = self.points[0][1]
        elif x >= self.points[-1][0]:
            value = self.points[-1][1]
        else:
            value = self.points[-1][1]
            for (x0, v0), (x1, v1) in itertools.pairwise(self.points):
                if x0 <= x <= x1:
                    value = v0 + (v1 - v0) * (x - x0) / (x1 - x0)
                    break
        return min(1.0, max(0.0, value))


@dataclass(frozen=True, slots=True)
class Condition:
    """Holds when an outcome's value on ``issue`` is one of ``values`` or lies in ``[at_least, at_most]``."""

    issue: str
    values: tuple[Value, ...] = ()
    at_least: float | None = None
    at_most: float | None = None

    def __post_init__(self) -> None:
        subject = f"Condition on {self.issue!r}"
        require_name(subject, ("issue",), self.issue, "a condition's issue")
        if not self.values and self.at_least is None and self.at_most is None:
            raise DomainError(subject, (), "a condition needs options, at_least or at_most")
        for field_name in ("at_least", "at_most"):
            bound = getattr(self, field_name)
            if bound is not None and math.isnan(bound):
                raise DomainError(subject, (field_name,), "must be a number, got nan")

    def holds(self, value: Value) -> bool:
        if self.values:
            return value in self.values
        if isinstance(value, str):
            return False
        if self.at_least is not None and value < self.at_least:
            return False
        return not (self.at_most is not None and value > self.at_most)


@dataclass(frozen=True, slots=True)
class RedLine:
    """An outcome the party can never accept: every condition holds together.

    One condition forbids options of one issue; several forbid a combination
    across issues. ``source`` names the public record of the stance the red line
    paraphrases; ``assumption`` marks a red line that has none (a modelling assumption).
    """

    conditions: tuple[Condition, ...]
    reason: str = ""
    source: str = ""
    assumption: bool = False

    def __post_init__(self) -> None:
        if not self.conditions:
            raise DomainError("RedLine", ("conditions",), "a red line needs at least one condition")
        if self.source and self.assumption:
            raise DomainError("RedLine", ("assumption",), "a red line with a public source is no assumption")

    @property
    def issues(self) -> tuple[str, ...]:
        return tuple(condition.issue for condition in self.conditions)


@dataclass(frozen=True, slots=True)
class Interaction:
    """Value a party adds to its utility when every condition holds together.

    This makes utilities non-additive (packages worth more, or less, than their
    parts), as Genius's hyper-rectangle profiles are.
    """

    conditions: tuple[Condition, ...]
    value: float

    def __post_init__(self) -> None:
        if not self.conditions:
            raise DomainError("Interaction", ("conditions",), "an interaction needs at least one condition")
        require_finite("Interaction", ("value",), self.value)


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Preferences:
    """A delegation's confidential preferences.

    ``weights``: issue → weight ≥ 0, summing to a positive number (Genius convention:
    as written; utility is capped at 1).
    ``option_values``: discrete issue → option name → value in [0, 1].
    ``value_functions``: numeric issue → :class:`ValueFunction`.
    An issue with neither has value 0 everywhere.
    ``reservation``: the walk-away utility, in [0, 1].
    ``interactions``: extra value for combinations across issues (non-additive).
    ``discount``: per-round discount factor in (0, 1], or ``None`` for none.
    """

    weights: Mapping[str, float]
    option_values: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    value_functions: Mapping[str, ValueFunction] = field(default_factory=dict)
    reservation: float = 0.0
    red_lines: tuple[RedLine, ...] = ()
    discount: float | None = None
    interactions: tuple[Interaction, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", _frozen(self.weights))
        object.__setattr__(
            self,
            "option_values",
            _frozen({issue: _frozen(values) for issue, values in self.option_values.items()}),
        )
        object.__setattr__(self, "value_functions", _frozen(self.value_functions))
        subject = "Preferences"
        for issue, weight in self.weights.items():
            require_in_range(subject, ("weights", issue), weight, low=0.0, high=math.inf)
        if sum(self.weights.values()) <= 0:
            raise DomainError(subject, ("weights",), "weights must sum to a positive number")
        for issue, values in self.option_values.items():
            for option, value in values.items():
                require_in_range(subject, ("option_values", issue, option), value, low=0.0, high=1.0)
        require_in_range(subject, ("reservation",), self.reservation, low=0.0, high=1.0)
        if self.discount is not None:
            require_in_range(subject, ("discount",), self.discount, low=0.0, high=1.0, open_low=True)


@dataclass(frozen=True, slots=True)
class Party:
    """A seat: its name, role, confidential preferences and forecasting attributes.

    ``capability`` (political weight), ``positions`` and ``salience`` (dimension
    → 0–100 value) feed the forecasting models.
    """

    name: str
    role: Role = Role.DELEGATION
    preferences: Preferences | None = None
    description: str = ""
    capability: float | None = None
    positions: Mapping[str, float] = field(default_factory=dict)
    salience: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "positions", _frozen(self.positions))
        object.__setattr__(self, "salience", _frozen(self.salience))
        subject = f"Party {self.name!r}"
        require_name(subject, ("name",), self.name, "a party")
        if not isinstance(self.role, Role):
            raise DomainError(subject, ("role",), f"expected a Role, got {self.role!r}")
        if self.capability is not None:
            require_in_range(subject, ("capability",), self.capability, low=0.0, high=math.inf)
        for dimension, position in self.positions.items():
            require_finite(subject, ("positions", dimension), position)
        for dimension, salience in self.salience.items():
            require_in_range(subject, ("salience", dimension), salience, low=0.0, high=100.0)
