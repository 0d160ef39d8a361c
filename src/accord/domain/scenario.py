"""A scenario: the agenda, the parties, and forecasting dimensions.

Constructors keep the invariants: names non-empty, party and dimension names
unique, at most one mediator, a dimension's ``low`` below its ``high``; otherwise
they raise :class:`~accord.errors.DomainError` naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.domain.invariants import require_finite, require_name, require_unique
from accord.domain.issues import Agenda
from accord.domain.parties import Party, Preferences, Role
from accord.errors import DomainError

__all__ = ["Dimension", "Scenario"]


@dataclass(frozen=True, slots=True)
class Dimension:
    """A forecasting dimension: a policy scale on which actors hold positions (0–100 by default)."""

    name: str
    description: str = ""
    low: float = 0.0
    high: float = 100.0

    def __post_init__(self) -> None:
        subject = f"Dimension {self.name!r}"
        require_name(subject, ("name",), self.name, "a dimension")
        require_finite(subject, ("low",), self.low)
        require_finite(subject, ("high",), self.high)
        if self.high <= self.low:
            raise DomainError(subject, ("high",), f"high {self.high} is not above low {self.low}")


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything known before talks start. Frozen; built by :mod:`accord.io`."""

    name: str
    agenda: Agenda
    parties: tuple[Party, ...]
    description: str = ""
    dimensions: tuple[Dimension, ...] = ()

    def __post_init__(self) -> None:
        subject = f"Scenario {self.name!r}"
        require_name(subject, ("name",), self.name, "a scenario")
        require_unique(subject, "parties", (party.name for party in self.parties), "party")
        mediators = [index for index, party in enumerate(self.parties) if party.role is Role.MEDIATOR]
        if len(mediators) > 1:
            raise DomainError(
                subject, ("parties", mediators[1], "role"), "at most one party may be the mediator"
            )
        require_unique(subject, "dimensions", (dimension.name for dimension in self.dimensions), "dimension")

    @property
    def delegations(self) -> tuple[Party, ...]:
        """Parties with confidential preferences, in file order: the seats analysis is about."""
        return tuple(
            party for party in self.parties if party.role is Role.DELEGATION and party.preferences is not None
        )

    @property
    def mediator(self) -> Party | None:
        return next((party for party in self.parties if party.role is Role.MEDIATOR), None)

    def party(self, name: str) -> Party:
        for party in self.parties:
            if party.name == name:
                return party
        raise KeyError(f"no party named {name!r}")

    def preferences_of(self, name: str) -> Preferences:
        preferences = self.party(name).preferences
        if preferences is None:
            raise KeyError(f"party {name!r} has no preferences")
        return preferences

    def restricted_to(self, names: tuple[str, ...]) -> Scenario:
        """The same scenario with only the named delegations (mediator and observers kept)."""
        kept = tuple(
            party for party in self.parties if party.role is not Role.DELEGATION or party.name in names
        )
        return Scenario(self.name, self.agenda, kept, self.description, self.dimensions)
