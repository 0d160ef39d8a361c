"""Small helpers for testing the room's rules without a store: a tiny scenario and a stand-in record.

>>> from accord.room.rules import create_room
>>> from accord.room.records import Settings
>>> state = stored("r1", create_room(scenario_text=ROOM_SCENARIO, protocol="one-text", agents={},
...                                  settings=Settings()))
>>> state.seats, state.last_seq
(('envoy', 'north', 'south'), 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from accord.frozen import thaw
from accord.room.records import Record
from accord.room.state import RoomState, fold

__all__ = ["ROOM_SCENARIO", "StoredStandIn", "stored"]

#: A two-delegation scenario with a mediator, for tests (Accord scenario file text).
ROOM_SCENARIO = """\
format: accord-scenario/1
name: Two rooms
issues:
  - name: venue
    options:
      - {name: geneva, text: The talks are held in Geneva.}
      - {name: oslo, text: The talks are held in Oslo.}
  - name: days
    options: [one, two, three]
parties:
  - name: envoy
    role: mediator
  - name: north
    role: delegation
    preferences:
      weights: {venue: 0.6, days: 0.4}
      values:
        venue: {geneva: 0.2, oslo: 1.0}
        days: {one: 1.0, two: 0.5, three: 0.0}
      reservation: 0.3
  - name: south
    role: delegation
    preferences:
      weights: {venue: 0.7, days: 0.3}
      values:
        venue: {geneva: 1.0, oslo: 0.1}
        days: {one: 0.0, two: 0.6, three: 1.0}
      reservation: 0.25
"""

#: The time of the first stand-in record; each next one is a second later.
EPOCH = datetime(2017, 2, 23, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class StoredStandIn:
    """A record as a store would give it back (without the hash chain)."""

    room: str
    seq: int
    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)
    seat: str = ""
    created_at: str = ""


def stored(
    room: str,
    records: Iterable[Record],
    *,
    state: RoomState | None = None,
    at: datetime | None = None,
) -> RoomState:
    """Fold ``records`` as if a store had committed them after ``state`` (``at``: their time)."""
    seq = 0 if state is None else state.last_seq
    when = at if at is not None else EPOCH + timedelta(seconds=seq)
    committed = [
        StoredStandIn(room, seq + number, record.kind, thaw(record.data), record.seat, when.isoformat())
        for number, record in enumerate(records, start=1)
    ]
    return fold(state, committed, room=room)
