"""The room's application: commands decided by the rules, appended to the store, then the agents' turns.

:class:`RoomService` is the only room module that touches the store. Each command
reads what the store holds after the room's last known record, lets the pure rules
(:mod:`accord.room.rules`) decide the records, and appends them at that record
(``expected_seq``): when another writer (a thread, another process) got there
first, the store says so (``SequenceConflict``) and the command is decided again
on the new state. A command is acknowledged only once its records are committed.
An ``Idempotency-Key`` goes to the store with the command's response, so a
retried request is applied once and answered as the first time.

After each command the agents whose seats are awaited act
(:class:`~accord.room.driver.SeatAgents`), on a worker thread by default so that
the acknowledgement does not wait for them. Rooms are kept in memory, each with a
lock, and brought up to date from the store before every use.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.agents.base import Agent
from accord.agents.registry import agent_by_id
from accord.errors import InputError, ScenarioError
from accord.room import rules
from accord.room.driver import SeatAgents, Within, within
from accord.room.errors import NotFoundError, RefusedError, RoomError
from accord.room.records import Record, Settings, token_hash, token_matches
from accord.room.rules import SeatAccess
from accord.room.state import OBSERVERS, RoomState, fold
from accord.room.views import seat_items, seat_view
from accord.session import DEFAULT_TIME_LIMIT
from accord.store import DuplicateRequest, NewRecord, SequenceConflict, Store, StoredRecord

__all__ = ["CreatedRoom", "Issued", "RoomService", "SeatLink", "new_token"]

_log = logging.getLogger(__name__)

#: How many times a command is decided again when other writers keep getting there first.
ATTEMPTS = 20

#: At most one reload of every room per this many seconds when a token is not known (bad tokens are many).
RELOAD_SECONDS = 1.0


def new_token() -> str:
    """A link's secret: 256 random bits, URL-safe. Only its hash is ever recorded.

    >>> len(new_token()) >= 43
    True
    """
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class SeatLink:
    """A seat of a new room: who holds it and, for a person's seat, its first member's secret link."""

    holder: str
    agent: str | None
    token: str | None


@dataclass(frozen=True, slots=True)
class CreatedRoom:
    """A new room: its id, each seat's holder and link token, and the observers' tokens."""

    room: str
    seats: Mapping[str, SeatLink]
    observers: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        """``{"room": ID, "seats": {SEAT: {"holder", "agent", "token"}}, "observers": [TOKEN, ...]}``."""
        return {
            "room": self.room,
            "seats": {
                seat: {"holder": link.holder, "agent": link.agent, "token": link.token}
                for seat, link in self.seats.items()
            },
            "observers": list(self.observers),
        }


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


class RoomService:
    """Every room of one store, for the web layer and the command line. Thread-safe.

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
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self._background = background
        self._call = call
        self._build = build
        self._clock = clock
        self._rooms: dict[str, _Room] = {}
        self._rooms_lock = threading.Lock()
        self._tokens: dict[str, tuple[str, str]] = {}  # token hash → (room, member)
        self._reloaded = 0.0
        self._reload_lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._driving: set[str] = set()
        self._idle = threading.Condition()
        self._busy = 0

    # ------------------------------------------------------------------------------ rooms in memory

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

    def _refresh(self, entry: _Room) -> RoomState:
        """The room's state with every record the store holds."""
        with entry.reading:
            records = self.store.read(entry.state.room, after=entry.state.last_seq)
            if records:
                entry.state = fold(entry.state, records)
                self._index(entry.state)
            return entry.state

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

    def _index(self, state: RoomState) -> None:
        for link in state.links.values():
            self._tokens[link.token_hash] = (state.room, link.member)

    def state(self, room: str) -> RoomState:
        """The room's state, up to date with the store (``NotFoundError`` for an unknown room)."""
        return self._refresh(self._entry(room))

    def rooms(self) -> tuple[str, ...]:
        """Every room in the store, in the order they were created."""
        rooms: tuple[str, ...] = self.store.rooms()
        return rooms

    # --------------------------------------------------------------------------------- committing

    def _commit(
        self,
        room: str,
        decide: Callable[[RoomState], tuple[list[Record], Issued]],
        *,
        idempotency_key: str | None = None,
    ) -> Issued:
        """Decide on the newest state and append; decide again when another writer got there first."""
        entry = self._entry(room)
        with entry.lock:
            for _ in range(ATTEMPTS):
                state = self._refresh(entry)
                try:
                    records, issued = decide(state)
                except RoomError:
                    # A retry of a request applied before may now be refused (out of turn): answer it
                    # as the first time.
                    previous = (
                        None
                        if idempotency_key is None
                        else self.store.previous_request(room, idempotency_key)
                    )
                    if previous is not None:
                        return _issued(previous.response)
                    raise
                if not records:
                    return Issued(0)
                try:
                    stored = self.store.append(
                        room,
                        [NewRecord(record.kind, record.data, record.seat) for record in records],
                        expected_seq=state.last_seq,
                        idempotency_key=idempotency_key,
                        response=issued.response(),
                    )
                except SequenceConflict:
                    continue
                except DuplicateRequest as duplicate:
                    return _issued(duplicate.response)
                self._advance(entry, state, stored)
                break
            else:
                raise RefusedError(
                    "", "record the command", f"other writers kept getting there first ({ATTEMPTS} tries)"
                )
        self._after_command(room)
        return issued

    def _after_command(self, room: str) -> None:
        if not self._background:
            self.drive(room)
            return
        with self._idle:
            if room in self._driving:
                return
            self._driving.add(room)
            self._busy += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="accord-room-agents")
        self._executor.submit(self._drive_in_background, room)

    def _drive_in_background(self, room: str) -> None:
        try:
            self.drive(room, scheduled=True)
        except Exception:  # a worker has no caller to tell: log it and keep serving
            _log.exception("room %s: the agents' turns failed", room)
            with self._idle:
                self._driving.discard(room)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def drive(self, room: str, *, scheduled: bool = False) -> int:
        """Let every awaited agent act, one move at a time, until only people are awaited; how many moved."""
        entry = self._entry(room)
        moves = 0
        with entry.lock:
            if scheduled:
                with self._idle:
                    self._driving.discard(room)
            while True:
                state = self._refresh(entry)
                records = entry.agents.next_move(state)
                if not records:
                    return moves
                try:
                    stored = self.store.append(
                        room,
                        [NewRecord(record.kind, record.data, record.seat) for record in records],
                        expected_seq=state.last_seq,
                    )
                except SequenceConflict:
                    continue
                self._advance(entry, state, stored)
                moves += 1

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until no agent is acting in any room; ``False`` if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self) -> None:
        """Stop the agents' worker threads (after their current moves)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    # ---------------------------------------------------------------------------------- creating

    def create_room(
        self,
        scenario: Path | str,
        protocol: str,
        *,
        agents: Mapping[str, str] | None = None,
        observers: int = 0,
        preferences: str = "all",
        round_seconds: float | None = None,
        rounds: int = 100,
        time_limit: float = DEFAULT_TIME_LIMIT,
        seed: int | None = None,
    ) -> CreatedRoom:
        """Create a room: ``scenario`` is a scenario file (a :class:`~pathlib.Path`) or its text (a ``str``).

        Seats named in ``agents`` (seat → agent id) are held by agents, the others by people, each of
        whom gets a link; ``observers`` links watch. ``seed`` seeds the agents (random by default).
        Bad input raises an
        :class:`~accord.errors.InputError` naming where and why.
        """
        source, text = _scenario_text(scenario)
        settings = _settings(
            preferences=preferences,
            round_seconds=round_seconds,
            rounds=rounds,
            seed=secrets.randbits(32) if seed is None else seed,
            time_limit=time_limit,
        )
        tokens: dict[str, str] = {}  # member → token, for the answer only

        def credentials(seat: str) -> tuple[str, str]:
            member = _member_id()
            tokens[member] = new_token()
            return member, token_hash(tokens[member])

        records = rules.create_room(
            scenario_text=text,
            protocol=protocol,
            agents=agents or {},
            settings=settings,
            observers=observers,
            credentials=credentials,
            source=source,
        )
        room = secrets.token_hex(6)
        stored = self.store.append(
            room, [NewRecord(record.kind, record.data, record.seat) for record in records], expected_seq=0
        )
        state = fold(None, stored, room=room)
        with self._rooms_lock:
            self._rooms[room] = _Room(state, agents=SeatAgents(call=self._call, build=self._build))
        self._index(state)
        self._after_command(room)
        first = {link.seat: tokens[member] for member, link in reversed(list(state.links.items()))}
        holders = state.holders
        seats = {
            seat: SeatLink(holders[seat].holder, holders[seat].agent, first.get(seat)) for seat in state.seats
        }
        observer_tokens = [tokens[link.member] for link in state.links.values() if link.seat == OBSERVERS]
        return CreatedRoom(room, seats, tuple(observer_tokens))

    # ------------------------------------------------------------------------------------- access

    def authenticate(self, token: str) -> SeatAccess | None:
        """The seat and member a link's token opens, or ``None`` (unknown or revoked)."""
        hashed = token_hash(token)
        known = self._tokens.get(hashed)
        if known is None:  # a room created by another process, or a bad token: read the store again
            with self._reload_lock:  # (at most once a second; other threads wait for it, then look again)
                known = self._tokens.get(hashed)
                if known is None and time.monotonic() - self._reloaded > RELOAD_SECONDS:
                    for room in self.store.rooms():
                        self.state(room)
                    self._reloaded = time.monotonic()
                    known = self._tokens.get(hashed)
        if known is None:
            return None
        room, member = known
        state = self.state(room)
        link = state.links.get(member)
        if link is None or not link.active or not token_matches(token, link.token_hash):
            return None
        return SeatAccess(room=room, seat=link.seat, member=member, role=state.role_of(link.seat))

    def view(self, access: SeatAccess) -> dict[str, Any]:
        """The seat's whole view (``GET /api/v1/rooms/{room}/view``)."""
        return seat_view(self.state(access.room), access.seat, access.member)

    def items(self, access: SeatAccess, *, after_seq: int = 0) -> list[dict[str, Any]]:
        """The seat's view changes after ``after_seq`` (the event stream)."""
        return seat_items(self.state(access.room), access.seat, after_seq=after_seq)

    # ----------------------------------------------------------------------------------- commands

    def act(
        self, access: SeatAccess, action: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Issued:
        """A protocol action (``accord.protocols.action_to_data`` form) for the member's seat."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.act(state, access, action), Issued(state.last_seq + 1)

        return self._commit(access.room, decide, idempotency_key=idempotency_key)

    def message(
        self,
        access: SeatAccess,
        text: str,
        *,
        disclosure: str | None = None,
        to: str = "mediator",
        idempotency_key: str | None = None,
    ) -> Issued:
        """A delegation's message to the mediator, or a member's to its team (``to="team"``)."""
        message_id = secrets.token_hex(8)

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            records = rules.send_message(
                state, access, message_id=message_id, text=text, disclosure=disclosure, to=to
            )
            return records, Issued(state.last_seq + 1, id=message_id)

        return self._commit(access.room, decide, idempotency_key=idempotency_key)

    def forward(
        self,
        access: SeatAccess,
        message_id: str,
        to: Sequence[str],
        *,
        paraphrase: str | None = None,
        idempotency_key: str | None = None,
    ) -> Issued:
        """The mediator passes a message on, verbatim or as ``paraphrase`` (a fresh id for the copy)."""
        forward_id = secrets.token_hex(8)

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            records = rules.forward(
                state, access, message_id=message_id, to=to, forward_id=forward_id, paraphrase=paraphrase
            )
            return records, Issued(state.last_seq + 1, id=forward_id)

        return self._commit(access.room, decide, idempotency_key=idempotency_key)

    def set_disclosure(
        self, access: SeatAccess, disclosed: bool, *, idempotency_key: str | None = None
    ) -> Issued:
        """A delegation allows or withdraws the mediator's access to its preferences (``disclosed`` rooms)."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.set_disclosure(state, access, disclosed), Issued(state.last_seq + 1)

        return self._commit(access.room, decide, idempotency_key=idempotency_key)

    def hand_seat(
        self,
        room: str,
        seat: str,
        agent: str | None,
        *,
        by: SeatAccess | None = None,
        idempotency_key: str | None = None,
    ) -> Issued:
        """Hand ``seat`` to an agent, or back to people (``agent=None``). ``by``: the mediator, or ``None``
        for the organiser. A seat handed to people without a working link gets one (``Issued.token``).
        """
        if by is not None and by.room != room:
            raise NotFoundError(by.seat, f"hand seat {seat!r} over", "no such room")
        token = new_token()
        member = _member_id()

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            records = rules.hand_seat(state, by, seat, agent)
            if agent is None and not state.members(seat):
                records += rules.issue_link(state, seat, member, token_hash(token))
                return records, Issued(state.last_seq + 1, member=member, token=token)
            return records, Issued(state.last_seq + 1)

        return self._commit(room, decide, idempotency_key=idempotency_key)

    def issue_link(self, room: str, seat: str, *, member: str | None = None) -> Issued:
        """A new link to ``seat``: for a new member, or a reissue for ``member`` (its old link stops)."""
        token = new_token()
        chosen = member or _member_id()

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            records = rules.issue_link(state, seat, chosen, token_hash(token))
            return records, Issued(state.last_seq + 1, member=chosen, token=token)

        return self._commit(room, decide, idempotency_key=None)

    def reissue_link(self, room: str, seat: str, member: str) -> Issued:
        """A new link for ``member`` of ``seat``; the old one stops working."""
        if member not in self.state(room).links:
            raise NotFoundError("", f"reissue member {member!r}'s link", f"seat {seat!r} has no such member")
        return self.issue_link(room, seat, member=member)

    def revoke_link(self, room: str, seat: str, member: str) -> Issued:
        """``member``'s link to ``seat`` stops working."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.revoke_link(state, seat, member), Issued(state.last_seq + 1)

        return self._commit(room, decide, idempotency_key=None)

    def expire(self, now: datetime | None = None) -> int:
        """Record every overdue person in every room with a time limit (``round_seconds``) as passing
        or walking away; returns how many rooms moved. The web layer calls it every second or so
        (several processes may: the store lets one of them record each time-out).
        """
        moment = now if now is not None else self._clock()
        rooms = []
        for room in self.store.rooms():
            state = self._entry(room).state
            if state.created.settings.round_seconds and state.result is None:
                rooms.append(room)
        moved = 0
        for room in rooms:
            issued = self._commit(
                room, lambda state: (rules.deadline(state, moment), Issued(state.last_seq + 1))
            )
            moved += issued.seq > 0
        return moved

    # ------------------------------------------------------------------------------------- export

    def export(self, room: str, *, seat: str | None = None) -> list[dict[str, Any]]:
        """The whole record (the mediator's copy, every stored field), or what ``seat`` was shown and when."""
        state = self.state(room)
        if seat is None:
            return [record.to_dict() for record in self.store.read(room)]
        if seat not in state.seats and seat != OBSERVERS:
            raise NotFoundError(
                "", f"export seat {seat!r}", f"room {room} has no such seat; seats: {', '.join(state.seats)}"
            )
        return seat_items(state, seat)


def _issued(response: Mapping[str, Any] | None) -> Issued:
    data = dict(response or {})
    return Issued(int(data.get("seq", 0)), id=data.get("id"))


def _settings(**values: Any) -> Settings:
    """The room's settings; :class:`~accord.errors.InputError` naming the option (``--rounds``) and why."""
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        option = "--" + name.replace("_", "-")
        raise InputError(option, str(values.get(name)), str(first["msg"])) from None


def _member_id() -> str:
    return "m-" + secrets.token_hex(4)


def _scenario_text(scenario: Path | str) -> tuple[str, str]:
    """``(source, text)``: a path is read (UTF-8), a string is the text itself."""
    if isinstance(scenario, str):
        return "<scenario>", scenario
    source = str(scenario)
    try:
        return source, scenario.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(source, "(file)", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(source, "(file)", "is a directory, expected a scenario file") from None
    except UnicodeDecodeError as error:
        raise ScenarioError(source, f"byte {error.start}", "not UTF-8 text") from None
    except OSError as error:
        raise ScenarioError(source, "(file)", f"cannot be read: {error.strerror}") from None
