"""The contract every agent meets, and what a seat knows before talks start.

An agent is a small class with two methods: :meth:`Agent.reset`, called once
with the seat's :class:`SeatContext` and a seeded generator, and
:meth:`Agent.act`, called with an :class:`~accord.protocols.Observation` each
time the seat is awaited. Only :func:`accord.session.run_session` (and the
web room) call agents.

A delegation's context holds only its own confidential preferences. The
mediator's context holds every delegation's, as a real envoy in proximity
talks is told what each side can live with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np

from accord.domain import Agenda, Role
from accord.preferences import PartyUtility
from accord.protocols import Action, Observation

__all__ = ["Agent", "SeatContext"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatContext:
    """Everything a seat may know before the first move.

    ``utility``: the seat's own compiled preferences (``None`` for a mediator).
    ``confidential``: for the mediator only, every delegation's preferences by name.
    ``delegations``: the delegations' names in seating order (public).
    """

    seat: str
    role: Role
    protocol: str
    agenda: Agenda
    delegations: tuple[str, ...]
    rounds: int
    utility: PartyUtility | None = None
    confidential: Mapping[str, PartyUtility] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)


class Agent(Protocol):
    """A strategy for one seat. ``id`` is versioned, e.g. ``"boulware-v1"``."""

    id: ClassVar[str]

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        """Prepare for a new session; all randomness must come from ``rng``."""
        ...

    def act(self, observation: Observation) -> Action:
        """Choose an action among ``observation.allowed``."""
        ...
