"""Issues on the agenda and the outcome space they span.

Every issue is finite: a discrete issue lists named options, an integer issue
spans ``low..high``, a real issue spans ``low..high`` in steps. Constructors keep
the invariants (non-empty names, unique option and issue names, ``low ≤ high``,
finite bounds, a positive step, at most :data:`~accord.domain.invariants.MAX_ISSUE_SIZE` values per issue)
and raise :class:`~accord.errors.DomainError` naming the field otherwise. An *outcome* is a
plain tuple holding one value per issue, in agenda order (an option's name for a
discrete issue, a number for a numeric one). Internally outcomes are rows of
option indices, ``choices: (n_outcomes, n_issues)``.

>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),
...                  IntegerIssue("rounds", 1, 3)))
>>> agenda.size
6
>>> agenda.outcome((1, 2))
('astana', 3)
>>> agenda.choices_of(('astana', 3))
(1, 2)
>>> IntegerIssue("rounds", 3, 1)
Traceback (most recent call last):
...
accord.errors.DomainError: IntegerIssue 'rounds': high: high 1 is below low 3
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np

from accord.domain.invariants import (
    MAX_ISSUE_SIZE,
    require_finite,
    require_language,
    require_name,
    require_unique,
)
from accord.errors import DomainError

__all__ = [
    "Agenda",
    "DiscreteIssue",
    "IntegerIssue",
    "Issue",
    "Option",
    "Outcome",
    "RealIssue",
    "Value",
]

Value: TypeAlias = str | int | float
Outcome: TypeAlias = tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Option:
    """A named option of a discrete issue, with the clause it would put into an agreement.

    ``translations``: the clause in other languages, ``(language, text)`` pairs (``text`` is in
    the scenario's first language). ``proposed_by`` and ``supported_by`` name the parties on
    record as proposing and supporting the clause, and ``source`` where that record is; a
    negotiating text made from the scenario (:mod:`accord.text`) attributes its brackets so.
    """

    name: str
    text: str = ""
    translations: tuple[tuple[str, str], ...] = ()
    proposed_by: str | None = None
    supported_by: tuple[str, ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        require_name("Option", ("name",), self.name, "an option")
        languages = [language for language, _ in self.translations]
        if len(set(languages)) != len(languages):
            raise DomainError("Option", ("translations",), "a language is given twice")
        for language in languages:
            require_language(f"Option {self.name!r}", ("translations", language), language)


@dataclass(frozen=True, slots=True)
class DiscreteIssue:
    """An issue whose options are named, e.g. the sequencing of the agenda."""

    name: str
    options: tuple[Option, ...]
    description: str = ""
    _values: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        subject = f"DiscreteIssue {self.name!r}"
        require_name(subject, ("name",), self.name, "an issue")
        if not self.options:
            raise DomainError(subject, ("options",), "a discrete issue needs at least one option")
        names = tuple(option.name for option in self.options)
        require_unique(subject, "options", names, "option")
        object.__setattr__(self, "_values", names)
        object.__setattr__(self, "_positions", {name: index for index, name in enumerate(names)})

    @property
    def values(self) -> tuple[str, ...]:
        return self._values

    @property
    def size(self) -> int:
        return len(self.options)

    def index_of(self, value: Value) -> int:
        index = self._positions.get(value) if isinstance(value, str) else None
        if index is None:
            raise KeyError(f"{value!r} is not an option of issue {self.name!r}")
        return index

    def clause(self, value: Value) -> str:
        """The clause text of an option (its name when it carries none)."""
        option = self.options[self.index_of(value)]
        return option.text or option.name


@dataclass(frozen=True, slots=True)
class IntegerIssue:
    """An issue taking every integer from ``low`` to ``high`` inclusive."""

    name: str
    low: int
    high: int
    description: str = ""
    _values: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        subject = f"IntegerIssue {self.name!r}"
        require_name(subject, ("name",), self.name, "an issue")
        for field_name in ("low", "high"):
            bound = getattr(self, field_name)
            if isinstance(bound, bool) or not isinstance(bound, numbers.Integral):
                raise DomainError(subject, (field_name,), f"must be a whole number, got {bound!r}")
            object.__setattr__(self, field_name, int(bound))
        if self.high < self.low:
            raise DomainError(subject, ("high",), f"high {self.high} is below low {self.low}")
        if self.high - self.low >= MAX_ISSUE_SIZE:
            raise DomainError(
                subject, ("high",), f"an integer issue may have at most {MAX_ISSUE_SIZE:,} values"
            )
        object.__setattr__(self, "_values", tuple(range(self.low, self.high + 1)))

    @property
    def values(self) -> tuple[int, ...]:
        return self._values

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def index_of(self, value: Value) -> int:
        if isinstance(value, str) or value != int(value) or not self.low <= value <= self.high:
            raise KeyError(f"{value!r} is not a value of issue {self.name!r}")
        return int(value) - self.low

    def clause(self, value: Value) -> str:
        return f"{self.name} = {value}"


@dataclass(frozen=True, slots=True)
class RealIssue:
    """An issue taking ``low, low + step, …`` up to ``high`` (the last step may be short)."""

    name: str
    low: float
    high: float
    step: float
    description: str = ""
    _values: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        subject = f"RealIssue {self.name!r}"
        require_name(subject, ("name",), self.name, "an issue")
        for field_name in ("low", "high", "step"):
            require_finite(subject, (field_name,), getattr(self, field_name))
        if self.high < self.low:
            raise DomainError(subject, ("high",), f"high {self.high} is below low {self.low}")
        if self.step <= 0:
            raise DomainError(subject, ("step",), f"must be positive, got {self.step}")
        count = math.floor((self.high - self.low) / self.step + 1e-9) + 1
        if count > MAX_ISSUE_SIZE:
            raise DomainError(subject, ("step",), f"a real issue may have at most {MAX_ISSUE_SIZE:,} values")
        grid = [self.low + index * self.step for index in range(count)]
        if self.high - grid[-1] > 1e-9 * max(1.0, abs(self.high)):
            grid.append(self.high)
        object.__setattr__(self, "_values", tuple(round(value, 12) for value in grid))

    @property
    def values(self) -> tuple[float, ...]:
        return self._values

    @property
    def size(self) -> int:
        return len(self._values)

    def index_of(self, value: Value) -> int:
        if not isinstance(value, str):
            for index, candidate in enumerate(self._values):
                if abs(candidate - value) <= 1e-9 * max(1.0, abs(candidate)):
                    return index
        raise KeyError(f"{value!r} is not a value of issue {self.name!r}")

    def clause(self, value: Value) -> str:
        return f"{self.name} = {value}"


Issue: TypeAlias = DiscreteIssue | IntegerIssue | RealIssue


@dataclass(frozen=True, slots=True)
class Agenda:
    """The issues under negotiation, in order (at least one, names unique).

    Their product is the outcome space.
    """

    issues: tuple[Issue, ...]

    def __post_init__(self) -> None:
        if not self.issues:
            raise DomainError("Agenda", ("issues",), "an agenda needs at least one issue")
        require_unique("Agenda", "issues", (issue.name for issue in self.issues), "issue")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(issue.name for issue in self.issues)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(issue.size for issue in self.issues)

    @property
    def size(self) -> int:
        """The number of outcomes (a Python int: it may exceed 2**63)."""
        return math.prod(self.sizes)

    def issue(self, name: str) -> Issue:
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise KeyError(f"no issue named {name!r}")

    def position(self, name: str) -> int:
        return self.names.index(name)

    def outcome(self, choices: Sequence[int] | np.ndarray) -> Outcome:
        """The outcome whose option indices are ``choices``."""
        return tuple(issue.values[int(index)] for issue, index in zip(self.issues, choices, strict=True))

    def choices_of(self, outcome: Sequence[Value]) -> tuple[int, ...]:
        """The option indices of an outcome; ``KeyError`` names the first bad value."""
        if len(outcome) != len(self.issues):
            raise KeyError(f"an outcome has {len(self.issues)} values, got {len(outcome)}")
        return tuple(issue.index_of(value) for issue, value in zip(self.issues, outcome, strict=True))

    def as_mapping(self, outcome: Sequence[Value]) -> dict[str, Value]:
        """``{issue: value}`` for an outcome, the form used in JSON output."""
        return dict(zip(self.names, outcome, strict=True))

    def all_choices(self, *, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows ``start..stop`` of the enumerated outcome space (mixed-radix order, last issue fastest).

        Returns ``choices: (stop - start, n_issues)`` of ``int64``.
        """
        total = self.size
        stop = total if stop is None else min(stop, total)
        flat = np.arange(start, stop, dtype=np.int64)
        choices = np.empty((flat.size, len(self.issues)), dtype=np.int64)
        for column in range(len(self.issues) - 1, -1, -1):
            size = self.sizes[column]
            choices[:, column] = flat % size
            flat //= size
        return choices

    def chunks(self, chunk_size: int) -> Iterator[np.ndarray]:
        """The whole outcome space as successive ``choices`` blocks of at most ``chunk_size`` rows."""
        for start in range(0, self.size, chunk_size):
            yield self.all_choices(start=start, stop=start + chunk_size)
