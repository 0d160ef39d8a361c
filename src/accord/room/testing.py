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
from accord.room.folding import fold
from accord.room.records import Record
from accord.room.state import RoomState

__all__ = ["NORTH", "ROOM_SCENARIO", "SOUTH", "Leaning", "StoredStandIn", "room_scenario", "stored"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Leaning:
    """One delegation's preferences in :func:`room_scenario`, each number as the file writes it.

    >>> Leaning(venue="0.6", days="0.4", geneva="0.2", oslo="1.0", one="1.0", two="0.5", three="0.0",
    ...         reservation="0.3").numbers()
    ('0.6', '0.4', '0.2', '1.0', '1.0', '0.5', '0.0', '0.3')
    """

    venue: str
    days: str
    geneva: str
    oslo: str
    one: str
    two: str
    three: str
    reservation: str

    def numbers(self) -> tuple[str, ...]:
        """Every number of these preferences, in the order of the fields."""
        return (
            self.venue,
            self.days,
            self.geneva,
            self.oslo,
            self.one,
            self.two,
            self.three,
            self.reservation,
        )

    def lines(self) -> str:
        """The ``preferences`` block of a party in the scenario file."""
        return (
            "    preferences:\n"
            f"      weights: {{venue: {self.venue}, days: {self.days}}}\n"
            "      values:\n"
            f"        venue: {{geneva: {self.geneva}, oslo: {self.oslo}}}\n"
            f"        days: {{one: {self.one}, two: {self.two}, three: {self.three}}}\n"
            f"      reservation: {self.reservation}\n"
        )


#: North's preferences in :data:`ROOM_SCENARIO`.
NORTH = Leaning(
    venue="0.6", days="0.4", geneva="0.2", oslo="1.0", one="1.0", two="0.5", three="0.0", reservation="0.3"
)
#: South's preferences in :data:`ROOM_SCENARIO`.
SOUTH = Leaning(
    venue="0.7", days="0.3", geneva="1.0", oslo="0.1", one="0.0", two="0.6", three="1.0", reservation="0.25"
)


def room_scenario(*, north: Leaning = NORTH, south: Leaning = SOUTH, name: str = "Two rooms") -> str:
    """The text of a two-delegation scenario with a mediator (``envoy``), for tests.

    Two issues (``venue``: geneva, oslo; ``days``: one, two, three); ``north`` and ``south``
    are the delegations' preferences (a test plants markers in them).
    """
    return (
        "format: accord-scenario/1\n"
        f"name: {name}\n"
        "issues:\n"
        "  - name: venue\n"
        "    options:\n"
        "      - {name: geneva, text: The talks are held in Geneva.}\n"
        "      - {name: oslo, text: The talks are held in Oslo.}\n"
        "  - name: days\n"
        "    options: [one, two, three]\n"
        "parties:\n"
        "  - name: envoy\n"
        "    role: mediator\n"
        "  - name: north\n"
        "    role: delegation\n"
        f"{north.lines()}"
        "  - name: south\n"
        "    role: delegation\n"
        f"{south.lines()}"
    )


#: A two-delegation scenario with a mediator, for tests (Accord scenario file text).
ROOM_SCENARIO = room_scenario()

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
