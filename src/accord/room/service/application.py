"""The room's application: the API the web layer and the command line use (:class:`RoomService`).

Each command lets the pure rules (:mod:`accord.room.rules`) decide on the room's newest
state and commits their records through :class:`~accord.room.service.rooms.Rooms`
(decided again when another writer got there first; a retried request applied once);
the agents then take their turns. Every read renders from :mod:`accord.room.views`
only. Ids, link tokens and seeds are made here, so the rules stay pure.

The methods are thin: what each command decides is in :mod:`~accord.room.service.commands`
(the talks) and :mod:`~accord.room.service.links` (links and tokens), a new room's parts in
:mod:`~accord.room.service.creating`, the exports in :mod:`~accord.room.service.exports`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from accord.agents.base import Agent
from accord.agents.registry import agent_by_id
from accord.room import rules
from accord.room.driver import Within
from accord.room.errors import NotFoundError
from accord.room.linking import Agreed
from accord.room.records import ProcessLink
from accord.room.rules import SeatAccess
from accord.room.service import commands, exports, links
from accord.room.service.creating import (
    CreatedRoom,
    NewLinks,
    SeatLink,
    new_room_id,
    room_settings,
    scenario_text,
)
from accord.room.service.links import new_member_id, new_token
from accord.room.service.rooms import Issued, Rooms
from accord.room.state import RoomState
from accord.room.views import organiser_view, seat_items, seat_view
from accord.session import DEFAULT_TIME_LIMIT, within
from accord.store import Store

__all__ = ["CreatedRoom", "RoomService", "SeatLink", "new_room_id", "new_token"]


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
        self._rooms = Rooms(store, background=background, call=call, build=build, elsewhere=self._elsewhere)
        self._clock = clock

    def rooms(self) -> tuple[str, ...]:
        """Every room in the store, in the order they were created."""
        return self._rooms.rooms()

    def _elsewhere(self, state: RoomState) -> Agreed | None:
        return commands.agreed_elsewhere(self._rooms, state)

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
        first_round: str = "",
        room: str | None = None,
        process: ProcessLink | None = None,
    ) -> CreatedRoom:
        """Create a room: ``scenario`` is a scenario file (a :class:`~pathlib.Path`) or its text (a ``str``).

        Seats named in ``agents`` (seat → agent id) are held by agents, the others by people, each of
        whom gets a link; ``observers`` links watch. ``seed`` seeds the agents (random by default).
        ``source`` names the scenario in errors (default: the path, or ``<scenario>`` for text).
        ``edit_preferences``: delegations may change their preferences ``before`` the talks, or ``during``.
        ``first_round`` labels the first round of talks (``Geneva IV``; default ``Round 1``);
        ``room`` chooses its id (default: a random one) and ``process`` links it to a process's other
        tracks (:meth:`create_process`).
        Bad input raises an
        :class:`~accord.errors.InputError` naming where and why.
        """
        source, text = scenario_text(scenario) if source is None else (source, scenario_text(scenario)[1])
        settings = room_settings(
            preferences=preferences,
            round_seconds=round_seconds,
            rounds=rounds,
            seed=secrets.randbits(32) if seed is None else seed,
            time_limit=time_limit,
            edit_preferences=edit_preferences,
            round=first_round,
        )
        new_links = NewLinks()
        records = rules.create_room(
            scenario_text=text,
            protocol=protocol,
            agents=agents or {},
            settings=settings,
            observers=observers,
            credentials=new_links.credentials,
            source=source,
            process=process,
        )
        return new_links.created(self._rooms.opened(room or new_room_id(), records))

    # ------------------------------------------------------------------------------------- access

    def authenticate(self, token: str) -> SeatAccess | None:
        """The seat and member a link's token opens, or ``None`` (unknown or revoked)."""
        return links.authenticate(self._rooms, token)

    def authenticate_in_memory(self, token: str) -> SeatAccess | None:
        """:meth:`authenticate` answered from memory alone, never waiting for the store: the seat and
        member when memory is known to be up to date and the link opens them; ``None`` when the token
        is bad *or* memory cannot tell (then ask :meth:`authenticate`)."""
        return links.authenticate_in_memory(self._rooms, token)

    def view(self, access: SeatAccess) -> dict[str, Any]:
        """The seat's whole view (``GET /api/v1/rooms/{room}/view``)."""
        return seat_view(self.state(access.room), access.seat, access.member)

    def organiser_view(self, room: str, *, analysis: bool = True) -> dict[str, Any]:
        """The organiser's view of ``room`` (:func:`accord.room.views.organiser_view`)."""
        return organiser_view(self.state(room), analysis=analysis)

    def process_view(self, access: SeatAccess) -> dict[str, Any] | None:
        """What the seat sees of its room's process (``None`` outside one): the tracks, the conditions,
        a delegation's own seats in the other tracks side by side, the mediator's joint analysis
        (:func:`accord.room.service.processes.process_view`)."""
        from accord.room.service.processes import process_view

        return process_view(self, access)

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
        if not links.opens(state, access, token):
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
        decide = commands.act(access, action, self._elsewhere)
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
        decide = commands.message(access, commands.new_message_id(), text, disclosure=disclosure, to=to)
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
        forward_id = commands.new_message_id()
        decide = commands.forward(access, message_id, to, forward_id=forward_id, paraphrase=paraphrase)
        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

    def change_text(
        self, access: SeatAccess, change: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Issued:
        """A change to the room's text (``accord.text.change_to_data`` form, without seat and time)."""
        decide = commands.change_text(access, change, self._elsewhere)
        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

    def set_disclosure(
        self, access: SeatAccess, disclosed: bool, *, idempotency_key: str | None = None
    ) -> Issued:
        """A delegation allows or withdraws the mediator's access to its preferences (``disclosed`` rooms)."""
        decide = commands.set_disclosure(access, disclosed)
        return self._rooms.commit(access.room, decide, idempotency_key=idempotency_key)

    def set_preferences(
        self, access: SeatAccess, preferences: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> Issued:
        """A delegation's new preferences (a scenario file's ``preferences`` block), replacing its own."""
        decide = commands.set_preferences(access, preferences)
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
        decide = links.hand_seat(by, seat, agent, member=new_member_id(), token=new_token())
        return self._rooms.commit(room, decide, idempotency_key=idempotency_key)

    def adjourn(
        self, room: str, *, by: SeatAccess | None = None, idempotency_key: str | None = None
    ) -> Issued:
        """Close the current round of talks: ``by`` is the mediator, or ``None`` for the organiser."""
        if by is not None and by.room != room:
            raise NotFoundError(by.seat, "adjourn the talks", "no such room")
        return self._rooms.commit(room, commands.adjourn(by), idempotency_key=idempotency_key)

    def reconvene(
        self, room: str, label: str, *, by: SeatAccess | None = None, idempotency_key: str | None = None
    ) -> Issued:
        """Open the round ``label`` (``Geneva V``) after an adjournment; the agents awaited act again."""
        if by is not None and by.room != room:
            raise NotFoundError(by.seat, "reconvene the talks", "no such room")
        return self._rooms.commit(room, commands.reconvene(by, label), idempotency_key=idempotency_key)

    def issue_link(self, room: str, seat: str, *, member: str | None = None) -> Issued:
        """A new link to ``seat``: for a new member, or a reissue for ``member`` (its old link stops)."""
        decide = links.issue_link(seat, member or new_member_id(), new_token())
        return self._rooms.commit(room, decide, idempotency_key=None)

    def reissue_link(self, room: str, seat: str, member: str) -> Issued:
        """A new link for ``member`` of ``seat``; the old one stops working."""
        if member not in self.state(room).links:
            raise NotFoundError("", f"reissue member {member!r}'s link", f"seat {seat!r} has no such member")
        return self.issue_link(room, seat, member=member)

    def request_link(self, by: SeatAccess, seat: str, *, idempotency_key: str | None = None) -> Issued:
        """The mediator revokes every link of ``seat`` at once; the organiser issues the new one
        (:meth:`issue_link`, as ``accord room link`` and the organiser's page do): no token here."""
        return self._rooms.commit(by.room, links.request_link(by, seat), idempotency_key=idempotency_key)

    def revoke_link(self, room: str, seat: str, member: str) -> Issued:
        """``member``'s link to ``seat`` stops working."""
        return self._rooms.commit(room, links.revoke_link(seat, member), idempotency_key=None)

    def expire(self, now: datetime | None = None) -> int:
        """Record every overdue person in every room with a time limit (``round_seconds``) as passing
        or walking away; returns how many rooms moved. The web layer calls it every second or so
        (several processes may: the store lets one of them record each time-out).
        """
        return commands.expire(self._rooms, now if now is not None else self._clock())

    # ------------------------------------------------------------------------------------- export

    def text_export(
        self, access: SeatAccess, format: str, *, compare: int | None = None, language: str | None = None
    ) -> bytes:
        """The room's text as the seat may see it, as a document in ``format`` (``docx``, ``pdf``, ``md``,
        ``html``); with ``compare``, its comparison with that revision (as the seat may see it too)."""
        state = self.state(access.room)
        return exports.text_export(state, access.seat, format, compare=compare, language=language)

    def export(self, room: str, *, seat: str | None = None) -> list[dict[str, Any]]:
        """The whole record (the mediator's copy, every stored field), or what ``seat`` was shown and when."""
        return exports.export(self.store, self.state(room), seat=seat)
