"""The store's one writer: appends are checked and written in order; those that wait commit together.

Every append takes the write lock. While one transaction commits (an ``fsync``, a few
milliseconds on a disk), the appends that arrive queue up; the next thread to take the lock
writes *all* of them in one transaction — group commit — so a busy server pays one disk flush
for many appends instead of one each. Each request is still judged on its own, in arrival
order: its idempotency key, its ``expected_seq`` and the other rooms it was decided on
(``others_at``) are checked before any of its rows are written, so a request refused with
:class:`SequenceConflict` or :class:`DuplicateRequest` writes nothing and does not disturb the
others. Nothing is returned before the commit; if
the commit fails, every request in it fails with :class:`StoreError`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from accord.frozen import freeze
from accord.store.canonical import GENESIS_HASH, record_hash_of_json
from accord.store.connection import driver_reason
from accord.store.errors import DuplicateRequest, SequenceConflict, StoreError
from accord.store.fanout import CHANNEL
from accord.store.records import NewRecord, StoredRecord
from accord.store.schema import RECORDS, REQUESTS

__all__ = ["LOCK_TIMEOUT_SECONDS", "MOST_REQUESTS_PER_COMMIT", "AppendRequest", "Writer", "duplicate_of"]

LOCK_TIMEOUT_SECONDS = 30
"""How long a PostgreSQL writer waits for another process's table lock before giving up."""

MOST_REQUESTS_PER_COMMIT = 200
"""The most waiting appends committed in one transaction."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True, eq=False)
class AppendRequest:
    """One call of :meth:`accord.store.Store.append`, its data already in canonical JSON; then its outcome."""

    room: str
    records: Sequence[NewRecord]
    texts: Sequence[str]
    expected_seq: int
    idempotency_key: str | None
    response_text: str | None
    others_at: Mapping[str, int] = field(default_factory=dict)
    result: tuple[StoredRecord, ...] | None = None
    error: BaseException | None = None
    done: bool = False


# The writer's statements, built once (SQLAlchemy then finds their compiled form by a cached key).
_KEY_USED = sa.select(REQUESTS.c.response).where(
    REQUESTS.c.room == sa.bindparam("room"), REQUESTS.c.idempotency_key == sa.bindparam("key")
)
_LAST_RECORD = (
    sa.select(RECORDS.c.seq, RECORDS.c.hash, RECORDS.c.created_at)
    .where(RECORDS.c.room == sa.bindparam("room"))
    .order_by(RECORDS.c.seq.desc())
    .limit(1)
)
_INSERT_RECORDS = RECORDS.insert()
_NOTIFY = sa.text(  # PostgreSQL: NOTIFY each "room:seq" of a commit, in one round trip
    "SELECT pg_notify(:channel, payload) FROM unnest(CAST(:payloads AS text[])) AS payload"
)
_INSERT_REQUEST = REQUESTS.insert()


def duplicate_of(connection: sa.Connection, room: str, idempotency_key: str) -> DuplicateRequest | None:
    """The refusal for a key already used in the room, carrying the first response; ``None`` if unused."""
    previous = connection.execute(_KEY_USED, {"room": room, "key": idempotency_key}).first()
    if previous is None:
        return None
    response = None if previous.response is None else json.loads(previous.response)
    return DuplicateRequest(room, idempotency_key, response)


def _write(connection: sa.Connection, request: AppendRequest) -> tuple[StoredRecord, ...]:
    """Check one request and write its rows; refusals are raised before anything is written."""
    room, expected_seq = request.room, request.expected_seq
    if request.idempotency_key is not None:
        duplicate = duplicate_of(connection, room, request.idempotency_key)
        if duplicate is not None:
            raise duplicate
    last = connection.execute(_LAST_RECORD, {"room": room}).first()
    actual_seq = 0 if last is None else int(last.seq)
    if actual_seq != expected_seq:
        raise SequenceConflict(room, expected_seq, actual_seq)
    for other, other_seq in request.others_at.items():
        other_last = connection.execute(_LAST_RECORD, {"room": other}).first()
        other_actual = 0 if other_last is None else int(other_last.seq)
        if other_actual != other_seq:
            raise SequenceConflict(other, other_seq, other_actual)
    previous_hash = GENESIS_HASH if last is None else str(last.hash)
    created_at = _now() if last is None else max(_now(), str(last.created_at))  # never before its predecessor
    rows = []
    stored = []
    for seq, (record, text) in enumerate(
        zip(request.records, request.texts, strict=True), start=expected_seq + 1
    ):
        digest = record_hash_of_json(
            previous_hash, room, seq, record.kind, record.seat, text.encode("utf-8"), created_at
        )
        rows.append(
            {
                "room": room,
                "seq": seq,
                "kind": record.kind,
                "seat": record.seat,
                "data": text,
                "created_at": created_at,
                "previous_hash": previous_hash,
                "hash": digest,
            }
        )
        stored.append(
            StoredRecord(
                room,
                seq,
                record.kind,
                freeze(json.loads(text)),
                record.seat,
                created_at,
                previous_hash,
                digest,
            )
        )
        previous_hash = digest
    connection.execute(_INSERT_RECORDS, rows)
    if request.idempotency_key is not None:
        connection.execute(
            _INSERT_REQUEST,
            {
                "room": room,
                "idempotency_key": request.idempotency_key,
                "response": request.response_text,
                "first_seq": expected_seq + 1,
                "last_seq": expected_seq + len(rows),
                "created_at": created_at,
            },
        )
    return tuple(stored)


class Writer:
    """Serialises the appends of one store (see the module docstring); ``lock`` is the store's write lock,
    ``committed`` is called after each commit that wrote records (the store rings its fan-out)."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        backend: str,
        url: str,
        lock: threading.RLock,
        committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._engine = engine
        self._backend = backend
        self._url = url
        self._lock = lock
        self._committed = committed  # called after each commit that wrote records
        self._queue: list[AppendRequest] = []
        self._queue_lock = threading.Lock()

    def append(self, request: AppendRequest) -> tuple[StoredRecord, ...]:
        """Write ``request`` (with whatever else is waiting) and return its records once committed."""
        with self._queue_lock:
            self._queue.append(request)
        while True:
            with self._lock:
                if request.done:
                    break
                with self._queue_lock:
                    batch = self._queue[:MOST_REQUESTS_PER_COMMIT]
                    del self._queue[:MOST_REQUESTS_PER_COMMIT]
                self._commit(batch)
        if request.error is not None:
            raise request.error
        assert request.result is not None
        return request.result

    def _commit(self, batch: list[AppendRequest]) -> None:
        written: dict[int, tuple[StoredRecord, ...]] = {}
        try:
            with self._engine.connect() as connection:
                connection = connection.execution_options(accord_write=True)
                with connection.begin():
                    if self._backend == "postgresql":
                        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS}s'")
                        connection.exec_driver_sql("LOCK TABLE records IN EXCLUSIVE MODE")
                    last_seqs: dict[str, int] = {}
                    for index, request in enumerate(batch):
                        try:
                            written[index] = _write(connection, request)
                        except (SequenceConflict, DuplicateRequest) as refusal:
                            request.error = refusal
                        else:
                            last_seqs[request.room] = written[index][-1].seq
                    if self._backend == "postgresql" and last_seqs:
                        # One statement for every room of the commit; sent only if the commit succeeds.
                        payloads = [f"{room}:{seq}" for room, seq in last_seqs.items()]
                        connection.execute(_NOTIFY, {"channel": CHANNEL, "payloads": payloads})
        except IntegrityError:
            if len(batch) > 1:  # another process won a race: find out which request lost it, alone
                for request in batch:
                    request.error = None
                    self._commit([request])
                return
            batch[0].error = self._lost_race(batch[0])
        except SQLAlchemyError as error:
            for request in batch:
                request.error = StoreError(f"{self._url}: {driver_reason(error)}")
        except BaseException as error:
            for request in batch:
                request.error = error
            raise
        else:
            for index, stored in written.items():
                batch[index].result = stored
            if written:
                self._committed()
        finally:
            for request in batch:
                request.done = True

    def _lost_race(self, request: AppendRequest) -> StoreError:
        """The refusal for a request whose insert met another process's rows (``(room, seq)`` or key)."""
        try:
            with self._engine.connect() as connection:
                if request.idempotency_key is not None:
                    duplicate = duplicate_of(connection, request.room, request.idempotency_key)
                    if duplicate is not None:
                        return duplicate
                actual = connection.execute(
                    sa.select(sa.func.max(RECORDS.c.seq)).where(RECORDS.c.room == request.room)
                ).scalar()
        except SQLAlchemyError as error:
            return StoreError(f"{self._url}: {driver_reason(error)}")
        return SequenceConflict(request.room, request.expected_seq, int(actual or 0))
