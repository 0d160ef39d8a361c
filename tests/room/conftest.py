"""Rooms on the small two-delegation scenario, built from records without a store; and, for the tests
of the room's application, a store in a new SQLite file and a service over it (agents act before a
command returns)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from accord.domain import Role
from accord.room.records import Record, Settings, token_hash
from accord.room.rules import SeatAccess, create_room
from accord.room.service import RoomService
from accord.room.state import OBSERVERS, RoomState
from accord.room.testing import ROOM_SCENARIO, stored
from accord.store import Store, open_store

ROOM = "r1"


def access(seat: str, member: str = "", role: Role | None = None) -> SeatAccess:
    """A member of a seat of the test room (member ``m-<seat>`` by default)."""
    if role is None:
        role = {"envoy": Role.MEDIATOR, OBSERVERS: Role.OBSERVER}.get(seat, Role.DELEGATION)
    return SeatAccess(room=ROOM, seat=seat, member=member or f"m-{seat}", role=role)


def new_room(protocol: str, *, agents: Mapping[str, str] | None = None, **settings: object) -> RoomState:
    """A room on the test scenario: one link per person-held seat (member ``m-<seat>``) and one observer."""
    records = create_room(
        scenario_text=ROOM_SCENARIO,
        protocol=protocol,
        agents=dict(agents or {}),
        settings=Settings.model_validate(settings),
        observers=1,
        credentials=lambda seat: (f"m-{seat}", token_hash(f"token-{seat}")),
    )
    return stored(ROOM, records)


def then(state: RoomState, records: list[Record]) -> RoomState:
    """The state after ``records`` are committed."""
    return stored(ROOM, records, state=state)


@pytest.fixture
def one_text() -> RoomState:
    return new_room("one-text")


@pytest.fixture
def alternating() -> RoomState:
    return new_room("alternating-offers")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'rooms.db'}") as opened:
        yield opened


@pytest.fixture
def service(store: Store) -> Iterator[RoomService]:
    running = RoomService(store, background=False)
    yield running
    running.close()
