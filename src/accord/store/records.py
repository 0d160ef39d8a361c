"""What the room's rules hand to the store, what the store gives back, and its notifications.

>>> record = NewRecord("message", {"text": "We accept clause 3", "disclosure": "attributed"}, seat="usa")
>>> record.kind, record.seat
('message', 'usa')
>>> NewRecord("Message", {})
Traceback (most recent call last):
...
ValueError: record kind 'Message' is not kebab-case (lowercase words joined by '-')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.frozen import thaw

__all__ = ["NewRecord", "Notification", "StoredRecord", "StoredRequest"]

_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record the room's rules emit: its ``kind`` (kebab-case), JSON-ready ``data`` and acting ``seat``.

    ``seat`` is ``""`` for the system (the room itself, a timer). It is part of the hash chain.
    """

    kind: str
    data: Mapping[str, Any]
    seat: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not _KEBAB.fullmatch(self.kind):
            raise ValueError(f"record kind {self.kind!r} is not kebab-case (lowercase words joined by '-')")
        if not isinstance(self.seat, str):
            raise TypeError(f"record seat {self.seat!r} is not a string")
        if not isinstance(self.data, Mapping):
            raise TypeError(f"record data of kind {self.kind!r} is not a mapping")


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A committed record: the room's ``seq`` (1, 2, 3 … without gaps), its time and its place in the chain.

    ``data`` is read-only all the way down (mappings are ``MappingProxyType``, lists are tuples);
    :meth:`to_dict` gives a plain copy. ``created_at`` is ISO 8601 UTC with microseconds, set by the
    store and never earlier than the room's previous record. ``hash`` is
    :func:`accord.store.record_hash` of the fields; ``previous_hash`` is the hash of record
    ``seq - 1``, or 64 zeros for the first.
    """

    room: str
    seq: int
    kind: str
    data: Mapping[str, Any]
    seat: str
    created_at: str
    previous_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready copy of the whole record (as ``accord room export`` writes it).

        >>> from accord.frozen import freeze
        >>> record = StoredRecord("r", 1, "room-created", freeze({"seats": ["a"]}), "", "t", "0", "f")
        >>> record.to_dict()["data"]
        {'seats': ['a']}
        """
        return {
            "room": self.room,
            "seq": self.seq,
            "kind": self.kind,
            "seat": self.seat,
            "data": thaw(self.data),
            "created_at": self.created_at,
            "previous_hash": self.previous_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True, slots=True)
class StoredRequest:
    """A request applied under an idempotency key: its first ``response`` and the records it wrote."""

    room: str
    idempotency_key: str
    response: Mapping[str, Any] | None
    first_seq: int
    last_seq: int
    created_at: str


@dataclass(frozen=True, slots=True)
class Notification:
    """One entry of the store's notification log: record ``seq`` of ``room`` was committed.

    ``id`` increases across all rooms in commit order, without reuse, so a reader that
    remembers the last ``id`` it saw misses nothing and sees nothing twice.
    """

    id: int
    room: str
    seq: int
