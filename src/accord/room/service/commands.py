"""The talks' commands as decisions: the room's state → the records the pure rules decide and the answer.

Each function here returns a decision that :class:`~accord.room.service.RoomService` commits
through :meth:`Rooms.commit <accord.room.service.rooms.Rooms.commit>`, which may take it
again on a newer state; ids are made before deciding, so every attempt records the same one.
``elsewhere`` gives what the other tracks of a process's room have agreed
(:func:`agreed_elsewhere`), read anew for each attempt. :func:`expire` is the time-out sweep
over every room.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from accord.room import messages, rounds, rules, text_changes
from accord.room.errors import NotFoundError
from accord.room.linking import Agreed, agreed_issues
from accord.room.records import Record
from accord.room.rules import SeatAccess
from accord.room.service.rooms import Decision, Issued, Rooms
from accord.room.state import RoomState

__all__ = [
    "act",
    "adjourn",
    "agreed_elsewhere",
    "change_text",
    "expire",
    "forward",
    "message",
    "new_message_id",
    "reconvene",
    "set_disclosure",
    "set_preferences",
]

#: What the other tracks of a room's process have agreed (``None`` outside a process).
Elsewhere = Callable[[RoomState], Agreed | None]


def agreed_elsewhere(rooms: Rooms, state: RoomState) -> Agreed | None:
    """For a room of a process: what each other track's room has agreed (read from its state)."""
    link = state.created.process
    if link is None:
        return None
    agreed = {}
    for track, room in link.rooms.items():
        if room == state.room:
            continue
        try:
            agreed[track] = agreed_issues(rooms.state(room))
        except NotFoundError:  # not created yet: nothing agreed there
            agreed[track] = frozenset()
    return agreed


def new_message_id() -> str:
    """A message's id (or a forward's): 64 random bits in hex.

    >>> len(new_message_id())
    16
    """
    return secrets.token_hex(8)


def act(access: SeatAccess, action: Mapping[str, Any], elsewhere: Elsewhere) -> Decision:
    """A protocol action (``accord.protocols.action_to_data`` form) for the member's seat."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rules.act(state, access, action, elsewhere=elsewhere(state)), Issued(state.last_seq + 1)

    return decide


def message(access: SeatAccess, message_id: str, text: str, *, disclosure: str | None, to: str) -> Decision:
    """A delegation's message to the mediator, or a member's to its team, answered with its id."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        records = messages.send_message(
            state, access, message_id=message_id, text=text, disclosure=disclosure, to=to
        )
        return records, Issued(state.last_seq + 1, id=message_id)

    return decide


def forward(
    access: SeatAccess, message_id: str, to: Sequence[str], *, forward_id: str, paraphrase: str | None
) -> Decision:
    """The mediator passes a message on, verbatim or as ``paraphrase``, answered with the copy's id."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        records = messages.forward(
            state, access, message_id=message_id, to=to, forward_id=forward_id, paraphrase=paraphrase
        )
        return records, Issued(state.last_seq + 1, id=forward_id)

    return decide


def change_text(access: SeatAccess, change: Mapping[str, Any], elsewhere: Elsewhere) -> Decision:
    """A change to the room's text (``accord.text.change_to_data`` form, without seat and time)."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        records = text_changes.change_text(state, access, change, elsewhere=elsewhere(state))
        return records, Issued(state.last_seq + 1)

    return decide


def set_disclosure(access: SeatAccess, disclosed: bool) -> Decision:
    """A delegation allows or withdraws the mediator's access to its preferences."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rules.set_disclosure(state, access, disclosed), Issued(state.last_seq + 1)

    return decide


def set_preferences(access: SeatAccess, preferences: Mapping[str, Any]) -> Decision:
    """A delegation's new preferences (a scenario file's ``preferences`` block), replacing its own."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rules.set_preferences(state, access, preferences), Issued(state.last_seq + 1)

    return decide


def adjourn(by: SeatAccess | None) -> Decision:
    """Close the current round of talks: ``by`` is the mediator, or ``None`` for the organiser."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rounds.adjourn(state, by), Issued(state.last_seq + 1)

    return decide


def reconvene(by: SeatAccess | None, label: str) -> Decision:
    """Open the round ``label`` after an adjournment."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rounds.reconvene(state, by, label), Issued(state.last_seq + 1)

    return decide


def expire(rooms: Rooms, moment: datetime) -> int:
    """Record every person overdue at ``moment`` in every room with a time limit (``round_seconds``)
    as passing or walking away; how many rooms moved."""
    moved = 0
    for room in rooms.store.rooms():
        cached = rooms.cached(room)
        if not cached.created.settings.round_seconds or cached.result is not None:
            continue
        # Only a room with someone overdue waits for its lock (an agent may be thinking under it).
        current = rooms.state(room)
        if not rules.deadline(current, moment, elsewhere=rooms.elsewhere(current)):
            continue
        issued = rooms.commit(
            room,
            lambda state: (
                rules.deadline(state, moment, elsewhere=rooms.elsewhere(state)),
                Issued(state.last_seq + 1),
            ),
        )
        moved += issued.seq > 0
    return moved
