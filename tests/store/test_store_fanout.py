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
