"""Why the room refuses a command, in three kinds the web layer maps to HTTP statuses.

* :class:`RefusedError` — the command is understood and allowed to this seat, but not
  now or not in this form (an illegal or out-of-turn action, a verbatim forward
  of a ``mediator-only`` message): HTTP 409.
* :class:`ForbiddenError` — this seat may never do this (a delegation forwarding,
  an observer writing): HTTP 403.
* :class:`NotFoundError` — no such room, seat or message *for this seat* (another
  delegation's message is "not found", not "forbidden", so its existence does
  not leak): HTTP 404.

Each carries the ``seat``, the ``action`` tried and the ``reason`` as data, and
its text is one line naming all three.

>>> str(RefusedError("Government", "vote", "it is not this seat's turn"))
"seat 'Government' may not vote: it is not this seat's turn"
>>> RecordError("r1", 7, "the stored event differs from the replayed one").seq
7
"""

from __future__ import annotations

from accord.errors import AccordError

__all__ = ["ForbiddenError", "NotFoundError", "RecordError", "RefusedError", "RoomError"]


class RoomError(AccordError):
    """A command the room does not carry out; nothing was recorded."""

    exit_code = 2

    def __init__(self, seat: str, action: str, reason: str) -> None:
        self.seat = seat
        self.action = action
        self.reason = reason
        who = f"seat {seat!r}" if seat else "the organiser"
        super().__init__(f"{who} may not {action}: {reason}")


class RefusedError(RoomError):
    """Allowed to this seat in principle, but not now or not like this (HTTP 409)."""


class ForbiddenError(RoomError):
    """Never allowed to this seat (HTTP 403)."""


class NotFoundError(RoomError):
    """No such room, seat or message as far as this seat may know (HTTP 404)."""


class RecordError(AccordError):
    """A stored record cannot be folded into the room's state: the record is damaged or inconsistent."""

    def __init__(self, room: str, seq: int, reason: str) -> None:
        self.room = room
        self.seq = seq
        self.reason = reason
        super().__init__(f"room {room!r}: record {seq}: {reason}")
