"""The room's rules for messages: proximity talks through the mediator, and each team's own channel.

A delegation writes only to the mediator, marking each message ``mediator-only``,
``attributed`` (may be passed on with its author's name) or ``unattributed`` (may be
passed on without it); any member writes to its own team. The mediator passes a
message on verbatim, within its mark, or in its own words. Pure, like
:mod:`accord.room.rules`: ids are chosen by the caller.

>>> from accord.domain import Role
>>> from accord.room.records import Settings
>>> from accord.room.rules import SeatAccess, create_room
>>> from accord.room.testing import ROOM_SCENARIO, stored
>>> state = stored("r1", create_room(scenario_text=ROOM_SCENARIO, protocol="one-text", agents={},
...                                  settings=Settings()))
>>> north = SeatAccess(room="r1", seat="north", member="m-1", role=Role.DELEGATION)
>>> [record.kind for record in send_message(state, north, message_id="a1", text="Oslo?",
...                                         disclosure="mediator-only")]
['message']
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.domain import Role
from accord.room.errors import ForbiddenError, NotFoundError, RefusedError
from accord.room.records import DISCLOSURES, MessageForwarded, MessageSent, Record
from accord.room.rules import SeatAccess
from accord.room.state import RoomState

__all__ = ["MAX_TEXT", "forward", "send_message"]

#: The longest message text, in characters.
MAX_TEXT = 20_000


def _text(seat: str, what: str, text: object) -> str:
    if not isinstance(text, str) or not text.strip():
        raise RefusedError(seat, what, "the text is empty")
    if len(text) > MAX_TEXT:
        raise RefusedError(seat, what, f"the text is longer than {MAX_TEXT} characters")
    return text


def send_message(
    state: RoomState,
    access: SeatAccess,
    *,
    message_id: str,
    text: str,
    disclosure: str | None = None,
    to: str = "mediator",
) -> list[Record]:
    """A delegation's message to the mediator (``disclosure`` required), or a member's to its own team
    (``to="team"``; any disclosure is ignored there). ``message_id`` must be new (chosen by the caller).
    """
    what = "write to the team" if to == "team" else "write to the mediator"
    if access.role is Role.OBSERVER:
        raise ForbiddenError(access.seat, what, "observers only watch")
    if access.seat not in state.seats:
        raise NotFoundError(access.seat, what, "no such seat in this room")
    if message_id in state.messages or message_id in state.forwards:
        raise RefusedError(access.seat, what, f"message id {message_id!r} is taken")
    text = _text(access.seat, what, text)
    if to == "team":
        disclosure = None
    elif to == "mediator":
        if access.role is not Role.DELEGATION:
            raise ForbiddenError(access.seat, what, "only a delegation writes to the mediator")
        if not state.mediator:
            raise RefusedError(access.seat, what, "this room's protocol has no mediator")
        if disclosure not in DISCLOSURES:
            raise RefusedError(access.seat, what, f"the disclosure must be one of {', '.join(DISCLOSURES)}")
    else:
        raise RefusedError(access.seat, f"write to {to!r}", "a message goes to the mediator or to the team")
    message = MessageSent.model_validate(
        {
            "id": message_id,
            "seat": access.seat,
            "member": access.member,
            "to": to,
            "text": text,
            "disclosure": disclosure,
        }
    )
    return [Record.of(message)]


def forward(
    state: RoomState,
    access: SeatAccess,
    *,
    message_id: str,
    to: Sequence[str],
    forward_id: str,
    paraphrase: str | None = None,
) -> list[Record]:
    """The mediator passes message ``message_id`` on to delegations ``to``: verbatim within its mark
    (never a ``mediator-only`` one), or as ``paraphrase``, its own words. ``forward_id`` is fresh: the
    recipients never see the source's id.
    """
    what = f"forward message {message_id!r}"
    if access.role is not Role.MEDIATOR:
        raise ForbiddenError(access.seat, what, "only the mediator forwards messages")
    source = state.messages.get(message_id)
    if source is None or source.to != "mediator":
        raise NotFoundError(access.seat, what, "no such message to the mediator")
    if forward_id in state.messages or forward_id in state.forwards:
        raise RefusedError(access.seat, what, f"message id {forward_id!r} is taken")
    recipients = tuple(to)
    if not recipients:
        raise RefusedError(access.seat, what, "name at least one delegation to forward it to")
    for seat in recipients:
        if seat not in state.setup.delegations:
            raise RefusedError(access.seat, what, f"{seat!r} is not a delegation of this room")
    if len(set(recipients)) != len(recipients):
        raise RefusedError(access.seat, what, "a delegation is named twice")
    if paraphrase is None:
        if source.disclosure == "mediator-only":
            raise RefusedError(
                access.seat, what, "it is marked mediator-only: pass it on only in your own words"
            )
        text, verbatim = source.text, True
    else:
        text, verbatim = _text(access.seat, what, paraphrase), False
    record = MessageForwarded(
        id=forward_id,
        source=message_id,
        seat=access.seat,
        member=access.member,
        to=recipients,
        text=text,
        verbatim=verbatim,
    )
    return [Record.of(record)]
