"""The room's application: the API the web layer and the command line use (:class:`RoomService`).

Each command lets the pure rules (:mod:`accord.room.rules`) decide on the room's newest
state and commits their records through :class:`~accord.room.service.rooms.Rooms`
(decided again when another writer got there first; a retried request applied once);
the agents then take their turns. Every read renders from :mod:`accord.room.views`
only. Ids, link tokens and seeds are made here, so the rules stay pure.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.agents.base import Agent
from accord.agents.registry import agent_by_id
from accord.domain.names import resolve_name
from accord.errors import ArgumentError, ScenarioError
from accord.io.text_export import export_text
from accord.room import messages, rules
from accord.room.driver import Within
from accord.room.errors import NotFoundError, RefusedError
from accord.room.records import Record, Settings, token_hash, token_matches
from accord.room.rules import SeatAccess
from accord.room.service.rooms import Issued, Rooms
from accord.room.state import OBSERVERS, RoomState
from accord.room.text_changes import change_text
from accord.room.views import organiser_view, seat_document, seat_items, seat_view
from accord.session import DEFAULT_TIME_LIMIT, within
from accord.store import Store

__all__ = ["CreatedRoom", "RoomService", "SeatLink", "new_token"]


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


class RoomService:
    """Every room of one store, for the web layer and the command line. Thread-safe.

    ``background``: run the agents' turns on a worker thread after each command (the default), or
    before the command returns. ``call``: how an agent's call is run within its time limit;
    ``build``: how an agent is made from its id (the registry's, by default); ``clock``: now.
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
        self._rooms = Rooms(store, background=background, call=call, build=build)
        self._clock = clock

    def rooms(self) -> tuple[str, ...]:
        """Every room in the store, in the order they were created."""
        return self._rooms.rooms()

    def state(self, room: str) -> RoomState:
        """The room's state, up to date with the store (``NotFoundError`` for an unknown room)."""
        return self._rooms.state(room)

    def follow(self, committed: Callable[[str, int], None] | None = None) -> None:
        """Follow the store's fan-out until :meth:`unfollow` (the web server does): a room's state in
        memory that holds every record any process was heard to commit is then read from memory
        (another process's records arrive within the fan-out's delay). ``committed(room, seq)`` is
        told of this process's own records as soon as they are committed and in memory (on the
        committing thread), before the fan-out tells of them."""
        self._rooms.follow(committed)

    def unfollow(self) -> None:
        """Read every room from the store again before use."""
        self._rooms.unfollow()

    def drive(self, room: str) -> int:
        """Let every awaited agent act now, until only people are awaited; how many moves."""
        return self._rooms.drive(room)

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until no agent is acting in any room; ``False`` if ``timeout`` passed first."""
        return self._rooms.settle(timeout)

    def close(self) -> None:
        """Stop following the store and the agents' worker threads (after their current moves)."""
        self._rooms.close()

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
        source: str | None = None,
        edit_preferences: str = "before",
    ) -> CreatedRoom:
        """Create a room: ``scenario`` is a scenario file (a :class:`~pathlib.Path`) or its text (a ``str``).

        Seats named in ``agents`` (seat → agent id) are held by agents, the others by people, each of
        whom gets a link; ``observers`` links watch. ``seed`` seeds the agents (random by default).
        ``source`` names the scenario in errors (default: the path, or ``<scenario>`` for text).
        ``edit_preferences``: delegations may change their preferences ``before`` the talks, or ``during``.
        Bad input raises an
        :class:`~accord.errors.InputError` naming where and why.
        """
        source, text = _scenario_text(scenario) if source is None else (source, _scenario_text(scenario)[1])
        settings = _settings(
            preferences=preferences,
            round_seconds=round_seconds,
            rounds=rounds,
            seed=secrets.randbits(32) if seed is None else seed,
            time_limit=time_limit,
            edit_preferences=edit_preferences,
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
        state = self._rooms.opened(room, records)
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
        known = self._rooms.lookup(token_hash(token))
        if known is None:
            return None
        room, member = known
        return _access(self.state(room), member, token)

    def authenticate_in_memory(self, token: str) -> SeatAccess | None:
        """:meth:`authenticate` answered from memory alone, never waiting for the store: the seat and
        member when memory is known to be up to date and the link opens them; ``None`` when the token
        is bad *or* memory cannot tell (then ask :meth:`authenticate`)."""
        known = self._rooms.known_token(token_hash(token))
        if known is None:
            return None
        room, member = known
        state = self._rooms.in_memory(room)
        return None if state is None else _access(state, member, token)

    def view(self, access: SeatAccess) -> dict[str, Any]:
        """The seat's whole view (``GET /api/v1/rooms/{room}/view``)."""
        return seat_view(self.state(access.room), access.seat, access.member)

    def organiser_view(self, room: str, *, analysis: bool = True) -> dict[str, Any]:
        """The organiser's view of ``room`` (:func:`accord.room.views.organiser_view`)."""
        return organiser_view(self.state(room), analysis=analysis)

    def items(self, access: SeatAccess, *, after_seq: int = 0) -> list[dict[str, Any]]:
        """The seat's view changes after ``after_seq`` (the event stream)."""
        return seat_items(self.state(access.room), access.seat, after_seq=after_seq)

    def news(
        self, access: SeatAccess, token: str, *, after_seq: int, at_least: int | None = None
    ) -> tuple[list[dict[str, Any]], int] | None:
        """The seat's view changes after record ``after_seq`` and the last record read, or ``None`` once
        ``token`` no longer opens its member.

        The event stream's read: ``at_least`` (the newest record the stream was told of) lets the
        room's state in memory answer without a store read when it holds that record already
        (:meth:`holds`); without it, the store is read. The link is checked on the same state. The
        stream asks next for what follows the last record read (not its last item: the records
        between that it may not see are not looked at again).
        """
        state = (
            self._rooms.newest(access.room)
            if at_least is None
            else self._rooms.state(access.room, at_least=at_least)
        )
        link = state.links.get(access.member)
        if (
            link is None
            or not link.active
            or link.seat != access.seat
            or not token_matches(token, link.token_hash)
        ):
            return None
        return seat_items(state, access.seat, after_seq=after_seq), state.last_seq

    def holds(self, room: str, seq: int) -> bool:
        """Whether the room's state in memory holds record ``seq`` already (no store access)."""
        return self._rooms.holds(room, seq)

    # ----------------------------------------------------------------------------------- commands

    def act(
        self, access: SeatAccess, action: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Issued:
        """A protocol action (``accord.protocols.action_to_data`` form) for the member's seat."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.act(state, access, action), Issued(state.last_seq + 1)

        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

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
            records = messages.send_message(
                state, access, message_id=message_id, text=text, disclosure=disclosure, to=to
            )
            return records, Issued(state.last_seq + 1, id=message_id)

        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

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
            records = messages.forward(
                state, access, message_id=message_id, to=to, forward_id=forward_id, paraphrase=paraphrase
            )
            return records, Issued(state.last_seq + 1, id=forward_id)

        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

    def change_text(
        self, access: SeatAccess, change: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Issued:
        """A change to the room's text (``accord.text.change_to_data`` form, without seat and time)."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return change_text(state, access, change), Issued(state.last_seq + 1)

        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

    def set_disclosure(
        self, access: SeatAccess, disclosed: bool, *, idempotency_key: str | None = None
    ) -> Issued:
        """A delegation allows or withdraws the mediator's access to its preferences (``disclosed`` rooms)."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.set_disclosure(state, access, disclosed), Issued(state.last_seq + 1)

        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

    def set_preferences(
        self, access: SeatAccess, preferences: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Issued:
        """A delegation's new preferences (a scenario file's ``preferences`` block), replacing its own."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.set_preferences(state, access, preferences), Issued(state.last_seq + 1)

        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

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

        return self._rooms.commit(room, decide, idempotency_key=idempotency_key)

    def issue_link(self, room: str, seat: str, *, member: str | None = None) -> Issued:
        """A new link to ``seat``: for a new member, or a reissue for ``member`` (its old link stops)."""
        token = new_token()
        chosen = member or _member_id()

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            records = rules.issue_link(state, seat, chosen, token_hash(token))
            return records, Issued(state.last_seq + 1, member=chosen, token=token)

        return self._rooms.commit(room, decide, idempotency_key=None)

    def reissue_link(self, room: str, seat: str, member: str) -> Issued:
        """A new link for ``member`` of ``seat``; the old one stops working."""
        if member not in self.state(room).links:
            raise NotFoundError("", f"reissue member {member!r}'s link", f"seat {seat!r} has no such member")
        return self.issue_link(room, seat, member=member)

    def request_link(self, by: SeatAccess, seat: str, *, idempotency_key: str | None = None) -> Issued:
        """The mediator revokes every link of ``seat`` at once; the organiser issues the new one
        (:meth:`issue_link`, as ``accord room link`` and the organiser's page do): no token here."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.request_link(state, by, seat), Issued(state.last_seq + 1)

        return self._rooms.commit(by.room, decide, idempotency_key=idempotency_key)

    def revoke_link(self, room: str, seat: str, member: str) -> Issued:
        """``member``'s link to ``seat`` stops working."""

        def decide(state: RoomState) -> tuple[list[Record], Issued]:
            return rules.revoke_link(state, seat, member), Issued(state.last_seq + 1)

        return self._rooms.commit(room, decide, idempotency_key=None)

    def expire(self, now: datetime | None = None) -> int:
        """Record every overdue person in every room with a time limit (``round_seconds``) as passing
        or walking away; returns how many rooms moved. The web layer calls it every second or so
        (several processes may: the store lets one of them record each time-out).
        """
        moment = now if now is not None else self._clock()
        moved = 0
        for room in self.store.rooms():
            cached = self._rooms.cached(room)
            if not cached.created.settings.round_seconds or cached.result is not None:
                continue
            # Only a room with someone overdue waits for its lock (an agent may be thinking under it).
            if not rules.deadline(self._rooms.state(room), moment):
                continue
            issued = self._rooms.commit(
                room, lambda state: (rules.deadline(state, moment), Issued(state.last_seq + 1))
            )
            moved += issued.seq > 0
        return moved

    # ------------------------------------------------------------------------------------- export

    def text_export(
        self, access: SeatAccess, format: str, *, compare: int | None = None, language: str | None = None
    ) -> bytes:
        """The room's text as the seat may see it, as a document in ``format`` (``docx``, ``pdf``, ``md``,
        ``html``); with ``compare``, its comparison with that revision (as the seat may see it too)."""
        state = self.state(access.room)
        text = seat_document(state, access.seat)
        what = "export the text"
        if text is None:
            raise RefusedError(
                access.seat, what, "this room's procedure seats no mediator, so it holds no text"
            )
        older = None
        if compare is not None:
            try:
                older = seat_document(state, access.seat, revision=compare)
            except KeyError:
                raise NotFoundError(
                    access.seat, f"compare with Rev.{compare}", f"the text is at Rev.{text.revision}"
                ) from None
        return export_text(text, format, language=language, older=older)

    def export(self, room: str, *, seat: str | None = None) -> list[dict[str, Any]]:
        """The whole record (the mediator's copy, every stored field), or what ``seat`` was shown and when."""
        state = self.state(room)
        if seat is None:
            return [record.to_dict() for record in self.store.read(room)]
        if seat != OBSERVERS:
            try:  # the seat as a person typed it (accord.domain.names)
                seat = resolve_name(seat, state.seats, what="seat", argument="seat")
            except ArgumentError as error:
                raise NotFoundError("", f"export seat {seat!r}", error.reason) from None
        return seat_items(state, seat)


def _access(state: RoomState, member: str, token: str) -> SeatAccess | None:
    """The seat and member ``token`` opens in ``state``, or ``None`` (unknown, revoked or replaced)."""
    link = state.links.get(member)
    if link is None or not link.active or not token_matches(token, link.token_hash):
        return None
    return SeatAccess(room=state.room, seat=link.seat, member=member, role=state.role_of(link.seat))


def _settings(**values: Any) -> Settings:
    """The room's settings; :class:`~accord.errors.ArgumentError` naming the setting (``rounds``) and why."""
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        raise ArgumentError(name, f"{first['msg']}, got {values.get(name)!r}") from None


def _member_id() -> str:
    return "m-" + secrets.token_hex(4)


def _scenario_text(scenario: Path | str) -> tuple[str, str]:
    """``(source, text)``: a path is read (UTF-8), a string is the text itself."""
    if isinstance(scenario, str):
        return "", scenario
    source = str(scenario)
    try:
        return source, scenario.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(source, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(source, "", "is a directory, expected a scenario file") from None
    except UnicodeDecodeError as error:
        raise ScenarioError(source, f"byte {error.start}", "not UTF-8 text") from None
    except OSError as error:
        raise ScenarioError(source, "", f"cannot be read: {error.strerror}") from None
