"""Appending and reading: numbering, the chain as written, read-only data, conflicts, reopening."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.store import (
    GENESIS_HASH,
    NewRecord,
    SequenceConflict,
    Store,
    StoreError,
    open_store,
    record_hash,
    verify_room,
)
from accord.store.canonical import canonical_json, record_hash_of_json

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def created(room: str = "geneva") -> list[NewRecord]:
    return [NewRecord("room-created", {"protocol": "one-text-v1", "seats": ["usa", "iran"]})]


def message(text: str, seat: str = "usa") -> NewRecord:
    return NewRecord("message", {"text": text, "disclosure": "attributed"}, seat=seat)


def test_append_numbers_records_and_chains_them(store: Store) -> None:
    first = store.append("geneva", created(), expected_seq=0)
    more = store.append("geneva", [message("a"), message("b", seat="iran")], expected_seq=1)
    records = first + more
    assert [record.seq for record in records] == [1, 2, 3]
    assert records[0].previous_hash == GENESIS_HASH
    for previous, record in itertools.pairwise(records):
        assert record.previous_hash == previous.hash
    for record in records:
        assert ISO_UTC.fullmatch(record.created_at)
        assert record.hash == record_hash(
            record.previous_hash,
            "geneva",
            record.seq,
            record.kind,
            record.seat,
            record.data,
            record.created_at,
        )
    assert [record.created_at for record in records] == sorted(record.created_at for record in records)
    assert store.read("geneva") == records
    assert store.last_seq("geneva") == 3
    assert more[1].seat == "iran" and more[1].data["text"] == "b"


def test_read_after_and_limit(store: Store) -> None:
    store.append("geneva", created(), expected_seq=0)
    store.append("geneva", [message(str(index)) for index in range(5)], expected_seq=1)
    assert [record.seq for record in store.read("geneva", after=2)] == [3, 4, 5, 6]
    assert [record.seq for record in store.read("geneva", after=2, limit=2)] == [3, 4]
    assert store.read("geneva", after=6) == ()
    assert store.read("nowhere") == () and store.last_seq("nowhere") == 0


def test_rooms_are_listed_in_the_order_they_were_created(store: Store) -> None:
    assert store.rooms() == ()
    for room in ("zurich", "geneva", "vienna"):
        store.append(room, created(room), expected_seq=0)
    store.append("zurich", [message("later")], expected_seq=1)
    assert store.rooms() == ("zurich", "geneva", "vienna")


def test_rooms_are_numbered_apart(store: Store) -> None:
    store.append("geneva", created(), expected_seq=0)
    store.append("vienna", created("vienna"), expected_seq=0)
    store.append("geneva", [message("x")], expected_seq=1)
    assert store.last_seq("geneva") == 2 and store.last_seq("vienna") == 1
    assert store.read("vienna")[0].previous_hash == GENESIS_HASH


def test_data_read_back_is_read_only_all_the_way_down(store: Store) -> None:
    store.append("geneva", [NewRecord("offer", {"outcome": [1, 2], "note": {"by": "usa"}})], expected_seq=0)
    (record,) = store.read("geneva")
    assert isinstance(record.data, MappingProxyType)
    assert record.data["outcome"] == (1, 2)
    with pytest.raises(TypeError):
        record.data["note"]["by"] = "iran"  # type: ignore[index]
    assert record.to_dict()["data"] == {"outcome": [1, 2], "note": {"by": "usa"}}


def test_text_and_numbers_come_back_exactly(store: Store) -> None:
    data = {
        "text": 'Genève — 日本 "quoted" \\ \n',
        "weight": 0.1,
        "big": 2**62,
        "negative": -0.0,
        "flag": False,
    }
    store.append("geneva", [NewRecord("message", data, seat="usa")], expected_seq=0)
    (record,) = store.read("geneva")
    assert dict(record.data) == data
    assert isinstance(record.data["big"], int) and isinstance(record.data["weight"], float)


def test_a_stale_expected_seq_is_a_conflict_and_writes_nothing(store: Store) -> None:
    store.append("geneva", created(), expected_seq=0)
    store.append("geneva", [message("first")], expected_seq=1)
    for stale in (0, 1, 3):
        with pytest.raises(SequenceConflict) as conflict:
            store.append("geneva", [message("second")], expected_seq=stale)
        assert (conflict.value.room, conflict.value.expected_seq, conflict.value.actual_seq) == (
            "geneva",
            stale,
            2,
        )
    assert [record.data["text"] for record in store.read("geneva", after=1)] == ["first"]


def test_records_that_are_not_json_are_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(ValueError, match=r"value\.weight: nan"):
        store.append("geneva", [NewRecord("offer", {"weight": float("nan")})], expected_seq=0)
    with pytest.raises(TypeError, match="set is not JSON"):
        store.append("geneva", [created()[0], NewRecord("offer", {"outcome": {1, 2}})], expected_seq=0)
    assert store.last_seq("geneva") == 0


@pytest.mark.parametrize(
    ("room", "key", "expected_seq"),
    [
        ("", None, 0),
        ("r" * 201, None, 0),
        ("geneva", "k" * 201, 0),
        ("geneva", None, -1),
        ("geneva", None, True),
    ],
)
def test_bad_arguments_are_refused_in_one_line(
    store: Store, room: str, key: str | None, expected_seq: int
) -> None:
    with pytest.raises(StoreError) as error:
        store.append(room, created(), expected_seq=expected_seq, idempotency_key=key)
    assert "\n" not in str(error.value)


def test_record_kinds_are_kebab_case() -> None:
    assert NewRecord("seat-handed", {}).kind == "seat-handed"
    for kind in ("SeatHanded", "seat_handed", "", "-seat", "seat--handed"):
        with pytest.raises(ValueError, match="kebab-case"):
            NewRecord(kind, {})


def test_reopening_keeps_everything(store_url: str) -> None:
    with open_store(store_url) as first:
        written = first.append("geneva", created(), expected_seq=0)
        written += first.append(
            "geneva", [message("kept")], expected_seq=1, idempotency_key="k", response={"seq": 2}
        )
    with open_store(store_url) as second:
        assert second.read("geneva") == written
        assert verify_room(second, "geneva").ok
        assert second.append("geneva", [message("next")], expected_seq=2)[0].seq == 3


def test_a_closed_store_says_so(store_url: str) -> None:
    store = open_store(store_url)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.read("geneva")


_TEXT = st.text(max_size=12)  # any Unicode text (surrogates aside): escapes, quotes, non-ASCII
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=12,
)


@given(
    previous=st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    room=_TEXT,
    seq=st.integers(min_value=1, max_value=2**62),
    kind=_TEXT,
    seat=_TEXT,
    data=st.dictionaries(_TEXT, _JSON, max_size=4),
    created_at=_TEXT,
)
def test_the_writers_hash_of_canonical_json_is_the_hash_of_the_record(
    previous: str, room: str, seq: int, kind: str, seat: str, data: dict[str, object], created_at: str
) -> None:
    """The writer hashes the data's canonical JSON as it has it; the bytes must be those of the whole record's
    canonical JSON, which is what ``verify`` recomputes (a reference built here from ``json.dumps``)."""
    body = {
        "created_at": created_at,
        "data": data,
        "kind": kind,
        "previous_hash": previous,
        "room": room,
        "seat": seat,
        "seq": seq,
    }
    reference = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    ).hexdigest()
    data_json = canonical_json(data)
    assert record_hash_of_json(previous, room, seq, kind, seat, data_json, created_at) == reference
    assert record_hash(previous, room, seq, kind, seat, data, created_at) == reference
