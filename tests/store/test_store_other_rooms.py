"""An append may rest on other rooms' states (a process's tracks): refused, writing nothing, when one
of them moved on after it was read; on SQLite and PostgreSQL, from threads and from two stores."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from accord.store import NewRecord, SequenceConflict, Store, StoreError, open_store

RECORD = NewRecord("note", {"text": "x"}, "")


def test_an_append_resting_on_a_room_that_moved_on_is_refused_and_writes_nothing(store: Store) -> None:
    store.append("astana", [RECORD], expected_seq=0)
    store.append("geneva", [RECORD], expected_seq=0, others_at={"astana": 1})  # as read: accepted
    store.append("astana", [RECORD], expected_seq=1)  # Astana moves on
    with pytest.raises(SequenceConflict) as conflict:
        store.append("geneva", [RECORD], expected_seq=1, others_at={"astana": 1})
    assert (conflict.value.room, conflict.value.expected_seq, conflict.value.actual_seq) == ("astana", 1, 2)
    assert store.last_seq("geneva") == 1 and store.last_seq("astana") == 2  # nothing written
    store.append("geneva", [RECORD], expected_seq=1, others_at={"astana": 2})
    assert store.last_seq("geneva") == 2


def test_a_room_not_created_yet_is_at_zero(store: Store) -> None:
    store.append("geneva", [RECORD], expected_seq=0, others_at={"astana": 0})
    store.append("astana", [RECORD], expected_seq=0)
    with pytest.raises(SequenceConflict):
        store.append("geneva", [RECORD], expected_seq=1, others_at={"astana": 0})


@pytest.mark.parametrize("others", [{"geneva": 0}, {"astana": -1}, {"astana": True}, {"": 0}])
def test_a_malformed_guard_is_refused_naming_the_room(store: Store, others: dict[str, int]) -> None:
    with pytest.raises(StoreError) as refused:
        store.append("geneva", [RECORD], expected_seq=0, others_at=others)
    assert "geneva" in str(refused.value) or "room ''" in str(refused.value)
    assert store.last_seq("geneva") == 0


def test_two_rooms_each_resting_on_the_other_cannot_both_be_written(store_url: str) -> None:
    """Write skew: each of two writers (two stores, as two server processes) reads both rooms, then
    appends to its own room resting on the other's last record. However they interleave, at most one
    of each pair gets through."""
    with open_store(store_url) as first, open_store(store_url) as second:
        first.append("geneva", [RECORD], expected_seq=0)
        first.append("astana", [RECORD], expected_seq=0)
        for round_number in range(1, 21):
            seen_geneva, seen_astana = first.last_seq("geneva"), first.last_seq("astana")

            def write(store: Store, room: str, other: str, seen: int, at: int) -> bool:
                try:
                    store.append(room, [RECORD], expected_seq=seen, others_at={other: at})
                except SequenceConflict:
                    return False
                return True

            with ThreadPoolExecutor(2) as pool:
                geneva = pool.submit(write, first, "geneva", "astana", seen_geneva, seen_astana)
                astana = pool.submit(write, second, "astana", "geneva", seen_astana, seen_geneva)
                outcomes = (geneva.result(), astana.result())
            assert outcomes.count(True) == 1, f"round {round_number}: {outcomes}"
