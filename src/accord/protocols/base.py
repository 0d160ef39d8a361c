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

Read-only by construction: what a seat receives cannot be changed by it. An
:class:`Event` and an :class:`Observation` are tuples underneath
(:class:`typing.NamedTuple`): assigning to a field raises. Event data and
observation fields hold only text, numbers, booleans, ``None``, tuples and
read-only mappings (:mod:`accord.frozen`); :class:`Setup` and its
:class:`~accord.protocols.options.Options` are frozen.

Hot records: :class:`Event`, :class:`Observation`, :class:`Transition`, the journal
and the states of the busiest protocols are built at every step. Events and
observations are named tuples, which the hot paths build with ``tuple.__new__``
(several times cheaper than a frozen dataclass, whose ``__init__`` sets each field
through ``object.__setattr__``); a :class:`Transition` and the protocol states are
plain slotted classes that nothing in Accord assigns to after construction (no
agent ever receives one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar
from typing import Protocol as TypingProtocol

from accord.domain import Agenda, Outcome
from accord.frozen import EMPTY, READ_ONLY_TYPES, freeze, sealed, thaw
from accord.protocols.actions import Action
from accord.protocols.options import Options

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
    ``options``: the protocol settings (:class:`~accord.protocols.options.Options`;
    a plain mapping is turned into one, unknown names going to ``extra``).
    """

    agenda: Agenda
    delegations: tuple[str, ...]
    mediator: str = ""
    rounds: int = 100
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        if not isinstance(self.options, Options):
            object.__setattr__(self, "options", Options.from_mapping(self.options))
        if not isinstance(self.delegations, tuple):
            object.__setattr__(self, "delegations", tuple(self.delegations))

    @property
    def seats(self) -> tuple[str, ...]:
        return ((self.mediator,) if self.mediator else ()) + self.delegations


class _EventFields(NamedTuple):
    index: int  # type: ignore[assignment]  # shadows tuple.index, as the field is named
    round: int
    kind: str
    actor: str = ""
    data: Mapping[str, Any] = EMPTY
    visible_to: frozenset[str] | None = None


class Event(_EventFields):
    """One thing that happened, in order. ``visible_to`` is ``None`` when every seat may read it.

    ``kind`` is kebab-case (``"offer"``, ``"accept"``, ``"proposal"``, ``"message"``,
    ``"agreement"``, ``"deadline"`` …); ``data`` is a read-only mapping of text,
    numbers, booleans, ``None``, tuples and read-only mappings (whatever is given is
    made so); :meth:`to_data` gives the event as plain JSON data. Immutable: a named
    tuple underneath.

    >>> event = Event(index=0, round=1, kind="offer", actor="north", data={"outcome": ["oslo", 2]})
    >>> event.data["outcome"]
    ('oslo', 2)
    >>> event.to_data()["data"]
    {'outcome': ['oslo', 2]}
    >>> Event.from_data(event.to_data()) == event
    True
    >>> event.kind = "accept"
    Traceback (most recent call last):
    ...
    AttributeError: can't set attribute
    """

    __slots__ = ()

    def __new__(
        cls,
        index: int,
        round: int,
        kind: str,
        actor: str = "",
        data: Mapping[str, Any] | None = None,
        visible_to: frozenset[str] | None = None,
    ) -> Event:
        return tuple.__new__(
            cls,
            (
                index,
                round,
                kind,
                actor,
                EMPTY if not data else freeze(data),
                None if visible_to is None else frozenset(visible_to),
            ),
        )

    def visible_for(self, seat: str) -> bool:
        return self.visible_to is None or seat in self.visible_to

    def _replace(self, **changes: Any) -> Event:
        """A copy with ``changes``, made read-only as any new event is."""
        return Event(**{**self._asdict(), **changes})

    def to_data(self) -> dict[str, Any]:
        """The event as plain JSON data (lists and dicts; ``visible_to`` sorted)."""
        return {
            "index": self.index,
            "round": self.round,
            "kind": self.kind,
            "actor": self.actor,
            "data": thaw(self.data),
            "visible_to": None if self.visible_to is None else sorted(self.visible_to),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Event:
        """The event :meth:`to_data` gave (``KeyError``/``TypeError``/``ValueError`` when malformed)."""
        visible = data.get("visible_to")
        return cls(
            int(data["index"]),
            int(data["round"]),
            str(data["kind"]),
            str(data.get("actor", "")),
            data.get("data") or EMPTY,
            None if visible is None else frozenset(str(seat) for seat in visible),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (Event.from_data, (self.to_data(),))

    def __deepcopy__(self, memo: dict[int, Any]) -> Event:
        return self  # immutable throughout: a copy would be the same


class _ObservationFields(NamedTuple):
    protocol: str
    seat: str
    round: int
    rounds: int
    phase: str
    allowed: tuple[str, ...]
    on_table: Outcome | None = None
    history: Sequence[Event] = ()
    text: Outcome | None = None
    original: Outcome | None = None
    candidates: tuple[Outcome, ...] | None = None
    critiques: Mapping[str, tuple[tuple[str, Any, float], ...]] | None = None
    shareable: tuple[tuple[int, str], ...] = ()
    moves_left: int | None = None
    offered_by: str = ""
    acceptances: int = 0
    stage: str = ""
    base: str = ""
    extra: Mapping[str, Any] = EMPTY


class Observation(_ObservationFields):
    """What one seat may see when it is asked to act. Immutable: a named tuple underneath;
    lists and dicts given for its fields are made read-only (:func:`accord.frozen.sealed`).

    ``allowed``: the kinds of action it may take now (e.g. ``("accept", "offer", "walk-away")``).
    ``phase``: a protocol-specific stage name. ``on_table``: the package this seat is
    asked about or the standing offer/draft, if any. ``history``: the events visible to it.

    Protocol-specific facts (the default where a protocol has none):

    - ``text``: single text, the text in force (``None`` before the first proposal).
    - ``original``: post-settlement, the agreement an improvement would replace.
    - ``candidates``: blind bidding, the public packages that may be bid for (``None``: any).
    - ``critiques``: one-text, to the mediator only, each delegation's latest criticism
      as its :attr:`~accord.protocols.actions.Critique.requests` (``None`` for others).
    - ``shareable``: shuttle, to the mediator only, ``(number, author)`` of each message
      it may pass on; ``moves_left``: its moves left this round (``None`` for others).
    - ``offered_by``, ``acceptances``: alternating offers, who put the standing offer
      forward and how many have accepted it since.
    - ``stage``: post-settlement, ``"base"`` while the base protocol runs, then
      ``"improvement"``; ``base``: the base protocol's id.
    - ``extra``: a plugin protocol's own facts, read-only.
    """

    __slots__ = ()

    def __new__(
        cls,
        protocol: str,
        seat: str,
        round: int,
        rounds: int,
        phase: str,
        allowed: tuple[str, ...],
        on_table: Outcome | None = None,
        history: Sequence[Event] = (),
        text: Outcome | None = None,
        original: Outcome | None = None,
        candidates: tuple[Outcome, ...] | None = None,
        critiques: Mapping[str, tuple[tuple[str, Any, float], ...]] | None = None,
        shareable: tuple[tuple[int, str], ...] = (),
        moves_left: int | None = None,
        offered_by: str = "",
        acceptances: int = 0,
        stage: str = "",
        base: str = "",
        extra: Mapping[str, Any] = EMPTY,
    ) -> Observation:
        # The busiest protocols build observations with tuple.__new__ in field order instead
        # (see "Hot records"), passing only immutable values. Inlined checks: this is built often.
        kept = READ_ONLY_TYPES
        fields = (
            protocol,
            seat,
            round,
            rounds,
            phase,
            allowed if type(allowed) in kept else sealed(allowed),
            on_table if type(on_table) in kept else sealed(on_table),
            history if type(history) in kept else sealed(history),
            text if type(text) in kept else sealed(text),
            original if type(original) in kept else sealed(original),
            candidates if type(candidates) in kept else sealed(candidates),
            critiques if type(critiques) in kept else sealed(critiques),
            shareable if type(shareable) in kept else sealed(shareable),
            moves_left,
            offered_by,
            acceptances,
            stage,
            base,
            extra if type(extra) in kept else sealed(extra),
        )
        return tuple.__new__(cls, fields)

    def _replace(self, **changes: Any) -> Observation:
        """A copy with ``changes``, sealed as any new observation is."""
        return Observation(**{**self._asdict(), **changes})

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
