"""Checking a room's hash chain: every hash recomputed, the first broken record named with the reason.

A record is *altered* when its stored fields no longer give its stored hash, or when its
successor does not link to it (its hash was recomputed after the change); *removed* when the
numbering has a gap or a record links past its predecessor to an earlier one; *inserted* when a
record's successor links past it to its predecessor, or it belongs to another room;
*reordered* when the records are not in ``seq`` order. Records renumbered to hide an insertion
or a removal are recognised by their hash, which still holds their old number. A chain only
proves what lies before its last record: keep :attr:`ChainReport.last_hash` elsewhere to notice
records cut off the end.

>>> from accord.store.canonical import GENESIS_HASH, record_hash
>>> def chain(*texts):
...     records, previous, at = [], GENESIS_HASH, "2026-01-01T00:00:00.000000Z"
...     for seq, text in enumerate(texts, start=1):
...         digest = record_hash(previous, "r", seq, "message", "usa", {"text": text}, at)
...         records.append(StoredRecord("r", seq, "message", {"text": text}, "usa", at, previous, digest))
...         previous = digest
...     return records
>>> verify_chain(chain("a", "b", "c")).ok
True
>>> records = chain("a", "b", "c")
>>> print(verify_chain([records[0], records[2]]))
room r: record 2 was removed: records 2 to 2 are missing
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from accord.store.canonical import GENESIS_HASH, record_hash
from accord.store.records import StoredRecord

__all__ = ["ChainReport", "verify_chain"]


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of checking a chain: ``ok``, how many records, and the first broken one (``seq``, why).

    ``problem`` is ``"altered"``, ``"removed"``, ``"inserted"`` or ``"reordered"`` (``""`` when ok);
    ``reason`` says it in words; ``last_hash`` is the hash of the last record when the chain holds.
    """

    room: str
    ok: bool
    count: int
    broken_seq: int | None = None
    problem: str = ""
    reason: str = ""
    last_hash: str = GENESIS_HASH

    def __str__(self) -> str:
        if self.ok:
            return f"room {self.room}: {self.count} records, the chain holds (last hash {self.last_hash})"
        return f"room {self.room}: record {self.broken_seq} was {self.problem}: {self.reason}"


def _broken(room: str, count: int, seq: int, problem: str, reason: str) -> ChainReport:
    return ChainReport(room=room, ok=False, count=count, broken_seq=seq, problem=problem, reason=reason)


def _hash_as(record: StoredRecord, seq: int) -> str:
    """The record's hash recomputed from its fields, as if it were numbered ``seq``."""
    return record_hash(
        record.previous_hash, record.room, seq, record.kind, record.seat, record.data, record.created_at
    )


def verify_chain(records: Sequence[StoredRecord]) -> ChainReport:
    """Recompute every hash of one room's records (in ``seq`` order) and name the first broken record.

    >>> print(verify_chain([]))
    room : 0 records, the chain holds (last hash 000...000)
    """
    room = records[0].room if records else ""
    count = len(records)
    expected_seq = 1
    previous_hash = GENESIS_HASH
    seen_hashes: dict[str, int] = {}
    for index, record in enumerate(records):
        if record.room != room:
            return _broken(room, count, record.seq, "inserted", f"it belongs to room {record.room}")
        if record.seq < expected_seq:
            return _broken(room, count, record.seq, "reordered", f"it comes after record {expected_seq - 1}")
        if record.seq > expected_seq:
            return _broken(
                room,
                count,
                expected_seq,
                "removed",
                f"records {expected_seq} to {record.seq - 1} are missing",
            )
        if _hash_as(record, record.seq) != record.hash:
            if _hash_as(record, record.seq - 1) == record.hash:
                return _broken(
                    room,
                    count,
                    record.seq - 1,
                    "inserted",
                    f"record {record.seq} was numbered {record.seq - 1}",
                )
            if _hash_as(record, record.seq + 1) == record.hash:
                return _broken(
                    room,
                    count,
                    record.seq,
                    "removed",
                    f"the record now numbered {record.seq} was {record.seq + 1}",
                )
            return _broken(room, count, record.seq, "altered", "its contents do not match its hash")
        if record.previous_hash != previous_hash:
            following = records[index + 1] if index + 1 < count else None
            if following is not None and following.previous_hash == previous_hash:
                return _broken(
                    room,
                    count,
                    record.seq,
                    "inserted",
                    f"record {following.seq} links past it to its predecessor",
                )
            if record.previous_hash in seen_hashes:
                linked = seen_hashes[record.previous_hash]
                return _broken(
                    room, count, linked + 1, "removed", f"record {record.seq} links back to record {linked}"
                )
            if index == 0:
                return _broken(
                    room, count, record.seq, "altered", "the first record does not start the chain"
                )
            return _broken(
                room,
                count,
                record.seq - 1,
                "altered",
                f"its hash is not the one record {record.seq} links to (changed and rehashed)",
            )
        seen_hashes[record.hash] = record.seq
        previous_hash = record.hash
        expected_seq += 1
    return ChainReport(room=room, ok=True, count=count, last_hash=previous_hash)
