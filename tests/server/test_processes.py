"""``accord serve`` processes for real: SIGKILL loses no acknowledged request; two servers share news.

Durability: a burst of concurrent messages (each with its ``Idempotency-Key``),
the server killed with SIGKILL in the middle, restarted on the same store:
every request that got a ``2xx`` is in the record, at the ``seq`` it was told,
and the hash chain verifies. On SQLite and on PostgreSQL.

Fan-out: two ``accord serve`` processes on one PostgreSQL; a message accepted by
one reaches a stream held on the other in under a second.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.store import open_store, verify_room
from server.live import event_stream
from server.processes import accord_serve, create_rooms


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rooms.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_request(store_url: str, tmp_path: Path) -> None:
    created = create_rooms(store_url, 1)[0]
    room = created.room
    tokens = [created.seats[seat].token or "" for seat in ("north", "south")]
    acknowledged: list[dict[str, Any]] = []
    lock = threading.Lock()
    with accord_serve(store_url, tmp_path) as (process, base):
        stop = threading.Event()

        def send(number: int) -> None:
            if stop.is_set():
                return
            token = tokens[number % 2]
            try:
                response = httpx.post(
                    f"{base}/api/v1/rooms/{room}/messages",
                    json={"text": f"burst {number}", "disclosure": "attributed"},
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"burst-{number}"},
                    timeout=10,
                )
            except httpx.HTTPError:
                return  # the server died under it: not acknowledged
            if 200 <= response.status_code < 300:
                with lock:
                    acknowledged.append({"number": number, **response.json()})

        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(send, number) for number in range(400)]
            deadline = time.monotonic() + 30
            while len(acknowledged) < 40 and time.monotonic() < deadline:
                time.sleep(0.01)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(10)
            stop.set()
            for future in futures:
                future.result()
    assert len(acknowledged) >= 40
    # Restarted, the server serves the same record; and the organiser's copy holds every acknowledgement.
    with accord_serve(store_url, tmp_path) as (_, base):
        view = httpx.get(f"{base}/api/v1/rooms/{room}/view", headers={"Authorization": f"Bearer {tokens[0]}"})
        assert view.status_code == 200
    with open_store(store_url) as store:
        report = verify_room(store, room)
        assert report.ok, str(report)
        stored = {record.seq: record for record in store.read(room)}
    for answer in acknowledged:
        record = stored[answer["seq"]]
        assert record.kind == "message"
        assert (record.data["id"], record.data["text"]) == (answer["id"], f"burst {answer['number']}")


@pytest.mark.slow
def test_two_servers_on_one_postgresql_share_news_within_a_second(postgres_url: str, tmp_path: Path) -> None:
    created = create_rooms(postgres_url, 1)[0]
    room = created.room
    north, envoy = (created.seats[seat].token or "" for seat in ("north", "envoy"))
    with (
        accord_serve(postgres_url, tmp_path) as (_, first),
        accord_serve(postgres_url, tmp_path) as (_, second),
    ):
        assert first != second
        last = len(
            httpx.get(
                f"{second}/api/v1/rooms/{room}/record", headers={"Authorization": f"Bearer {envoy}"}
            ).json()
        )
        assert last > 0
        with event_stream(second, room, envoy) as reader:
            for _ in range(last):
                reader.next()
            delays = []
            for number in range(5):
                started = time.monotonic()
                response = httpx.post(
                    f"{first}/api/v1/rooms/{room}/messages",
                    json={"text": f"across {number}", "disclosure": "attributed"},
                    headers={"Authorization": f"Bearer {north}"},
                )
                assert response.status_code == 201
                event = reader.next()
                delays.append(time.monotonic() - started)
                assert event.id == str(response.json()["seq"])
    assert max(delays) < 1.0, delays
