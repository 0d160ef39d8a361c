"""Links and their tokens: who a token lets in, and the commands that issue, revoke and request links.

A link's token is made here and given once; only its hash is recorded
(:func:`~accord.room.records.token_hash`), and a token is checked against it in constant
time. Each command here returns a decision (the state → the records to append and the
answer) that :class:`~accord.room.service.RoomService` commits; the tokens and member ids
it records are made before deciding, so a decision taken again after a conflict records
the same ones.
"""

from __future__ import annotations

import secrets

from accord.room import rules
from accord.room.records import Record, token_hash, token_matches
from accord.room.rules import SeatAccess
from accord.room.service.rooms import Decision, Issued, Rooms
from accord.room.state import RoomState

__all__ = [
    "access",
    "authenticate",
    "authenticate_in_memory",
    "hand_seat",
    "issue_link",
    "new_member_id",
    "new_token",
    "opens",
    "request_link",
    "revoke_link",
]


def new_token() -> str:
    """A link's secret: 256 random bits, URL-safe. Only its hash is ever recorded.

    >>> len(new_token()) >= 43
    True
    """
    return secrets.token_urlsafe(32)


def new_member_id() -> str:
    """A new member's id: ``m-`` and 32 random bits in hex (not a secret: its link's token is).

    >>> new_member_id().startswith("m-")
    True
    """
    return "m-" + secrets.token_hex(4)


def access(state: RoomState, member: str, token: str) -> SeatAccess | None:
    """The seat and member ``token`` opens in ``state``, or ``None`` (unknown, revoked or replaced)."""
    link = state.links.get(member)
    if link is None or not link.active or not token_matches(token, link.token_hash):
        return None
    return SeatAccess(room=state.room, seat=link.seat, member=member, role=state.role_of(link.seat))


def opens(state: RoomState, access: SeatAccess, token: str) -> bool:
    """Whether ``token`` still opens ``access``'s member at its seat in ``state`` (not revoked, replaced)."""
    link = state.links.get(access.member)
    return (
        link is not None
        and link.active
        and link.seat == access.seat
        and token_matches(token, link.token_hash)
    )


def authenticate(rooms: Rooms, token: str) -> SeatAccess | None:
    """The seat and member a link's token opens in any of ``rooms``, or ``None`` (unknown or revoked)."""
    known = rooms.lookup(token_hash(token))
    if known is None:
        return None
    room, member = known
    return access(rooms.state(room), member, token)


def authenticate_in_memory(rooms: Rooms, token: str) -> SeatAccess | None:
    """:func:`authenticate` from memory alone: ``None`` when the token is bad *or* memory cannot tell."""
    known = rooms.known_token(token_hash(token))
    if known is None:
        return None
    room, member = known
    state = rooms.in_memory(room)
    return None if state is None else access(state, member, token)


def issue_link(seat: str, member: str, token: str) -> Decision:
    """A link to ``seat`` for ``member`` (new, or a reissue: its old link stops), answered with its token."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        records = rules.issue_link(state, seat, member, token_hash(token))
        return records, Issued(state.last_seq + 1, member=member, token=token)

    return decide


def revoke_link(seat: str, member: str) -> Decision:
    """``member``'s link to ``seat`` stops working."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rules.revoke_link(state, seat, member), Issued(state.last_seq + 1)

    return decide


def request_link(by: SeatAccess, seat: str) -> Decision:
    """The mediator revokes every link of ``seat`` at once; the organiser issues the new one."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        return rules.request_link(state, by, seat), Issued(state.last_seq + 1)

    return decide


def hand_seat(by: SeatAccess | None, seat: str, agent: str | None, *, member: str, token: str) -> Decision:
    """``seat`` to an agent, or back to people (``agent=None``); a seat handed to people without a
    member gets a link for ``member`` (answered with ``token``)."""

    def decide(state: RoomState) -> tuple[list[Record], Issued]:
        records = rules.hand_seat(state, by, seat, agent)
        if agent is None and not state.members(seat):
            records += rules.issue_link(state, seat, member, token_hash(token))
            return records, Issued(state.last_seq + 1, member=member, token=token)
        return records, Issued(state.last_seq + 1)

    return decide
