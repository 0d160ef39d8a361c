"""The room's event store: append a room's records atomically after a known one, read them back, follow them.

One :class:`Store` per process, shared by every thread. An append is one transaction that
checks the idempotency key, checks that the room is still at ``expected_seq`` (optimistic
concurrency; the unique ``(room, seq)`` is the last word), writes the records with their hash
chain and the request's response, and commits durably before returning. Writers are
serialised: in this process by a lock, between processes by SQLite's write lock
(``BEGIN IMMEDIATE``) or, on PostgreSQL, by ``LOCK TABLE records IN EXCLUSIVE MODE`` (reads go
on), so notification ids are handed out in commit order and a reader of the log never skips one.

>>> store = open_store("sqlite:///:memory:")
>>> first = store.append("geneva", [NewRecord("room-created", {"protocol": "one-text-v1"})], expected_seq=0)
>>> [record.seq for record in store.append("geneva", [NewRecord("message", {"text": "hi"}, seat="usa")] * 2,
...                                        expected_seq=1)]
[2, 3]
>>> store.last_seq("geneva"), store.rooms(), verify_room(store, "geneva").ok
(3, ('geneva',), True)
>>> store.append("geneva", [NewRecord("message", {"text": "late"})], expected_seq=1)
Traceback (most recent call last):
...
accord.store.errors.SequenceConflict: room geneva: expected record 1 to be the last, but ... record 3 ...
>>> store.close()
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from accord.frozen import freeze
from accord.store.canonical import canonical_json
from accord.store.chain import ChainReport, verify_chain
from accord.store.connection import Connection, connect, driver_reason, mask_url
from accord.store.errors import StoreError
from accord.store.fanout import (
    POSTGRES_POLL_SECONDS,
    SQLITE_POLL_SECONDS,
    Batch,
    Doorbell,
    Fanout,
    Listener,
    PostgresDoorbell,
    Subscription,
)
from accord.store.migrate import schema_problem, upgrade_to_head
from accord.store.records import NewRecord, Notification, StoredRecord, StoredRequest
from accord.store.schema import RECORDS, REQUESTS
from accord.store.writer import AppendRequest, Writer

__all__ = ["DEFAULT_URL", "MAX_NAME_LENGTH", "Store", "open_store", "verify_room"]

DEFAULT_URL = "sqlite:///accord.db"
"""The store of ``accord room`` and ``accord serve`` unless ``--db`` names another (in the working folder)."""

MAX_NAME_LENGTH = 200
"""The longest room name, seat name or idempotency key the store keeps."""

_MIGRATION_LOCK = 0x4163636F7264  # "Accord": the PostgreSQL advisory lock held while migrating


_ALL = 2**62  # a limit no store reaches: "no limit" in one statement for SQLite and PostgreSQL alike

# The busiest reads, built once (SQLAlchemy then finds their compiled form by a cached key): a room's
# records after one, and the notification log (the fan-out reads it after every commit).
_RECORDS_AFTER = (
    sa.select(RECORDS)
    .where(RECORDS.c.room == sa.bindparam("room"), RECORDS.c.seq > sa.bindparam("after"))
    .order_by(RECORDS.c.seq)
    .limit(sa.bindparam("limit"))
)
_NOTIFICATIONS = (
    sa.select(RECORDS.c.notification_id, RECORDS.c.room, RECORDS.c.seq)
    .where(RECORDS.c.notification_id > sa.bindparam("after"))
    .order_by(RECORDS.c.notification_id)
    .limit(sa.bindparam("limit"))
)
_ROOM_NOTIFICATIONS = _NOTIFICATIONS.where(RECORDS.c.room == sa.bindparam("room"))


def _check_name(what: str, value: object, *, empty: bool = False) -> None:
    if not isinstance(value, str) or (not value and not empty) or len(value) > MAX_NAME_LENGTH:
        raise StoreError(
            f"{what} {value!r}: must be a non-empty string of at most {MAX_NAME_LENGTH} characters"
        )


def _stored(row: sa.Row[Any]) -> StoredRecord:
    try:
        data = json.loads(row.data)
    except ValueError:
        raise StoreError(
            f"room {row.room}: record {row.seq}: its data is not JSON (the store was altered)"
        ) from None
    return StoredRecord(
        room=row.room,
        seq=row.seq,
        kind=row.kind,
        data=freeze(data),
        seat=row.seat,
        created_at=row.created_at,
        previous_hash=row.previous_hash,
        hash=row.hash,
    )


class Store:
    """The event store of every room, on SQLite or PostgreSQL. Thread-safe; use one per process.

    :attr:`url` is the database URL with any password masked.
    """

    def __init__(self, url: str, connection: Connection) -> None:
        self.url = mask_url(url)
        self._connection = connection
        self._engine = connection.engine
        self._backend = connection.backend
        self._write_lock = threading.RLock()
        self._writer = Writer(
            self._engine, backend=self._backend, url=self.url, lock=self._write_lock, committed=self._ring
        )
        # An in-memory SQLite database is one shared connection: every use takes the lock.
        self._read_lock: Callable[[], AbstractContextManager[Any]] = (
            (lambda: self._write_lock) if connection.memory else nullcontext
        )
        self._fanout: Fanout | None = None
        self._fanout_lock = threading.Lock()
        self._closing = False  # close() has begun: no new fan-out thread
        self._closed = False  # close() has ended: no new connections

    # -- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        self._check_open()
        with self._read_lock():
            try:
                with self._engine.connect() as connection, connection.begin():
                    yield connection
            except SQLAlchemyError as error:
                raise StoreError(f"{self.url}: {driver_reason(error)}") from None

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.url}: the store is closed")

    def migrate(self) -> None:
        """Create the schema or bring it to the newest revision; refuse a database that is not a store."""
        self._check_open()
        with self._write_lock:
            try:
                with self._engine.connect() as connection:
                    connection = connection.execution_options(accord_write=True)
                    with connection.begin():
                        if self._backend == "postgresql":
                            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
                        problem = schema_problem(connection, backend=self._backend)
                        if problem is not None:
                            raise StoreError(f"{self.url}: {problem}")
                        upgrade_to_head(connection)
            except SQLAlchemyError as error:
                raise StoreError(f"{self.url}: {driver_reason(error)}") from None

    # -- writing ------------------------------------------------------------------------------

    def append(
        self,
        room: str,
        records: Sequence[NewRecord],
        *,
        expected_seq: int,
        idempotency_key: str | None = None,
        response: Mapping[str, Any] | None = None,
        others_at: Mapping[str, int] | None = None,
    ) -> tuple[StoredRecord, ...]:
        """Append ``records`` to ``room`` after its record ``expected_seq`` (0 for a new room), atomically.

        ``others_at``: other rooms whose states the decision also read (a process's other tracks),
        each with the last record it read (0 for a room not created yet); the append is refused with
        :class:`SequenceConflict` naming that room when one of them has moved on, so no two rooms'
        decisions can each rest on the other's old state. Appends are serialised across threads and
        processes, so the check and the write are one step.

        Raises :class:`SequenceConflict` when the room is no longer at ``expected_seq`` (nothing is
        written; rebuild and decide again), and :class:`DuplicateRequest` carrying the first
        request's ``response`` when ``idempotency_key`` was used in this room before (nothing is
        written). The key and ``response`` are stored in the same transaction as the records.
        Returns the stored records once they are committed to disk.
        """
        _check_name("room", room)
        if idempotency_key is not None:
            _check_name("idempotency key", idempotency_key)
        if isinstance(expected_seq, bool) or not isinstance(expected_seq, int) or expected_seq < 0:
            raise StoreError(f"room {room}: expected_seq {expected_seq!r} must be an integer >= 0")
        if not records:
            raise StoreError(f"room {room}: nothing to append")
        texts = []
        for record in records:
            if not isinstance(record, NewRecord):
                raise TypeError(f"room {room}: {record!r} is not a NewRecord")
            _check_name("seat", record.seat, empty=True)
            texts.append(canonical_json(record.data).decode("utf-8"))
        response_text = None if response is None else canonical_json(response).decode("utf-8")
        others = dict(others_at or {})
        for other, other_seq in others.items():
            _check_name("room", other)
            bad_seq = isinstance(other_seq, bool) or not isinstance(other_seq, int) or other_seq < 0
            if other == room or bad_seq:
                raise StoreError(f"room {room}: others_at {other!r}: must be another room, at a seq >= 0")
        self._check_open()
        request = AppendRequest(room, records, texts, expected_seq, idempotency_key, response_text, others)
        return self._writer.append(request)

    def _ring(self) -> None:
        """Wake the fan-out: records were committed (once per commit, whatever the appends it held)."""
        fanout = self._fanout
        if fanout is not None:
            fanout.ring()

    # -- reading ------------------------------------------------------------------------------

    def read(self, room: str, *, after: int = 0, limit: int | None = None) -> tuple[StoredRecord, ...]:
        """The room's records with ``seq > after``, in order, at most ``limit`` (none for an unknown room)."""
        parameters = {"room": room, "after": after, "limit": _ALL if limit is None else limit}
        with self._reading() as connection:
            rows = connection.execute(_RECORDS_AFTER, parameters).all()
        return tuple(_stored(row) for row in rows)

    def previous_request(self, room: str, idempotency_key: str) -> StoredRequest | None:
        """The request applied in ``room`` under ``idempotency_key``, or ``None`` if the key is unused.

        What :class:`DuplicateRequest` would carry, without appending: for a retry that the
        room's rules would now refuse although its first try was applied.
        """
        query = sa.select(REQUESTS).where(
            REQUESTS.c.room == room, REQUESTS.c.idempotency_key == idempotency_key
        )
        with self._reading() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        response = None if row.response is None else freeze(json.loads(row.response))
        return StoredRequest(
            room, idempotency_key, response, int(row.first_seq), int(row.last_seq), row.created_at
        )

    def last_seq(self, room: str) -> int:
        """The room's last record number (0 when the room has none)."""
        with self._reading() as connection:
            value = connection.execute(sa.select(sa.func.max(RECORDS.c.seq)).where(RECORDS.c.room == room))
            return int(value.scalar() or 0)

    def rooms(self) -> tuple[str, ...]:
        """Every room with a record, in the order the rooms were created."""
        query = sa.select(RECORDS.c.room).where(RECORDS.c.seq == 1).order_by(RECORDS.c.notification_id)
        with self._reading() as connection:
            return tuple(str(room) for room in connection.execute(query).scalars())

    def notifications(self, after: int = 0, *, room: str | None = None, limit: int | None = None) -> Batch:
        """The notification log after id ``after``: which record of which room was committed, in order."""
        query = _NOTIFICATIONS if room is None else _ROOM_NOTIFICATIONS
        parameters = {"after": after, "room": room, "limit": _ALL if limit is None else limit}
        with self._reading() as connection:
            return tuple(
                Notification(int(row[0]), str(row[1]), int(row[2]))
                for row in connection.execute(query, parameters)
            )

    def last_notification(self) -> int:
        """The id of the newest notification (0 for an empty store)."""
        with self._reading() as connection:
            return int(connection.execute(sa.select(sa.func.max(RECORDS.c.notification_id))).scalar() or 0)

    def _rows(self, room: str) -> list[sa.Row[Any]]:
        with self._reading() as connection:
            return list(
                connection.execute(sa.select(RECORDS).where(RECORDS.c.room == room).order_by(RECORDS.c.seq))
            )

    # -- following ----------------------------------------------------------------------------

    def _started_fanout(self) -> Fanout:
        with self._fanout_lock:
            if self._closing:
                raise StoreError(f"{self.url}: the store is closed")
            if self._fanout is None:
                doorbell: Doorbell
                if self._backend == "postgresql":
                    doorbell = PostgresDoorbell(self._listen_connection)
                    poll = POSTGRES_POLL_SECONDS
                else:
                    doorbell, poll = Doorbell(), SQLITE_POLL_SECONDS
                self._fanout = Fanout(
                    lambda after, limit: self.notifications(after, limit=limit),
                    doorbell,
                    start=self.last_notification(),
                    poll_seconds=poll,
                )
            return self._fanout

    def _listen_connection(self) -> Any:
        import psycopg

        arguments, options = self._engine.dialect.create_connect_args(self._engine.url)
        options.setdefault("connect_timeout", 10)
        options.setdefault("application_name", "accord-store-listen")
        return psycopg.connect(*arguments, **options, autocommit=True)

    def subscribe(self, callback: Callable[[Batch], None]) -> Subscription:
        """Call ``callback`` with every batch of notifications committed from now on, by any process.

        ``callback`` runs on the store's fan-out thread: it must be quick and must not block. To
        follow rooms from asyncio, hand the batch to the event loop::

            subscription = store.subscribe(lambda batch: loop.call_soon_threadsafe(dispatch, batch))

        Subscribe first, then read what you need with :meth:`read`; a record then arrives by
        both ways at most, never by neither (skip ``seq`` you already have).
        """
        return self._started_fanout().subscribe(callback)

    def listen(self, *, after: int | None = None) -> Listener:
        """A blocking :class:`Listener` of the notification log from notification ``after`` (default: now)."""
        return Listener(
            self._started_fanout(), lambda start, limit: self.notifications(start, limit=limit), after
        )

    def wait_for_records(self, room: str | None, after_notification: int, timeout: float) -> Batch:
        """Notifications after ``after_notification`` (of ``room``, or of any room when ``None``).

        Returns at once when there are some, else waits up to ``timeout`` seconds for the first
        to be committed by any process; ``()`` when none came. Blocking: from asyncio run it in
        a thread, or use :meth:`subscribe`.
        """
        with self.listen(after=after_notification) as listener:
            deadline = time.monotonic() + timeout
            while True:
                batch = tuple(
                    n for n in listener.next(max(0.0, deadline - time.monotonic())) if room in (None, n.room)
                )
                if batch or time.monotonic() >= deadline:
                    return batch

    # -- closing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the fan-out thread and close every connection (idempotent)."""
        with self._fanout_lock:
            if self._closing:
                return
            self._closing = True
            fanout, self._fanout = self._fanout, None
        if fanout is not None:
            fanout.close()
        self._closed = True
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"


def open_store(url: str = DEFAULT_URL) -> Store:
    """Open the store at ``url``, creating the file or schema and migrating it to the newest revision.

    Raises :class:`StoreError` (one line, password masked) for a bad URL, an unreachable
    database or a database that is not an Accord store.
    """
    store = Store(url, connect(url))
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store


def verify_room(store: Store, room: str) -> ChainReport:
    """Check a room's chain as stored: data cells in canonical form, every hash recomputed.

    A data cell that is not JSON, or not in canonical form, counts as altered.
    """
    rows = store._rows(room)
    records = []
    for row in rows:
        try:
            data = json.loads(row.data)
            canonical = canonical_json(data).decode("utf-8") == row.data
        except ValueError:
            canonical = False
        if not canonical:
            return ChainReport(
                room=room,
                ok=False,
                count=len(rows),
                broken_seq=int(row.seq),
                problem="altered",
                reason="its data is not the canonical JSON the chain was computed over",
            )
        records.append(_stored(row))
    report = verify_chain(records)
    return replace(report, room=room, count=len(records))
