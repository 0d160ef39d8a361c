"""The contract every agent meets, and what a seat knows before talks start.

An agent is a small class with two methods: :meth:`Agent.reset`, called once
with the seat's :class:`SeatContext` and a seeded generator, and
:meth:`Agent.act`, called with an :class:`~accord.protocols.Observation` each
time the seat is awaited. Only :func:`accord.session.run_session` (and the
web room) call agents.

A delegation's context holds only its own confidential preferences. The
mediator's context holds every delegation's, as a real envoy in proximity
talks is told what each side can live with.

Everything an agent receives is read-only by construction: the context is
frozen, its preferences' arrays are read-only, ``confidential`` is a read-only
mapping and ``options`` a frozen :class:`~accord.protocols.Options`; observations
and events are immutable (:mod:`accord.protocols.base`). An agent that tries to
change any of them raises, and the session records it as walking away.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Protocol

import numpy as np

from accord.domain import Agenda, Role
from accord.preferences import PartyUtility
from accord.protocols import Action, Observation, Options

__all__ = ["Agent", "SeatContext"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatContext:
    """Everything a seat may know before the first move.

    ``utility``: the seat's own compiled preferences (``None`` for a mediator).
    ``confidential``: for the mediator only, every delegation's preferences by name
    (a read-only mapping). ``delegations``: the delegations' names in seating order
    (public). ``options``: the protocol settings of the session (frozen; a plain
    mapping given here is turned into :class:`~accord.protocols.Options`).
    """

    seat: str
    role: Role
    protocol: str
    agenda: Agenda
    delegations: tuple[str, ...]
    rounds: int
    utility: PartyUtility | None = None
    confidential: Mapping[str, PartyUtility] = field(default_factory=lambda: MappingProxyType({}))
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        if type(self.confidential) is not MappingProxyType:
            object.__setattr__(self, "confidential", MappingProxyType(self.confidential))
        if not isinstance(self.options, Options):
            object.__setattr__(self, "options", Options.from_mapping(self.options))


class Agent(Protocol):
    """A strategy for one seat. ``id`` is versioned, e.g. ``"boulware-v1"``."""

    id: ClassVar[str]

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        """Prepare for a new session; all randomness must come from ``rng``."""
        ...

    def act(self, observation: Observation) -> Action:
        """Choose an action among ``observation.allowed``."""
        ...
