"""Tampering with the stored rows by hand (raw SQL) is found, and the first broken record is named."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from accord.store import ChainReport, NewRecord, Store, open_store, record_hash, verify_chain, verify_room

ROOM = "geneva"


def filled(store: Store, count: int = 6) -> None:
    store.append(ROOM, [NewRecord("room-created", {"seats": ["usa", "iran"]})], expected_seq=0)
    for n in range(2, count + 1):
        store.append(ROOM, [NewRecord("message", {"text": f"m{n}"}, seat="usa")], expected_seq=n - 1)
    store.append("vienna", [NewRecord("room-created", {})], expected_seq=0)


def tamper(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    engine.dispose()


def report_after(store_url: str, *statements: str, fill: bool = True) -> ChainReport:
    if fill:
        with open_store(store_url) as store:
            filled(store)
            assert verify_room(store, ROOM).ok
    tamper(store_url, *statements)
    with open_store(store_url) as store:
        report = verify_room(store, ROOM)
        assert verify_room(store, "vienna").ok  # the other room is untouched
    assert not report.ok and "\n" not in str(report)
    return report


def test_an_intact_chain_holds(store: Store) -> None:
    filled(store)
    report = verify_room(store, ROOM)
    assert (report.ok, report.count, report.broken_seq) == (True, 6, None)
    assert report.last_hash == store.read(ROOM)[-1].hash
    assert str(report).startswith("room geneva: 6 records, the chain holds")


def test_an_altered_data_cell_is_found(store_url: str) -> None:
    report = report_after(
        store_url, f"UPDATE records SET data = '{{\"text\":\"forged\"}}' WHERE room = '{ROOM}' AND seq = 3"
    )
    assert (report.broken_seq, report.problem) == (3, "altered")
    assert str(report) == "room geneva: record 3 was altered: its contents do not match its hash"


def test_a_non_canonical_data_cell_is_found(store_url: str) -> None:
    report = report_after(
        store_url, f"UPDATE records SET data = '{{\"text\": \"m4\"}}' WHERE room = '{ROOM}' AND seq = 4"
    )
    assert (report.broken_seq, report.problem) == (4, "altered")


def test_a_changed_created_at_is_found(store_url: str) -> None:
    report = report_after(
        store_url,
        f"UPDATE records SET created_at = '2020-01-01T00:00:00.000000Z' WHERE room = '{ROOM}' AND seq = 2",
    )
    assert (report.broken_seq, report.problem) == (2, "altered")


def test_a_deleted_record_is_found(store_url: str) -> None:
    report = report_after(store_url, f"DELETE FROM records WHERE room = '{ROOM}' AND seq = 4")
    assert (report.broken_seq, report.problem) == (4, "removed")


def test_a_deletion_hidden_by_renumbering_is_found(store_url: str) -> None:
    report = report_after(
        store_url,
        f"DELETE FROM records WHERE room = '{ROOM}' AND seq = 4",
        f"UPDATE records SET seq = seq + 100 WHERE room = '{ROOM}' AND seq > 4",
        f"UPDATE records SET seq = seq - 101 WHERE room = '{ROOM}' AND seq > 100",
    )
    assert (report.broken_seq, report.problem) == (4, "removed")


def test_an_inserted_record_is_found(store_url: str) -> None:
    with open_store(store_url) as store:
        filled(store)
        third = store.read(ROOM)[2]
    forged = {"text": "forged"}
    forged_hash = record_hash(third.hash, ROOM, 4, "message", "iran", forged, third.created_at)
    report_statements = (
        f"UPDATE records SET seq = seq + 100 WHERE room = '{ROOM}' AND seq > 3",
        f"UPDATE records SET seq = seq - 99 WHERE room = '{ROOM}' AND seq > 100",
        "INSERT INTO records (room, seq, kind, seat, data, created_at, previous_hash, hash) VALUES "
        f"('{ROOM}', 4, 'message', 'iran', '{{\"text\":\"forged\"}}', '{third.created_at}', '{third.hash}', "
        f"'{forged_hash}')",
    )
    report = report_after(store_url, *report_statements, fill=False)
    assert (report.broken_seq, report.problem) == (4, "inserted")


def test_a_record_that_links_nowhere_is_found(store_url: str) -> None:
    report = report_after(
        store_url,
        f"UPDATE records SET previous_hash = '{'ab' * 32}' WHERE room = '{ROOM}' AND seq = 5",
    )
    assert (report.broken_seq, report.problem) == (5, "altered")


def test_a_rehashed_record_is_found_by_its_successor(store_url: str) -> None:
    with open_store(store_url) as store:
        filled(store)
        second = store.read(ROOM)[1]
    rehashed = record_hash(
        second.previous_hash, ROOM, 2, "message", "usa", {"text": "forged"}, second.created_at
    )
    report = report_after(
        store_url,
        f"UPDATE records SET data = '{{\"text\":\"forged\"}}', hash = '{rehashed}' "
        f"WHERE room = '{ROOM}' AND seq = 2",
        fill=False,
    )
    assert (report.broken_seq, report.problem) == (2, "altered")


def test_records_out_of_order_are_reordered(store: Store) -> None:
    filled(store)
    records = list(store.read(ROOM))
    records[2], records[3] = records[3], records[2]
    report = verify_chain(records)
    assert report.problem in ("removed", "reordered") and report.broken_seq == 3


@pytest.mark.parametrize("count", [1, 2])
def test_short_rooms_verify(store: Store, count: int) -> None:
    store.append(ROOM, [NewRecord("room-created", {})], expected_seq=0)
    if count == 2:
        store.append(ROOM, [NewRecord("message", {})], expected_seq=1)
    assert verify_room(store, ROOM).count == count
    assert verify_room(store, "nowhere") == ChainReport(room="nowhere", ok=True, count=0)
