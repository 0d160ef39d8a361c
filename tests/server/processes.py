"""``accord serve`` in a subprocess, and rooms made for it in a store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from accord.room.service import CreatedRoom, RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import open_store

PROGRAM = "import sys; from accord.cli import main; sys.exit(main())"


def create_rooms(url: str, count: int) -> list[CreatedRoom]:
    """``count`` one-text rooms of ``ROOM_SCENARIO`` held by people (``envoy``, ``north``, ``south``)."""
    with open_store(url) as store:
        service = RoomService(store, background=False)
        rooms = [service.create_room(ROOM_SCENARIO, "one-text") for _ in range(count)]
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
