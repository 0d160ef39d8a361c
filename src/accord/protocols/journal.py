"""The journal: the events of a talk so far, and each seat's view of them.

A protocol state holds a :class:`Journal`; recording an event gives a new journal
(immutable by convention) that shares storage with the old one (:class:`EventLog`).
:meth:`Journal.view` hands a seat exactly the events it may read, as a
:class:`SeatView` worked out only when first read.

>>> journal, opened = Journal(("envoy", "north")).record(round=0, kind="opening")
>>> journal, note = journal.record(round=0, kind="note", visible_to=frozenset({"envoy"}))
>>> [event.kind for event in journal.view("north")], [event.kind for event in journal.view("envoy")]
(['opening'], ['opening', 'note'])
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, overload

from accord.frozen import EMPTY, READ_ONLY_TYPES, freeze
from accord.protocols.base import Event

__all__ = ["EventLog", "Journal", "SeatView", "visible_events"]

#: Builds an event from its fields without the keyword constructor's checks (see ``Journal.record``).
_new_event = tuple.__new__
#: Value types event data keeps as given (tuples: of such values, by the protocols' contract).
_KEPT = frozenset({str, int, float, bool, type(None), tuple})


class EventLog(Sequence[Event]):
    """An immutable, append-only sequence of events that shares storage between versions.

    Appending to the newest version extends the shared list in place (constant time);
    appending to an older version (a branch, as when a caller retries from a saved
    state) copies first, so no version ever changes. Compares equal to any sequence
    holding the same events.

    >>> empty = EventLog()
    >>> one = empty.append(Event(index=0, round=0, kind="start"))
    >>> len(empty), len(one), one[0].kind
    (0, 1, 'start')
    """

    __slots__ = ("_items", "_length")

    def __init__(self, items: list[Event] | None = None, length: int | None = None) -> None:
        self._items: list[Event] = [] if items is None else items
        self._length = len(self._items) if length is None else length

    def append(self, event: Event) -> EventLog:
        if len(self._items) == self._length:
            self._items.append(event)
            return EventLog(self._items, self._length + 1)
        return EventLog([*self._items[: self._length], event])

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...

    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        if isinstance(index, slice):
            return tuple(self._items[: self._length][index])
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("event index out of range")
        return self._items[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._items[: self._length])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(other) == self._length and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"EventLog({list(self)!r})"


class _SeatIndex:
    """One seat's visible events among the first ``scanned`` events of a log (filled on demand).

    ``positions[i]`` is the log index of ``events[i]``; ``first_missed`` the log index of
    the first event the seat may not read (``None`` while it has read every one scanned).
    """

    __slots__ = ("events", "first_missed", "positions", "scanned")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.positions: list[int] = []
        self.first_missed: int | None = None
        self.scanned = 0


class _Store:
    """The event list that the versions of one journal share, and each seat's index into it.

    Appending to the list never changes what an older version (a shorter prefix) sees, so
    the seats' indices stay valid for every version; a branch gets a store of its own.
    """

    __slots__ = ("indices", "items", "seats")

    def __init__(self, items: list[Event], seats: frozenset[str]) -> None:
        self.items = items
        self.seats = seats
        self.indices: dict[str, _SeatIndex] = {}

    def visible(self, seat: str, length: int) -> EventLog:
        """The events ``seat`` may read among the first ``length``, scanning only events not yet seen."""
        index = self.indices.get(seat)
        if index is None:
            index = self.indices[seat] = _SeatIndex()
        if index.scanned < length:
            items, events, positions = self.items, index.events, index.positions
            for position in range(index.scanned, length):
                event = items[position]
                audience = event.visible_to
                if audience is None or seat in audience:
                    events.append(event)
                    positions.append(position)
                elif index.first_missed is None:
                    index.first_missed = position
            index.scanned = length
        if index.first_missed is None or length <= index.first_missed:
            return EventLog(self.items, length)  # the seat has read every event so far
        return EventLog(index.events, bisect_left(index.positions, length))


class SeatView(Sequence[Event]):
    """The events one seat may read at one version of a journal, worked out when first read.

    Protocols hand one to every observation; agents that never read their history
    never pay for it. Read-only, and equal to any sequence holding the same events.
    """

    __slots__ = ("_events", "_length", "_seat", "_store")

    def __init__(self, store: _Store, seat: str, length: int) -> None:
        self._store, self._seat, self._length = store, seat, length
        self._events: EventLog | None = None

    def _resolved(self) -> EventLog:
        events = self._events
        if events is None:
            events = self._events = self._store.visible(self._seat, self._length)
        return events

    def __len__(self) -> int:
        return len(self._resolved())

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...

    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        return self._resolved()[index]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._resolved())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return self._resolved() == other

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SeatView({self._seat!r}, {list(self)!r})"


class Journal:
    """The events so far, and each seat's view of them.

    Protocol states hold a journal so that :meth:`Protocol.observe` hands a seat its
    history in constant time: :meth:`view` returns a :class:`SeatView`, exactly the
    events the seat may read, worked out only if and when it is read (each event is
    then checked once per seat, however many versions are viewed). Recording an
    event costs the same whoever may read it. Journals are immutable by convention
    (a plain class: a frozen dataclass costs several times more per version); two
    are equal when they hold the same seats and events, which determine the views.
    """

    __slots__ = ("_store", "events", "seats")

    seats: tuple[str, ...]
    events: EventLog
    _store: _Store

    def __init__(self, seats: tuple[str, ...]) -> None:
        self.seats = seats
        self.events = EventLog()
        self._store = _Store(self.events._items, frozenset(seats))

    @classmethod
    def _version(cls, seats: tuple[str, ...], events: EventLog, store: _Store) -> Journal:
        journal = object.__new__(cls)
        journal.seats, journal.events, journal._store = seats, events, store
        return journal

    @property
    def views(self) -> dict[str, Sequence[Event]]:
        """Each seat that has seen at least one event, with its view."""
        return {seat: view for seat in self.seats if len(view := self.view(seat))}

    def view(self, seat: str) -> Sequence[Event]:
        """The events ``seat`` may read (empty for a seat not at the table)."""
        store = self._store
        if seat not in store.seats:
            return EventLog()
        return SeatView(store, seat, self.events._length)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Journal):
            return NotImplemented
        return self.seats == other.seats and self.events == other.events

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Journal(seats={self.seats!r}, events={self.events!r})"

    def record(
        self,
        *,
        round: int,
        kind: str,
        actor: str = "",
        data: Mapping[str, Any] | None = None,
        visible_to: frozenset[str] | None = None,
    ) -> tuple[Journal, Event]:
        """A new journal with one more event, and that event (numbered in order).

        The journal takes ``data`` over and hands it out read-only: a top-level list or
        mapping is made read-only throughout (:func:`accord.frozen.freeze`);
        tuples must hold text, numbers, booleans, ``None`` or tuples of them (checked
        for every registered protocol by the tests, not here: this is the hot path).
        """
        events = self.events
        if data:
            for value in data.values():
                if type(value) not in _KEPT:
                    frozen: Mapping[str, Any] = freeze(data)
                    break
            else:
                frozen = MappingProxyType(data)
        else:
            frozen = EMPTY
        # index: not len(), as EventLog.__len__ is a Python call.
        event = _new_event(Event, (events._length, round, kind, actor, frozen, visible_to))
        appended = events.append(event)
        store = self._store
        if appended._items is not store.items:  # recorded on an older version: the log was copied
            store = _Store(appended._items, store.seats)
        return Journal._version(self.seats, appended, store), event


READ_ONLY_TYPES.update((EventLog, SeatView))  # nothing changes them: an observation keeps them as given


def visible_events(events: Sequence[Event], seat: str) -> tuple[Event, ...]:
    """The events ``seat`` may read, in order."""
    return tuple(event for event in events if event.visible_for(seat))
