"""Every room of one store kept in memory: brought up to date from the store, changed by committing.

:class:`Rooms` is the machinery under :class:`~accord.room.service.RoomService`.
A command lets the pure rules decide on the room's state in memory and appends
their records at its last record (``expected_seq``): when another writer (a
thread, another process) got there first, the store says so
(``SequenceConflict``) and the command is decided again on the state read anew
from the store; a refusal stands only once decided on the store's newest state.
In a room of a process, the append also names the last record of each other
track's room as read before deciding, and is refused the same way if one of them
moved on: a cross-track condition is never judged on another room's old state,
even when two rooms (or two server processes) decide at once. A command is
acknowledged only once its records are committed. An
``Idempotency-Key`` goes to the store with the command's answer, so a retried
request is applied once and answered as the first time, even when the rules would
now refuse it.

Reads bring a room up to date from the store first, except while the rooms
*follow* the store (:meth:`Rooms.follow`, what the web server does): the store's
fan-out then tells of every record any process commits, and a room whose state in
memory holds every record told of is served from memory without a read (this
process's own commits are folded in as they commit; another process's within the
fan-out's delay).

After each command that leaves an agent's seat awaited, the agents act
(:class:`~accord.room.driver.SeatAgents`), on a worker thread by default
(:class:`~accord.room.service.workers.AgentWorkers`) so that the acknowledgement
does not wait for them. Each room has two locks: one held
while a command or an agent's move is decided and appended, one held only while
the state is brought up to date, so readers never wait for an agent.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.agents.base import Agent
from accord.agents.registry import agent_by_id
from accord.room.driver import SeatAgents, Within
from accord.room.errors import NotFoundError, RefusedError, RoomError
from accord.room.folding import fold
from accord.room.linking import Agreed
from accord.room.records import Record
from accord.room.service.workers import AgentWorkers
from accord.room.state import RoomState
from accord.session import within
from accord.store import (
    DuplicateRequest,
    NewRecord,
    Notification,
    SequenceConflict,
    Store,
    StoredRecord,
    Subscription,
)

__all__ = ["ATTEMPTS", "RELOAD_SECONDS", "Issued", "Rooms", "answered"]

#: How many times a command is decided again when other writers keep getting there first.
ATTEMPTS = 20

#: At most one reload of every room per this many seconds when a token is not known (bad tokens are many).
RELOAD_SECONDS = 1.0

#: A command: the state → the records to append and the answer to give.
Decision = Callable[[RoomState], "tuple[list[Record], Issued]"]


@dataclass(frozen=True, slots=True)
class Issued:
    """What a command recorded: the ``seq`` of its first record, the new message's id, a new link's token."""

    seq: int
    id: str | None = None
    member: str | None = None
    token: str | None = None

    def response(self) -> dict[str, Any]:
        """The JSON answer of the request (never the token)."""
        data: dict[str, Any] = {"seq": self.seq}
        if self.id is not None:
            data["id"] = self.id
        return data


def answered(response: Mapping[str, Any] | None) -> Issued:
    """The answer a stored response gives back (a retried request's first answer)."""
    data = dict(response or {})
    return Issued(int(data.get("seq", 0)), id=data.get("id"))


@dataclass(slots=True)
class _Room:
    """One room kept in memory: its state (replaced, never changed) and its agents.

    ``lock`` is held while a command or an agent's move is decided and appended (agents may think
    for seconds); ``reading`` only while the state is brought up to date, so readers never wait
    for an agent.
    """

    state: RoomState
    lock: threading.RLock = field(default_factory=threading.RLock)
    reading: threading.Lock = field(default_factory=threading.Lock)
    agents: SeatAgents = field(default_factory=SeatAgents)


class Rooms:
    """Every room of one store kept in memory, each brought up to date before use. Thread-safe.

    ``background``: run the agents' turns on a worker thread after each command (the default), or
    before the command returns. ``call``: how an agent's call is run within its time limit;
    ``build``: how an agent is made from its id (the registry's, by default).
    """

    def __init__(
        self,
        store: Store,
        *,
        background: bool = True,
        call: Within = within,
        build: Callable[[str], Agent] = agent_by_id,
        elsewhere: Callable[[RoomState], Agreed | None] | None = None,
    ) -> None:
        self.store = store
        self._elsewhere = elsewhere
        self._background = background
        self._call = call
        self._build = build
        self._rooms: dict[str, _Room] = {}
        self._rooms_lock = threading.Lock()
        self._tokens: dict[str, tuple[str, str]] = {}  # token hash → (room, member)
        self._reloaded = 0.0
        self._reload_lock = threading.Lock()
        self._workers = AgentWorkers(lambda room: self.drive(room, scheduled=True))
        self._following: Subscription | None = None
        self._heard: dict[str, int] = {}  # room → the newest record the store's fan-out told of
        self._committed: Callable[[str, int], None] | None = None

    def follow(self, committed: Callable[[str, int], None] | None = None) -> None:
        """Hear of every record any process commits (the store's fan-out), so that a room in memory
        that holds every record heard of is read from memory, until :meth:`unfollow`.

        ``committed(room, seq)`` is called (on the committing thread) once this process's own records
        up to ``seq`` are committed and in memory: sooner than the fan-out tells of them.
        Rooms already in memory are read once more, for what was committed before.
        """
        if self._following is not None:
            return
        self._committed = committed
        self._following = self.store.subscribe(self._hear)
        with self._rooms_lock:
            entries = list(self._rooms.values())
        for entry in entries:
            self._refresh(entry)

    def unfollow(self) -> None:
        """Stop hearing of new records: every read goes to the store again."""
        following, self._following = self._following, None
        self._committed = None
        if following is not None:
            following.close()

    def _hear(self, batch: Sequence[Notification]) -> None:
        heard = self._heard
        for notification in batch:
            if notification.seq > heard.get(notification.room, 0):
                heard[notification.room] = notification.seq

    def _entry(self, room: str) -> _Room:
        with self._rooms_lock:
            entry = self._rooms.get(room)
        if entry is not None:
            return entry
        records = self.store.read(room)
        if not records:
            raise NotFoundError("", f"open room {room!r}", "no such room")
        state = fold(None, records, room=room)
        with self._rooms_lock:
            entry = self._rooms.setdefault(
                room, _Room(state, agents=SeatAgents(call=self._call, build=self._build))
            )
        self._index(entry.state)
        return entry

    def _refresh(self, entry: _Room, at_least: int | None = None) -> RoomState:
        """The room's state with every record the store holds, or (``at_least``) at least up to that record.

        With ``at_least``, a state in memory that already holds that record is returned without
        reading the store (the records this process commits are folded in as they commit).
        """
        if at_least is not None and entry.state.last_seq >= at_least:
            return entry.state
        with entry.reading:
            if at_least is not None and entry.state.last_seq >= at_least:  # another reader just read it
                return entry.state
            records = self.store.read(entry.state.room, after=entry.state.last_seq)
            if records:
                entry.state = fold(entry.state, records)
                self._index(entry.state)
            return entry.state

    def _current(self, entry: _Room) -> RoomState:
        """The room's state up to date: from memory while following and it holds every record heard of."""
        state = entry.state
        if self._following is not None and state.last_seq >= self._heard.get(state.room, 0):
            return state
        return self._refresh(entry)

    def _advance(self, entry: _Room, state: RoomState, stored: Sequence[StoredRecord]) -> None:
        """Fold what was just appended after ``state`` (unless a reader already has)."""
        with entry.reading:
            if entry.state.last_seq < stored[-1].seq:
                entry.state = (
                    fold(state, stored)
                    if entry.state.last_seq == state.last_seq
                    else fold(entry.state, [record for record in stored if record.seq > entry.state.last_seq])
                )
                self._index(entry.state)
        if self._committed is not None:
            self._committed(entry.state.room, stored[-1].seq)

    def _index(self, state: RoomState) -> None:
        for link in state.links.values():
            self._tokens[link.token_hash] = (state.room, link.member)

    def state(self, room: str, *, at_least: int | None = None) -> RoomState:
        """The room's state, up to date with the store (``NotFoundError`` for an unknown room); while
        following, from memory when it holds every record heard of.

        ``at_least``: the store is read only if the state in memory does not hold record ``at_least``
        yet (a stream woken by the news of that record).
        """
        entry = self._entry(room)
        return self._current(entry) if at_least is None else self._refresh(entry, at_least)

    def newest(self, room: str) -> RoomState:
        """The room's state with every record the store holds: always reads the store."""
        return self._refresh(self._entry(room))

    def in_memory(self, room: str) -> RoomState | None:
        """The room's state without touching the store, when memory is known to be up to date
        (following, and it holds every record heard of); ``None`` otherwise."""
        with self._rooms_lock:
            entry = self._rooms.get(room)
        if entry is None or self._following is None:
            return None
        state = entry.state
        return state if state.last_seq >= self._heard.get(room, 0) else None

    def known_token(self, hashed: str) -> tuple[str, str] | None:
        """The ``(room, member)`` of a token's hash as known in memory (no store access), or ``None``."""
        return self._tokens.get(hashed)

    def holds(self, room: str, seq: int) -> bool:
        """Whether the room's state in memory holds record ``seq`` (no store access; not if not loaded)."""
        with self._rooms_lock:
            entry = self._rooms.get(room)
        return entry is not None and entry.state.last_seq >= seq

    def rooms(self) -> tuple[str, ...]:
        """Every room in the store, in the order they were created."""
        rooms: tuple[str, ...] = self.store.rooms()
        return rooms

    def opened(self, room: str, records: Sequence[Record]) -> RoomState:
        """Append the records that open a new room, keep it, and let its agents act."""
        stored = self.store.append(
            room, [NewRecord(record.kind, record.data, record.seat) for record in records], expected_seq=0
        )
        state = fold(None, stored, room=room)
        with self._rooms_lock:
            self._rooms[room] = _Room(state, agents=SeatAgents(call=self._call, build=self._build))
        self._index(state)
        self._after_command(room)
        return state

    def lookup(self, hashed: str) -> tuple[str, str] | None:
        """The ``(room, member)`` whose link had the token of this hash, or ``None``.

        A hash not known yet may belong to a room another process created: the store's rooms
        are then read again (at most once a second; other threads wait for it, then look again).
        """
        known = self._tokens.get(hashed)
        if known is None:
            with self._reload_lock:
                known = self._tokens.get(hashed)
                if known is None and time.monotonic() - self._reloaded > RELOAD_SECONDS:
                    for room in self.store.rooms():
                        self._refresh(self._entry(room))
                    self._reloaded = time.monotonic()
                    known = self._tokens.get(hashed)
        return known

    def cached(self, room: str) -> RoomState:
        """The room's state as last read (no store access once the room is in memory)."""
        return self._entry(room).state

    # --------------------------------------------------------------------------------- committing

    def commit(
        self,
        room: str,
        decide: Decision,
        *,
        idempotency_key: str | None = None,
    ) -> Issued:
        """Decide on the state in memory and append; decide again on the store's newest state when
        another writer got there first, or before refusing."""
        entry = self._entry(room)
        with entry.lock:
            # The state in memory (read anew when following tells it is behind); the append's
            # expected_seq catches one out of date.
            state = entry.state if self._following is None else self._current(entry)
            newest = False
            for _ in range(ATTEMPTS):
                tracks = self._tracks_at(state)
                try:
                    records, issued = decide(state)
                except RoomError:
                    if not newest:  # refused on the state in memory: decide again on the store's newest
                        for other in tracks:  # (the other tracks' too: a condition may have refused it)
                            self._refresh_other(other)
                        state, newest = self._refresh(entry), True
                        continue
                    # A retry of a request applied before may now be refused (out of turn): answer it
                    # as the first time.
                    previous = (
                        None
                        if idempotency_key is None
                        else self.store.previous_request(room, idempotency_key)
                    )
                    if previous is not None:
                        return answered(previous.response)
                    raise
                if not records:
                    if not newest:
                        state, newest = self._refresh(entry), True
                        continue
                    return Issued(0)
                try:
                    stored = self.store.append(
                        room,
                        [NewRecord(record.kind, record.data, record.seat) for record in records],
                        expected_seq=state.last_seq,
                        idempotency_key=idempotency_key,
                        response=issued.response(),
                        others_at=tracks,
                    )
                except SequenceConflict as conflict:
                    if conflict.room != room:  # another track moved on after the decision read it
                        self._refresh_other(conflict.room)
                    else:
                        state, newest = self._refresh(entry), True
                    continue
                except DuplicateRequest as duplicate:
                    return answered(duplicate.response)
                self._advance(entry, state, stored)
                break
            else:
                raise RefusedError(
                    "", "record the command", f"other writers kept getting there first ({ATTEMPTS} tries)"
                )
        self._after_command(room)
        return issued

    def _tracks_at(self, state: RoomState) -> dict[str, int]:
        """For a room of a process: the last record of each other track's room, read before a decision
        that may depend on them (0 for a room not created yet); the append is refused if one moved on."""
        link = state.created.process
        tracks: dict[str, int] = {}
        for other in () if link is None else link.rooms.values():
            if other == state.room:
                continue
            try:
                tracks[other] = self.state(other).last_seq
            except NotFoundError:
                tracks[other] = 0
        return tracks

    def _refresh_other(self, room: str) -> None:
        """Read another track's room anew from the store (its state in memory was behind)."""
        with contextlib.suppress(NotFoundError):  # not created yet here: read on first use
            self._refresh(self._entry(room))

    def elsewhere(self, state: RoomState) -> Agreed | None:
        """What the other tracks of the room's process have agreed (``None`` outside a process)."""
        return None if self._elsewhere is None else self._elsewhere(state)

    def _after_command(self, room: str) -> None:
        """Let the agents act if one of them is awaited now (another process's commits are its to drive);
        in a process, also in the other tracks' rooms (an agent there may wait for this track)."""
        self._drive_siblings(self._entry(room).state)
        self._drive_soon(room)

    def _drive_siblings(self, state: RoomState) -> None:
        link = state.created.process
        for other in () if link is None else link.rooms.values():
            if other != state.room:
                self._drive_soon(other)

    def _drive_soon(self, room: str) -> None:
        try:
            state = self._entry(room).state
        except NotFoundError:  # a track's room not created yet
            return
        if not any(state.holders[seat].holder == "agent" for seat in state.awaited):
            return
        if not self._background:
            self.drive(room)
            return
        self._workers.schedule(room)

    def drive(self, room: str, *, scheduled: bool = False) -> int:
        """Let every awaited agent act, one move at a time, until only people are awaited; how many moved."""
        entry = self._entry(room)
        moves = 0
        with entry.lock:
            if scheduled:
                self._workers.started(room)
            state = self._current(entry)
            while True:
                tracks = self._tracks_at(state)
                records = entry.agents.next_move(state, self.elsewhere(state))
                if not records:
                    break
                try:
                    stored = self.store.append(
                        room,
                        [NewRecord(record.kind, record.data, record.seat) for record in records],
                        expected_seq=state.last_seq,
                        others_at=tracks,
                    )
                except SequenceConflict as conflict:
                    if conflict.room != room:
                        self._refresh_other(conflict.room)
                    else:
                        state = self._refresh(entry)
                    continue
                self._advance(entry, state, stored)
                state = entry.state
                moves += 1
        if moves:  # an agent of another track may have waited for what this one agreed
            self._drive_siblings(state)
        return moves

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until no agent is acting in any room; ``False`` if ``timeout`` passed first."""
        return self._workers.settle(timeout)

    def close(self) -> None:
        """Stop following the store and the agents' worker threads (after their current moves)."""
        self.unfollow()
        self._workers.close()
