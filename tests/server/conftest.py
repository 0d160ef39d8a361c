"""A room on a SQLite store in a temporary folder: the envoy mediates, north and south negotiate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import open_store
from server.support import Room


@pytest.fixture
def service(tmp_path: Path) -> Iterator[RoomService]:
    store = open_store(f"sqlite:///{tmp_path / 'rooms.db'}")
    room_service = RoomService(store, background=False)
    yield room_service
    room_service.close()
    store.close()


@pytest.fixture
def room(service: RoomService) -> Room:
    return Room(service, service.create_room(ROOM_SCENARIO, "one-text", observers=1))


# PostgreSQL: a fresh schema per test, skipped with the reason locally and failing in CI when none answers.
from store.conftest import postgres_base_url, postgres_url  # noqa: E402, F401
