"""``accord serve`` as a user runs it: one line with the address, every room served, a clean stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import open_store
from server.live import event_stream

PROGRAM = "import sys; from accord.cli import main; sys.exit(main())"


def create_rooms(url: str, count: int) -> list[tuple[str, str]]:
    """``count`` rooms; each one's id and north's token."""
    with open_store(url) as store:
        service = RoomService(store, background=False)
        rooms = []
        for _ in range(count):
            created = service.create_room(ROOM_SCENARIO, "one-text")
            rooms.append((created.room, created.seats["north"].token or ""))
        service.close()
    return rooms


@contextmanager
def accord_serve(url: str, folder: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    with subprocess.Popen(
        [sys.executable, "-c", PROGRAM, "serve", "--db", url, "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    ) as process:
        yield from _served(process)


def _served(process: subprocess.Popen[str]) -> Iterator[tuple[subprocess.Popen[str], str]]:
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, (
            f"no address in {line!r}; stderr: {process.stderr.read() if process.poll() is not None else ''}"
        )
        yield process, match.group(0)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_prints_its_address_serves_every_room_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    url = f"sqlite:///{tmp_path / 'rooms.db'}"
    rooms = create_rooms(url, 2)
    with accord_serve(url, tmp_path) as (process, base):
        with httpx.Client(base_url=base) as client:
            for room, token in rooms:
                view = client.get(f"/api/v1/rooms/{room}/view", headers={"Authorization": f"Bearer {token}"})
                assert view.status_code == 200 and view.json()["room"] == room
        ended = threading.Event()
        room, token = rooms[0]

        def follow() -> None:
            with event_stream(base, room, token, timeout=30) as reader:
                reader.next()
                try:
                    while True:
                        reader.next()
                except (EOFError, httpx.HTTPError):
                    ended.set()

        follower = threading.Thread(target=follow, daemon=True)
        follower.start()
        time.sleep(0.5)
        started = time.monotonic()
        process.send_signal(stop)
        assert process.wait(15) == 0
        assert time.monotonic() - started < 10
        assert ended.wait(5), "the open event stream did not end"
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read() == ""
        assert "Traceback" not in process.stderr.read()


def test_serve_refuses_a_port_in_use_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [
                sys.executable,
                "-c",
                PROGRAM,
                "serve",
                "--db",
                f"sqlite:///{tmp_path / 'r.db'}",
                "--port",
                str(port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert completed.returncode == 2
    assert completed.stderr.startswith("accord: error: --host/--port: 127.0.0.1:")
    assert len(completed.stderr.strip().splitlines()) == 1
