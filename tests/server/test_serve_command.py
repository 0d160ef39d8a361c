"""``accord serve`` as a user runs it: a line with the address, one with the organiser's link, every room
served, a clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from server.live import event_stream
from server.processes import PROGRAM, accord_serve, create_rooms


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_prints_its_address_serves_every_room_and_stops_cleanly(
    tmp_path: Path, stop: signal.Signals
) -> None:
    url = f"sqlite:///{tmp_path / 'rooms.db'}"
    rooms = create_rooms(url, 2)
    with accord_serve(url, tmp_path) as (process, base):
        assert process.stdout is not None
        organiser = process.stdout.readline().strip()
        assert organiser.startswith(f"The organiser's page: {base}/organise/")
        with httpx.Client(base_url=base) as client:
            link = organiser.split(": ", 1)[1]
            assert client.get(link).status_code == 303 and client.get("/organise").status_code == 200
            assert client.get(link + "-not").status_code == 401
            for created in rooms:
                token = created.seats["north"].token or ""
                view = client.get(
                    f"/api/v1/rooms/{created.room}/view", headers={"Authorization": f"Bearer {token}"}
                )
                assert view.status_code == 200 and view.json()["room"] == created.room
        ended = threading.Event()
        room, token = rooms[0].room, rooms[0].seats["north"].token or ""

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
    assert completed.stderr.startswith("accord: error: --port: cannot listen on 127.0.0.1:")
    assert len(completed.stderr.strip().splitlines()) == 1
