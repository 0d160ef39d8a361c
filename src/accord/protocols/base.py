"""The contract every protocol meets: a pure state machine whose transitions are events.

A protocol never touches I/O, clocks or agents. The session loop (or the web
room) asks it who is awaited (:meth:`Protocol.pending`), what a seat may see
(:meth:`Protocol.observe`), and feeds it the actions of the awaited seats
(:meth:`Protocol.step`), which returns the next state and the events of the
transition. States are immutable: an illegal action raises
:class:`~accord.errors.ProtocolError` and the old state stands unchanged.

Confidentiality lives in the events: each carries ``visible_to``, the seats
that may read it (``None`` for everyone). A seat's observation is built only
from what it may see (a state's :class:`~accord.protocols.journal.Journal` keeps
each seat's view), so an agent, or a person in the room, never receives another
delegation's private moves.

Hot records: :class:`Event`, :class:`Observation`, :class:`Transition`, the journal
and the states of the busiest protocols are built at every step, so they are plain
slotted classes rather than frozen dataclasses (whose ``__init__`` sets each field
through ``object.__setattr__``, several times slower). They are immutable by
convention: nothing in Accord assigns to them after construction, and agents must not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from typing import Protocol as TypingProtocol

from accord.domain import Agenda, Outcome
from accord.protocols.actions import Action

__all__ = [
    "Event",
    "Observation",
    "Protocol",
    "ProtocolResult",
    "Setup",
    "Transition",
]

StateT = TypeVar("StateT")


@dataclass(frozen=True, slots=True, kw_only=True)
class Setup:
    """Who sits where and the rules' parameters; everything a protocol needs to start.

    ``delegations`` in seating order (the order of turns); ``mediator`` may be
    empty for protocols that need none. ``rounds`` is the deadline.
    ``options`` holds protocol-specific settings (e.g. ``{"agreement": outcome}``
    for post-settlement, ``{"base": "alternating-offers"}``).
    """

    agenda: Agenda
    delegations: tuple[str, ...]
    mediator: str = ""
    rounds: int = 100
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def seats(self) -> tuple[str, ...]:
        return ((self.mediator,) if self.mediator else ()) + self.delegations


@dataclass(slots=True, kw_only=True)  # not frozen: see "Hot records" in the module docstring
class Event:
    """One thing that happened, in order. ``visible_to`` is ``None`` when every seat may read it.

    ``kind`` is kebab-case (``"offer"``, ``"accept"``, ``"proposal"``, ``"message"``,
    ``"agreement"``, ``"deadline"`` …); ``data`` is JSON-ready.
    """

    index: int
    round: int
    kind: str
    actor: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    visible_to: frozenset[str] | None = None

    def visible_for(self, seat: str) -> bool:
        return self.visible_to is None or seat in self.visible_to

    def to_data(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "round": self.round,
            "kind": self.kind,
            "actor": self.actor,
            "data": dict(self.data),
            "visible_to": None if self.visible_to is None else sorted(self.visible_to),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Event:
        visible = data.get("visible_to")
        return cls(
            index=int(data["index"]),
            round=int(data["round"]),
            kind=str(data["kind"]),
            actor=str(data.get("actor", "")),
            data=dict(data.get("data", {})),
            visible_to=None if visible is None else frozenset(visible),
        )


@dataclass(slots=True, kw_only=True)  # not frozen: see "Hot records" in the module docstring
class Observation:
    """What one seat may see when it is asked to act.

    ``allowed``: the kinds of action it may take now (e.g. ``("accept", "offer", "walk-away")``).
    ``phase``: a protocol-specific stage name. ``on_table``: the package this seat is
    asked about or the standing offer/draft, if any. ``history``: the events visible to it.
    ``details``: protocol-specific public facts (e.g. criticism received by the mediator).
    """

    protocol: str
    seat: str
    round: int
    rounds: int
    phase: str
    allowed: tuple[str, ...]
    on_table: Outcome | None = None
    history: Sequence[Event] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def relative_time(self) -> float:
        """Progress towards the deadline in [0, 1] (Genius's t)."""
        return min(1.0, self.round / max(1, self.rounds))


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolResult:
    """How talks ended: ``reason`` is ``agreement``, ``deadline``, ``walk-out`` or ``rejected``."""

    reason: str
    agreement: Outcome | None
    rounds: int


@dataclass(slots=True)  # not frozen: see "Hot records" in the module docstring
class Transition(Generic[StateT]):
    """The state after a step and the events the step produced."""

    state: StateT
    events: tuple[Event, ...]


class Protocol(TypingProtocol[StateT]):
    """A negotiation procedure as a pure state machine.

    ``id`` is versioned (``"alternating-offers-v1"``); the registry also knows it
    by its bare name. ``needs_mediator``: whether the rules give a mediator a seat
    that acts (the session then seats one; :meth:`start` refuses a setup without).

    Every awaited seat may always :class:`~accord.protocols.actions.WalkAway`
    (``"walk-away"`` is in its observation's ``allowed``): a person can always
    leave real talks, and the session loop replaces a failing agent's move by a
    walk-away, so every event of a session comes from the protocol.
    """

    id: str
    needs_mediator: bool

    def start(self, setup: Setup) -> Transition[StateT]:
        """The initial state, and the events that open the talks."""
        ...

    def pending(self, state: StateT) -> tuple[str, ...]:
        """The seats whose actions the next :meth:`step` needs; empty once finished."""
        ...

    def observe(self, state: StateT, seat: str) -> Observation:
        """What ``seat`` may see now (never another delegation's private moves)."""
        ...

    def step(self, state: StateT, actions: Mapping[str, Action]) -> Transition[StateT]:
        """Apply the pending seats' actions; :class:`ProtocolError` if any is illegal."""
        ...

    def result(self, state: StateT) -> ProtocolResult | None:
        """How the talks ended, or ``None`` while they go on."""
        ...
