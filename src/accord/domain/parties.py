"""Parties at the table and their confidential preferences (declarative, no arrays).

A delegation's :class:`Preferences` are additive: issue weights times option
values, optionally on a numeric issue a :class:`ValueFunction`, plus a
reservation value (walk-away utility) and red lines. The compiled, array form
lives in :mod:`accord.preferences`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from accord.domain.issues import Value

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

    ``points`` are ``(x, value)`` pairs with increasing ``x``; outside them the
    nearest end value holds. A linear function is two points.

    >>> ValueFunction(((0, 1.0), (10, 0.0))).value_at(2.5)
    0.75
    """

    points: tuple[tuple[float, float], ...]

    def value_at(self, x: float) -> float:
        xs = [point[0] for point in self.points]
        if x <= xs[0]:
            value = self.points[0][1]
        elif x >= xs[-1]:
            value = self.points[-1][1]
        else:
            value = self.points[-1][1]
            for (x0, v0), (x1, v1) in zip(self.points, self.points[1:], strict=False):
                if x0 <= x <= x1:
                    value = v0 if x1 == x0 else v0 + (v1 - v0) * (x - x0) / (x1 - x0)
                    break
        return min(1.0, max(0.0, value))


@dataclass(frozen=True, slots=True)
class Condition:
    """Holds when an outcome's value on ``issue`` is one of ``values`` or lies in ``[at_least, at_most]``."""

    issue: str
    values: tuple[Value, ...] = ()
    at_least: float | None = None
    at_most: float | None = None

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
    across issues.
    """

    conditions: tuple[Condition, ...]
    reason: str = ""

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


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Preferences:
    """A delegation's confidential preferences.

    ``weights``: issue → weight (Genius convention: as written; utility is capped at 1).
    ``option_values``: discrete issue → option name → value in [0, 1].
    ``value_functions``: numeric issue → :class:`ValueFunction`.
    An issue with neither has value 0 everywhere.
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
