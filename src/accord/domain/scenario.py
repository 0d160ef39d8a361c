"""A scenario: the agenda, the parties, and forecasting dimensions."""

from __future__ import annotations

from dataclasses import dataclass

from accord.domain.issues import Agenda
from accord.domain.parties import Party, Preferences, Role

__all__ = ["Dimension", "Scenario"]


@dataclass(frozen=True, slots=True)
class Dimension:
    """A forecasting dimension: a policy scale on which actors hold positions (0–100 by default)."""

    name: str
    description: str = ""
    low: float = 0.0
    high: float = 100.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything known before talks start. Frozen; built by :mod:`accord.io`."""

    name: str
    agenda: Agenda
    parties: tuple[Party, ...]
    description: str = ""
    dimensions: tuple[Dimension, ...] = ()

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
