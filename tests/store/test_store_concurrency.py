"""Many writers at once: optimistic concurrency loses nothing, and a retried request is applied once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from accord.store import DuplicateRequest, NewRecord, SequenceConflict, Store, verify_room

THREADS = 8
APPENDS_PER_THREAD = 15


def append_with_retries(store: Store, room: str, record: NewRecord) -> int:
    """Append as the room's rules would: read the last seq, decide, append; on a conflict, again."""
    conflicts = 0
    while True:
        seq = store.last_seq(room)
        try:
            store.append(room, [record], expected_seq=seq)
        except SequenceConflict as conflict:
            assert conflict.actual_seq > seq
            conflicts += 1
        else:
            return conflicts


def test_concurrent_appends_to_one_room_lose_nothing(store: Store) -> None:
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    start = threading.Barrier(THREADS)

    def writer(thread: int) -> int:
        start.wait()
        return sum(
            append_with_retries(
                store, "geneva", NewRecord("message", {"thread": thread, "n": n}, seat=f"s{thread}")
            )
            for n in range(APPENDS_PER_THREAD)
        )

    with ThreadPoolExecutor(THREADS) as pool:
        conflicts = sum(pool.map(writer, range(THREADS)))
    records = store.read("geneva")
    assert [record.seq for record in records] == list(range(1, THREADS * APPENDS_PER_THREAD + 2))
    written = Counter((record.data["thread"], record.data["n"]) for record in records[1:])
    assert written == Counter((thread, n) for thread in range(THREADS) for n in range(APPENDS_PER_THREAD))
    for thread in range(THREADS):  # each writer's records in the order it wrote them
        assert [record.data["n"] for record in records[1:] if record.data["thread"] == thread] == list(
            range(APPENDS_PER_THREAD)
        )
    assert verify_room(store, "geneva").ok
    assert conflicts >= 0


def test_a_retried_request_is_applied_once_and_answered_as_the_first_time(store: Store) -> None:
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    record = NewRecord("action", {"kind": "offer", "outcome": [0, 1]}, seat="usa")
    store.append("geneva", [record], expected_seq=1, idempotency_key="req-1", response={"seq": 2})
    with pytest.raises(DuplicateRequest) as duplicate:
        store.append("geneva", [record], expected_seq=2, idempotency_key="req-1", response={"seq": 3})
    assert duplicate.value.response == {"seq": 2}
    with pytest.raises(DuplicateRequest):  # the key wins over a stale expected_seq
        store.append("geneva", [record], expected_seq=1, idempotency_key="req-1", response={"seq": 2})
    assert store.last_seq("geneva") == 2
    previous = store.previous_request("geneva", "req-1")
    assert previous is not None
    assert (previous.response, previous.first_seq, previous.last_seq) == ({"seq": 2}, 2, 2)
    assert previous.created_at == store.read("geneva")[1].created_at
    assert store.previous_request("geneva", "req-2") is None
    assert store.previous_request("vienna", "req-1") is None


def test_idempotency_keys_are_scoped_per_room(store: Store) -> None:
    for room in ("geneva", "vienna"):
        stored = store.append(
            room,
            [NewRecord("room-created", {})],
            expected_seq=0,
            idempotency_key="same",
            response={"room": room},
        )
        assert stored[0].room == room
    with pytest.raises(DuplicateRequest) as duplicate:
        store.append("vienna", [NewRecord("room-created", {})], expected_seq=1, idempotency_key="same")
    assert duplicate.value.response == {"room": "vienna"}


def test_a_conflicting_request_leaves_its_key_unused(store: Store) -> None:
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    with pytest.raises(SequenceConflict):
        store.append(
            "geneva", [NewRecord("message", {})], expected_seq=0, idempotency_key="k", response={"a": 1}
        )
    stored = store.append(
        "geneva", [NewRecord("message", {})], expected_seq=1, idempotency_key="k", response=None
    )
    assert stored[0].seq == 2
    with pytest.raises(DuplicateRequest) as duplicate:
        store.append("geneva", [NewRecord("message", {})], expected_seq=2, idempotency_key="k")
    assert duplicate.value.response is None


def test_the_same_request_from_many_threads_is_applied_once(store: Store) -> None:
    store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    start = threading.Barrier(THREADS)

    def client(thread: int) -> str:
        start.wait()
        while True:
            seq = store.last_seq("geneva")
            try:
                store.append(
                    "geneva",
                    [NewRecord("message", {"thread": thread}, seat="usa")],
                    expected_seq=seq,
                    idempotency_key="retried",
                    response={"seq": seq + 1, "thread": thread},
                )
            except SequenceConflict:
                continue
            except DuplicateRequest as duplicate:
                assert duplicate.response is not None
                return f"duplicate of {duplicate.response['thread']}"
            return f"applied by {thread}"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(client, range(THREADS)))
    applied = [outcome for outcome in outcomes if outcome.startswith("applied")]
    assert len(applied) == 1
    winner = applied[0].removeprefix("applied by ")
    assert outcomes.count(f"duplicate of {winner}") == THREADS - 1
    records = store.read("geneva")
    assert len(records) == 2 and str(records[1].data["thread"]) == winner
