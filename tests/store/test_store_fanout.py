"""Live updates: what one process (or thread) commits reaches the others' listeners within a second."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import accord
from accord.store import NewRecord, Notification, Store, open_store

CHILD = """
import sys, time
from accord.store import NewRecord, open_store
with open_store(sys.argv[1]) as store:
    store.append("from-child", [NewRecord("room-created", {"pid": 1})], expected_seq=0)
    print(time.time(), flush=True)
"""


def test_a_listener_receives_notifications_in_commit_order(store: Store) -> None:
    store.append("earlier", [NewRecord("room-created", {})], expected_seq=0)
    with store.listen() as listener:
        assert listener.next(0.01) == ()
        store.append("geneva", [NewRecord("room-created", {}), NewRecord("message", {})], expected_seq=0)
        store.append("vienna", [NewRecord("room-created", {})], expected_seq=0)
        received: list[Notification] = []
        deadline = time.monotonic() + 5
        while len(received) < 3 and time.monotonic() < deadline:
            received.extend(listener.next(1.0))
    assert [(n.room, n.seq) for n in received] == [("geneva", 1), ("geneva", 2), ("vienna", 1)]
    assert [n.id for n in received] == sorted(n.id for n in received)
    assert received == list(store.notifications(received[0].id - 1))


def test_a_listener_from_an_earlier_notification_gets_the_backlog_then_live_ones(store: Store) -> None:
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    start = store.last_notification()
    store.append("geneva", [NewRecord("message", {"n": 1})], expected_seq=1)
    with store.listen(after=start) as listener:
        store.append("geneva", [NewRecord("message", {"n": 2})], expected_seq=2)
        seen: list[int] = []
        deadline = time.monotonic() + 5
        while len(seen) < 2 and time.monotonic() < deadline:
            seen.extend(n.seq for n in listener.next(1.0))
    assert seen == [2, 3]


def test_wait_for_records_returns_at_once_or_when_one_arrives(store: Store) -> None:
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    assert [n.seq for n in store.wait_for_records("geneva", 0, timeout=5)] == [1]
    last = store.last_notification()
    began = time.monotonic()
    assert store.wait_for_records("geneva", last, timeout=0.3) == ()
    assert 0.25 <= time.monotonic() - began < 2
    timer = threading.Timer(
        0.2, lambda: store.append("vienna", [NewRecord("room-created", {})], expected_seq=0)
    )
    timer2 = threading.Timer(0.4, lambda: store.append("geneva", [NewRecord("message", {})], expected_seq=1))
    timer.start()
    timer2.start()
    try:
        arrived = store.wait_for_records("geneva", last, timeout=5)
    finally:
        timer.join()
        timer2.join()
    assert [(n.room, n.seq) for n in arrived] == [("geneva", 2)]


def test_subscribers_are_called_with_each_batch_and_can_stop(store: Store) -> None:
    batches: list[tuple[Notification, ...]] = []
    arrived = threading.Event()

    def receive(batch: tuple[Notification, ...]) -> None:
        batches.append(batch)
        arrived.set()

    def failing(batch: tuple[Notification, ...]) -> None:
        raise RuntimeError("a broken subscriber does not stop the others")

    broken = store.subscribe(failing)
    subscription = store.subscribe(receive)
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    assert arrived.wait(5)
    subscription.close()
    broken.close()
    store.append("geneva", [NewRecord("message", {})], expected_seq=1)
    time.sleep(0.3)
    assert [(n.room, n.seq) for batch in batches for n in batch] == [("geneva", 1)]


def test_another_process_s_record_reaches_this_one_within_a_second(store_url: str) -> None:
    with open_store(store_url) as store, store.listen() as listener:
        environment = dict(os.environ, PYTHONPATH=str(Path(accord.__file__).parents[1]))
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, store_url], stdout=subprocess.PIPE, text=True, env=environment
        )
        try:
            received_at = None
            deadline = time.monotonic() + 30
            while received_at is None and time.monotonic() < deadline:
                if any(n.room == "from-child" for n in listener.next(0.5)):
                    received_at = time.time()
            output, _ = child.communicate(timeout=30)
        finally:
            child.kill()
            child.wait()
    assert child.returncode == 0
    committed_at = float(output.split()[0])
    assert received_at is not None
    assert received_at - committed_at < 1.0


def test_an_asyncio_loop_follows_the_store_without_blocking(store: Store) -> None:
    import asyncio

    async def follow() -> list[tuple[str, int]]:
        loop = asyncio.get_running_loop()
        arrived: asyncio.Queue[Notification] = asyncio.Queue()

        def deliver(batch: tuple[Notification, ...]) -> None:
            for notification in batch:
                arrived.put_nowait(notification)

        subscription = store.subscribe(lambda batch: loop.call_soon_threadsafe(deliver, batch))
        try:
            await asyncio.to_thread(store.append, "geneva", [NewRecord("room-created", {})], expected_seq=0)
            await asyncio.to_thread(store.append, "geneva", [NewRecord("message", {})], expected_seq=1)
            first = await asyncio.wait_for(arrived.get(), 5)
            second = await asyncio.wait_for(arrived.get(), 5)
        finally:
            subscription.close()
        return [(first.room, first.seq), (second.room, second.seq)]

    assert asyncio.run(follow()) == [("geneva", 1), ("geneva", 2)]


def test_postgresql_fanout_survives_losing_its_listen_connection(postgres_url: str) -> None:
    import psycopg

    with open_store(postgres_url) as store, open_store(postgres_url) as other, store.listen() as listener:
        listener.next(0.05)  # the fan-out thread is up
        fanout = store._fanout
        assert fanout is not None
        deadline = time.monotonic() + 5
        while fanout._doorbell._connection is None and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.05)
        pid = fanout._doorbell._connection.info.backend_pid  # type: ignore[attr-defined]
        base = postgres_url.split("?")[0].replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(base, autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
        other.append("after-the-drop", [NewRecord("room-created", {})], expected_seq=0)
        received: list[Notification] = []
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            received.extend(listener.next(0.5))
    assert [(n.room, n.seq) for n in received] == [("after-the-drop", 1)]


def test_two_stores_on_one_sqlite_file_see_each_other(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/accord.db"
    with open_store(url) as first, open_store(url) as second, first.listen() as listener:
        began = time.monotonic()
        second.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
        received: list[Notification] = []
        while not received and time.monotonic() - began < 5:
            received.extend(listener.next(0.5))
        assert time.monotonic() - began < 1.0
    assert [(n.room, n.seq) for n in received] == [("geneva", 1)]
