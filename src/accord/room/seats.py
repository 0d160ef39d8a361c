"""Who holds a seat and who may enter it: a seat handed to an agent or back to people, and its
members' links (issued, revoked, and revoked at once at the mediator's request).

Pure rules like :mod:`accord.room.rules` (which names them too): the state in, the records to
append out, or a :class:`~accord.room.errors.RoomError` naming the seat, the action and why.
Token hashes are passed in; a link's token never reaches the rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.agents.registry import AGENTS, check_seat
from accord.domain import Role
from accord.errors import InputError
from accord.room.errors import ForbiddenError, NotFoundError, RefusedError
from accord.room.records import LinkIssued, LinkRequested, LinkRevoked, Record, SeatHanded, SeatHolder
from accord.room.state import OBSERVERS, RoomState

if TYPE_CHECKING:
    from accord.room.rules import SeatAccess

__all__ = ["hand_seat", "issue_link", "request_link", "revoke_link", "seated_agent"]


def seated_agent(agent: str, role: Role, seat: str, protocol: str) -> str:
    """The agent's versioned id, if it can take ``seat`` (of ``role``) in ``protocol``."""
    check_seat(agent, seat=seat, role=role, protocol=protocol)
    return AGENTS.canonical(agent)


def hand_seat(state: RoomState, by: SeatAccess | None, seat: str, agent: str | None) -> list[Record]:
    """Hand ``seat`` to the agent ``agent`` (an id), or back to people (``None``).

    ``by`` is the mediator's member, or ``None`` for the organiser (the room's owner, outside the talks).
    """
    what = f"hand seat {seat!r} to {agent or 'a person'}"
    who = "" if by is None else by.seat
    if by is not None and by.role is not Role.MEDIATOR:
        raise ForbiddenError(who, what, "only the mediator or the organiser hands seats over")
    if seat == OBSERVERS:
        raise RefusedError(who, what, "observers' links are not a seat that can be handed over")
    if seat not in state.seats:
        raise NotFoundError(who, what, "no such seat in this room")
    role = state.role_of(seat)
    if agent is None:
        holder = SeatHolder(holder="person")
    else:
        try:
            holder = SeatHolder(holder="agent", agent=seated_agent(agent, role, seat, state.protocol.id))
        except InputError as error:
            raise RefusedError(who, what, error.reason.removeprefix(f"seat {seat!r}: ")) from None
    if state.holders[seat] == holder:
        raise RefusedError(who, what, "it already holds the seat")
    return [Record.of(SeatHanded(seat=seat, holder=holder, by=who))]


def issue_link(state: RoomState, seat: str, member: str, token_hash: str) -> list[Record]:
    """A new link for ``member`` of ``seat`` (a member that had one: its old link stops working)."""
    if seat not in state.seats and seat != OBSERVERS:
        raise NotFoundError("", f"issue a link to seat {seat!r}", "no such seat in this room")
    old = state.links.get(member)
    if old is not None and old.seat != seat:
        raise RefusedError(
            "", f"issue a link to seat {seat!r}", f"member {member!r} belongs to seat {old.seat!r}"
        )
    return [Record.of(LinkIssued(seat=seat, member=member, token_hash=token_hash))]


def revoke_link(state: RoomState, seat: str, member: str) -> list[Record]:
    """``member``'s link to ``seat`` stops working."""
    link = state.links.get(member)
    if link is None or link.seat != seat:
        raise NotFoundError("", f"revoke member {member!r}'s link", f"seat {seat!r} has no such member")
    if not link.active:
        raise RefusedError("", f"revoke member {member!r}'s link", "it is already revoked")
    return [Record.of(LinkRevoked(seat=seat, member=member))]


def request_link(state: RoomState, by: SeatAccess, seat: str) -> list[Record]:
    """The mediator revokes every link of ``seat`` at once (a lost laptop); the seat's people get a new
    link from the organiser (who sees the request), never from the mediator, who never holds a token."""
    what = f"reissue the link of seat {seat!r}"
    if by.role is not Role.MEDIATOR:
        raise ForbiddenError(by.seat, what, "only the mediator or the organiser reissues a seat's links")
    if seat == by.seat:
        raise RefusedError(by.seat, what, "replace your own link from your own page")
    if seat not in state.seats:
        raise NotFoundError(by.seat, what, "no such seat in this room")
    if state.holders[seat].holder != "person":
        raise RefusedError(by.seat, what, f"the seat is held by the agent {state.holders[seat].agent}")
    records = [Record.of(LinkRevoked(seat=seat, member=member)) for member in state.members(seat)]
    if not records and seat in state.link_requests:
        raise RefusedError(by.seat, what, "its new link already waits for the organiser")
    return records + [Record.of(LinkRequested(seat=seat, by=by.seat))]
