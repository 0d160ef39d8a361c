"""Live updates: wake the event streams of a room when its record grows.

News comes from the store's listener for new records (within a process, and
across processes on PostgreSQL through ``LISTEN/NOTIFY``), on whatever thread
the listener runs; :meth:`Broadcaster.publish_rooms` hands it to the event
loop. A stream takes its room's waiter *before* it reads the record, so a
record committed while it reads still wakes it: nothing is lost between the
read and the wait.

:func:`seat_events` is the body of ``GET /api/v1/rooms/{room}/stream``: the
seat's view items after a ``seq``, each as one Server-Sent Event whose ``id`` is
its ``seq``; the blocking reads run in the threadpool, the waiting is async. A
stream ends when its member's link stops working (revoked or replaced).

>>> import asyncio
>>> async def demo():
...     broadcaster = Broadcaster()
...     waiter = broadcaster.waiter("r1")
...     broadcaster.publish("r2")
...     before = waiter.is_set()
...     broadcaster.publish("r1")
...     return before, waiter.is_set()
>>> asyncio.run(demo())
(False, True)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

import anyio
from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool

from accord.room import SeatAccess
from accord.room.service import RoomService

__all__ = ["Broadcaster", "seat_events"]


class Broadcaster:
    """One asyncio event per room with a waiting stream; publishing sets and forgets it."""

    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop that :meth:`publish_rooms` hands news to."""
        self._loop = loop

    def waiter(self, room: str) -> asyncio.Event:
        """An event set by the next :meth:`publish` of ``room`` (shared by the room's streams)."""
        event = self._waiters.get(room)
        if event is None:
            event = self._waiters[room] = asyncio.Event()
        return event

    def publish(self, room: str) -> None:
        """Wake every stream of ``room`` (call on the event loop)."""
        event = self._waiters.pop(room, None)
        if event is not None:
            event.set()

    def publish_rooms(self, rooms: Iterable[str]) -> None:
        """:meth:`publish` each room, from any thread (the store's fan-out); a no-op before :meth:`bind`."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            for room in set(rooms):
                loop.call_soon_threadsafe(self.publish, room)


def _event(item: dict[str, Any]) -> ServerSentEvent:
    data = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
    return ServerSentEvent(data=data, id=str(item["seq"]), event=str(item.get("kind", "item")))


def _news(service: RoomService, token: str, access: SeatAccess, after: int) -> list[dict[str, Any]] | None:
    """The seat's items after ``after``, or ``None`` once the token no longer opens this member's seat."""
    current = service.authenticate(token)
    if current is None or (current.room, current.member) != (access.room, access.member):
        return None
    return service.items(access, after_seq=after)


async def seat_events(
    service: RoomService,
    access: SeatAccess,
    token: str,
    after: int,
    broadcaster: Broadcaster,
    *,
    poll_seconds: float,
) -> AsyncIterator[ServerSentEvent]:
    """The seat's view items after ``after``, then each new one as the record grows.

    Ends when the member's link is revoked or replaced (checked at every wake-up).
    """
    last = after
    while True:
        wake = broadcaster.waiter(access.room)
        items = await run_in_threadpool(_news, service, token, access, last)
        if items is None:
            return
        for item in items:
            last = int(item["seq"])
            yield _event(item)
        with anyio.move_on_after(poll_seconds):
            await wake.wait()
