"""The store's errors, all :class:`accord.errors.AccordError`: one line, naming the store or the room.

>>> str(SequenceConflict("geneva", 4, 5))
'room geneva: expected record 4 to be the last, but the room is at record 5 (another writer got there first)'
>>> DuplicateRequest("geneva", "key-1", {"seq": 3}).response
{'seq': 3}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.errors import AccordError

__all__ = ["DuplicateRequest", "SequenceConflict", "StoreError"]


class StoreError(AccordError):
    """The store cannot be opened or used: a bad URL, an unreachable database, a file that is not a store."""


class SequenceConflict(StoreError):  # noqa: N818 (the name the room and the server use)
    """Another writer appended to the room after the record the caller based its decision on.

    The caller rebuilds its state from the records after ``expected_seq`` and decides again.
    """

    def __init__(self, room: str, expected_seq: int, actual_seq: int) -> None:
        self.room = room
        self.expected_seq = expected_seq
        self.actual_seq = actual_seq
        super().__init__(
            f"room {room}: expected record {expected_seq} to be the last, but the room is at record "
            f"{actual_seq} (another writer got there first)"
        )


class DuplicateRequest(StoreError):  # noqa: N818 (the name the room and the server use)
    """The idempotency key was used before in this room; ``response`` is what the first request answered."""

    def __init__(self, room: str, idempotency_key: str, response: Mapping[str, Any] | None) -> None:
        self.room = room
        self.idempotency_key = idempotency_key
        self.response = response
        super().__init__(f"room {room}: request {idempotency_key!r} was already applied")
