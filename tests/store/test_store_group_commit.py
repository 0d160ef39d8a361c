"""Group commit: appends that waited are written in one transaction, each judged on its own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from accord.store import DuplicateRequest, NewRecord, SequenceConflict, Store, verify_room
from accord.store.canonical import canonical_json
from accord.store.writer import AppendRequest


def request(room: str, expected_seq: int, key: str | None = None, text: str = "x") -> AppendRequest:
    records = [NewRecord("message", {"text": text})]
    return AppendRequest(
        room,
        records,
        [canonical_json(r.data).decode() for r in records],
        expected_seq,
        key,
        canonical_json({}).decode() if key else None,
    )


def test_one_transaction_judges_each_request_in_arrival_order(store: Store) -> None:
    store.append("taken", [NewRecord("room-created", {})], expected_seq=0, idempotency_key="used")
    batch = [
        request("geneva", 0, key="k1", text="first"),
        request("vienna", 5, text="stale"),  # conflict: vienna has no records
        request("geneva", 1, text="second"),  # sees the first, written just before in the same transaction
        request("geneva", 1, text="late"),  # conflict: geneva is at 2 by now
        request("geneva", 2, key="k1", text="retry"),  # duplicate of the first, in the same transaction
        request("taken", 1, key="used"),  # duplicate of a committed request
    ]
    with store._write_lock:
        store._writer._commit(batch)
    assert all(item.done for item in batch)
    assert [item.result[0].seq if item.result else None for item in batch] == [1, None, 2, None, None, None]
    assert isinstance(batch[1].error, SequenceConflict) and batch[1].error.actual_seq == 0
    assert isinstance(batch[3].error, SequenceConflict) and batch[3].error.actual_seq == 2
    assert isinstance(batch[4].error, DuplicateRequest) and batch[4].error.response == {}
    assert isinstance(batch[5].error, DuplicateRequest)
    assert [record.data["text"] for record in store.read("geneva")] == ["first", "second"]
    assert store.read("vienna") == () and verify_room(store, "geneva").ok


def test_many_writers_to_many_rooms_share_commits_and_lose_nothing(store: Store) -> None:
    rooms = [f"room-{n}" for n in range(16)]
    start = threading.Barrier(len(rooms))

    def writer(room: str) -> None:
        start.wait()
        for seq in range(10):
            store.append(room, [NewRecord("message", {"n": seq})], expected_seq=seq)

    with ThreadPoolExecutor(len(rooms)) as pool:
        list(pool.map(writer, rooms))
    for room in rooms:
        assert [record.data["n"] for record in store.read(room)] == list(range(10))
        assert verify_room(store, room).ok
    notifications = store.notifications()
    assert len(notifications) == 160 and [n.id for n in notifications] == sorted(
        {n.id for n in notifications}
    )


def test_a_failed_commit_fails_every_request_in_it(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlalchemy.exc

    def broken(*_: object, **__: object) -> None:
        raise sqlalchemy.exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr("accord.store.writer._write", broken)
    batch = [request("geneva", 0), request("vienna", 0)]
    with store._write_lock:
        store._writer._commit(batch)
    assert all(item.done and item.result is None for item in batch)
    assert all("disk I/O error" in str(item.error) and store.url in str(item.error) for item in batch)
