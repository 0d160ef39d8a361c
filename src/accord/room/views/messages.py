"""The messages a seat's view holds: its own, what was sent to it, and what the mediator passed on.

A recipient's copy of a forward has its own id and time, and its author's seat only when the
mediator passed it on verbatim and attributed; the mediator sees its forwards with their sources.
"""

from __future__ import annotations

from typing import Any

from accord.domain import Role
from accord.room.state import Forwarded, RoomMessage, RoomState

__all__ = ["forward_for", "message_for", "seat_messages"]


def _message(message: RoomMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "seq": message.seq,
        "at": message.at,
        "from": message.seat,
        "member": message.member,
        "to": message.to,
        "text": message.text,
        "disclosure": message.disclosure,
    }


def _forward_for_mediator(forward: Forwarded) -> dict[str, Any]:
    return {
        "id": forward.id,
        "seq": forward.seq,
        "at": forward.at,
        "from": forward.seat,
        "member": forward.member,
        "to": list(forward.to),
        "text": forward.text,
        "verbatim": forward.verbatim,
        "author": forward.author,
        "source": forward.source,
    }


def _forward_for_recipient(forward: Forwarded, recipient: str) -> dict[str, Any]:
    """A recipient's copy: its own id and time, the author's seat only for an attributed verbatim forward."""
    return {
        "id": forward.id,
        "seq": forward.seq,
        "at": forward.at,
        "from": forward.seat,
        "to": recipient,
        "text": forward.text,
        "verbatim": forward.verbatim,
        "author": forward.author,
    }


def message_for(state: RoomState, message: RoomMessage, seat: str, role: Role) -> dict[str, Any] | None:
    """``message`` as ``seat`` sees it: its author's and the mediator's if sent to it; else ``None``."""
    if message.seat == seat or (role is Role.MEDIATOR and message.to == "mediator"):
        return _message(message)
    return None


def forward_for(forward: Forwarded, seat: str, role: Role) -> dict[str, Any] | None:
    """``forward`` as ``seat`` sees it: the mediator's with its source, a recipient's copy; else ``None``."""
    if role is Role.MEDIATOR and forward.seat == seat:
        return _forward_for_mediator(forward)
    if role is Role.DELEGATION and seat in forward.to:
        return _forward_for_recipient(forward, seat)
    return None


def seat_messages(state: RoomState, seat: str, role: Role) -> list[dict[str, Any]]:
    """Every message and forward ``seat`` may read, in record order (the view's ``messages``)."""
    shown: list[dict[str, Any]] = []
    for message in state.messages.values():
        if (item := message_for(state, message, seat, role)) is not None:
            shown.append(item)
    for forward in state.forwards.values():
        if (item := forward_for(forward, seat, role)) is not None:
            shown.append(item)
    shown.sort(key=lambda item: int(item["seq"]))
    return shown
