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
    """One asyncio event per room with a waiting stream; publishing sets and forgets it.

    It also remembers the newest record it was told of in each room (:meth:`latest`), so that
    a woken stream can tell whether the room's state in memory already holds it.
    """

    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Event] = {}
        self._latest: dict[str, int] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connected: dict[tuple[str, str], int] = {}

    def connected(self, room: str) -> dict[str, int]:
        """How many event streams each seat of ``room`` holds open now (in this process)."""
        return {seat: count for (where, seat), count in self._connected.items() if where == room and count}

    def count_stream(self, room: str, seat: str, change: int) -> None:
        """One more (``+1``) or one fewer (``-1``) open stream of ``seat`` in ``room``."""
        self._connected[room, seat] = self._connected.get((room, seat), 0) + change

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop that :meth:`publish_rooms` hands news to."""
        self._loop = loop

    def waiter(self, room: str) -> asyncio.Event:
        """An event set by the next :meth:`publish` of ``room`` (shared by the room's streams)."""
        event = self._waiters.get(room)
        if event is None:
            event = self._waiters[room] = asyncio.Event()
        return event

    def latest(self, room: str) -> int | None:
        """The newest record of ``room`` published so far (``None``: none yet)."""
        return self._latest.get(room)

    def publish(self, room: str, seq: int | None = None) -> None:
        """Wake every stream of ``room``, record ``seq`` committed (call on the event loop); news of a
        record no newer than one published already wakes nobody (the streams were woken for it)."""
        if seq is not None:
            if seq <= self._latest.get(room, 0):
                return
            self._latest[room] = seq
        event = self._waiters.pop(room, None)
        if event is not None:
            event.set()

    def publish_rooms(self, records: Iterable[tuple[str, int]]) -> None:
        """:meth:`publish` each ``(room, seq)`` (newest per room), from any thread (the store's fan-out).

        A no-op before :meth:`bind`.
        """
        loop = self._loop
        if loop is not None and not loop.is_closed():
            newest: dict[str, int] = {}
            for room, seq in records:
                newest[room] = max(seq, newest.get(room, 0))
            for room, seq in newest.items():
                loop.call_soon_threadsafe(self.publish, room, seq)


def _encoded(items: list[dict[str, Any]]) -> bytes:
    """The items as Server-Sent Events (``id`` = ``seq``, ``event`` = ``kind``), in one chunk."""
    return b"".join(
        ServerSentEvent(
            data=json.dumps(item, ensure_ascii=False, separators=(",", ":")),
            id=str(item["seq"]),
            event=str(item.get("kind", "item")),
        ).encode()
        for item in items
    )


async def seat_events(
    service: RoomService,
    access: SeatAccess,
    token: str,
    after: int,
    broadcaster: Broadcaster,
    *,
    poll_seconds: float,
) -> AsyncIterator[bytes]:
    """The seat's view items after ``after``, then each new one as the record grows (the items that
    one wake-up brings go out as one chunk).

    Ends when the member's link is revoked or replaced (checked at every wake-up). The first
    read, and each after ``poll_seconds`` without news, reads the store (in the threadpool); a
    wake-up by news of record ``seq`` is served from the room's state in memory, on the event
    loop, when that state holds ``seq`` already (a commit by this process), and otherwise by
    one store read that the room's streams share (:meth:`RoomService.news`). While it is open, the
    seat counts as connected (:meth:`Broadcaster.connected`, for the mediator's console).
    """
    broadcaster.count_stream(access.room, access.seat, +1)
    try:
        read = after  # the last record read (the items after ``after`` were sent, up to it)
        needed: int | None = None  # the newest record we were told of; None: read the store
        while True:
            wake = broadcaster.waiter(access.room)
            if needed is not None and service.holds(access.room, needed):
                news = service.news(access, token, after_seq=read, at_least=needed)
            else:
                news = await run_in_threadpool(service.news, access, token, after_seq=read, at_least=needed)
            if news is None:
                return
            items, read = news
            if items:
                yield _encoded(items)
            needed = None
            with anyio.move_on_after(poll_seconds):
                await wake.wait()
                needed = broadcaster.latest(access.room)
    finally:
        broadcaster.count_stream(access.room, access.seat, -1)
