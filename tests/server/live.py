"""A real uvicorn on a free localhost port, in a thread, and a small Server-Sent Events reader.

``httpx.ASGITransport`` collects a whole response before it returns, so the
event stream is tested against a real server.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 at a free port; yields the base URL; stops the server after."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[listener])), daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        assert thread.is_alive(), "the server stopped while starting"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()


@dataclass
class StreamEvent:
    id: str | None
    event: str
    data: str


@dataclass
class EventReader:
    """Parses ``text/event-stream`` lines into events; comments (heartbeats) are counted apart."""

    lines: Iterator[str]
    comments: list[str] = field(default_factory=list)

    def next(self) -> StreamEvent:
        identifier: str | None = None
        kind, data = "message", []
        for line in self.lines:
            if line == "":
                if data or identifier is not None:
                    return StreamEvent(identifier, kind, "\n".join(data))
                continue
            if line.startswith(":"):
                self.comments.append(line)
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "id":
                identifier = value
            elif name == "event":
                kind = value
            elif name == "data":
                data.append(value)
        raise EOFError("the stream ended")


@contextmanager
def event_stream(
    base_url: str, room: str, token: str, *, last_event_id: int | None = None, timeout: float = 5.0
) -> Iterator[EventReader]:
    """An open event stream of a seat (``Last-Event-ID`` when given)."""
    headers = {"Authorization": f"Bearer {token}"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    with (
        httpx.Client(base_url=base_url, timeout=timeout) as client,
        client.stream("GET", f"/api/v1/rooms/{room}/stream", headers=headers) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventReader(response.iter_lines())
