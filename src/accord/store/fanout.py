"""Live updates: one thread per store tails the notification log and hands each new batch to subscribers.

The notification log is the ``records`` table read by ``notification_id`` (the order in which
records were committed, across rooms and processes). A *doorbell* says when to read it again:

- SQLite: an append in this process rings at once; appends by other processes on the same file
  are noticed by reading the log every :data:`SQLITE_POLL_SECONDS` (a cheap indexed query), so
  another process's record arrives within that interval.
- PostgreSQL: every append issues ``NOTIFY accord_records, 'room:seq'`` in its transaction, so
  the notification is sent when (and only if) the records commit; the fan-out thread ``LISTEN``\\ s
  on a dedicated connection and reads the log when one arrives (and every
  :data:`POSTGRES_POLL_SECONDS` regardless, so a dropped connection loses nothing: it is reopened
  and the log, not the notification, is the source of truth).

Subscribers are called on the fan-out thread, in commit order, each batch once. They must
return quickly; the web server hands batches to its event loop with
``loop.call_soon_threadsafe`` (see :meth:`accord.store.Store.subscribe`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from accord.store.records import Notification

__all__ = [
    "BATCH_SIZE",
    "CHANNEL",
    "POSTGRES_POLL_SECONDS",
    "SQLITE_POLL_SECONDS",
    "Doorbell",
    "Fanout",
    "Listener",
    "PostgresDoorbell",
    "Subscription",
]

SQLITE_POLL_SECONDS = 0.2
"""How often the SQLite fan-out reads the log for other processes' records."""

POSTGRES_POLL_SECONDS = 1.0
"""How often the PostgreSQL fan-out reads the log even without a notification."""

BATCH_SIZE = 1000
"""The most notifications read from the log at once."""

CHANNEL = "accord_records"

_log = logging.getLogger("accord.store")

Batch = tuple[Notification, ...]
ReadLog = Callable[[int, int], Batch]  # (after, limit) -> notifications in id order


class Doorbell:
    """Rung by this process's appends; :meth:`wait` returns when rung or after ``timeout`` seconds."""

    def __init__(self) -> None:
        self._rung = threading.Event()

    def ring(self) -> None:
        self._rung.set()

    def clear(self) -> None:
        self._rung.clear()

    def wait(self, timeout: float) -> None:
        self._rung.wait(timeout)

    def close(self) -> None:
        self._rung.set()


class PostgresDoorbell(Doorbell):
    """Also rung by ``NOTIFY accord_records`` from any process, received on its own connection."""

    def __init__(self, open_connection: Callable[[], Any]) -> None:
        super().__init__()
        self._open_connection = open_connection
        self._connection: Any = None
        self._next_attempt = 0.0
        self._closed = False

    def _listening(self) -> Any:
        if self._connection is None and time.monotonic() >= self._next_attempt:
            try:
                from psycopg import sql  # only a PostgreSQL store listens

                connection = self._open_connection()
                connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            except Exception as error:  # the database is away: read the log on the timer, try again later
                self._next_attempt = time.monotonic() + POSTGRES_POLL_SECONDS
                _log.warning("accord store: cannot LISTEN for new records (%s); polling", error)
                return None
            self._connection = connection
            self._rung.set()  # records may have been committed while not listening
        return self._connection

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._rung.is_set() and not self._closed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            connection = self._listening()
            if connection is None:
                self._rung.wait(min(remaining, 0.1))
                continue
            try:
                for _notify in connection.notifies(timeout=min(remaining, 0.1), stop_after=1):
                    self._rung.set()
            except Exception as error:
                _log.warning("accord store: lost the LISTEN connection (%s); reopening", error)
                self._drop()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # already broken
                connection.close()

    def close(self) -> None:
        self._closed = True
        super().close()

    def release(self) -> None:
        """Close the LISTEN connection (called on the fan-out thread as it ends)."""
        self._drop()


class Subscription:
    """A callback registered with the fan-out; it receives every batch committed after :attr:`position`."""

    def __init__(self, fanout: Fanout, callback: Callable[[Batch], None], position: int) -> None:
        self._fanout = fanout
        self.callback = callback
        self.position = position

    def close(self) -> None:
        """Stop receiving batches (idempotent)."""
        self._fanout.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Listener:
    """A blocking reader of the notification log: :meth:`next` returns what arrived since the last call.

    Built on a subscription, with the log's backlog after ``after`` read first, so nothing is
    missed and nothing repeated between the two.
    """

    def __init__(self, fanout: Fanout, read_log: ReadLog, after: int | None) -> None:
        self._ready = threading.Condition()
        self._pending: list[Notification] = []
        self._subscription = fanout.subscribe(self._receive)
        start = self._subscription.position
        self.position = start if after is None else after
        backlog: list[Notification] = []
        cursor = self.position
        while cursor < start:
            page = [notification for notification in read_log(cursor, BATCH_SIZE) if notification.id <= start]
            if not page:
                break
            backlog.extend(page)
            cursor = page[-1].id
        with self._ready:
            self._pending[:0] = backlog

    def _receive(self, batch: Batch) -> None:
        with self._ready:
            self._pending.extend(batch)
            self._ready.notify_all()

    def next(self, timeout: float) -> Batch:
        """The notifications not yet returned, waiting up to ``timeout`` seconds for one; ``()`` if none."""
        with self._ready:
            if not self._pending:
                self._ready.wait_for(lambda: bool(self._pending), timeout)
            batch, self._pending = tuple(self._pending), []
        if batch:
            self.position = batch[-1].id
        return batch

    def close(self) -> None:
        self._subscription.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Fanout:
    """The thread that tails the log from ``start`` and calls every subscriber with each new batch."""

    def __init__(self, read_log: ReadLog, doorbell: Doorbell, *, start: int, poll_seconds: float) -> None:
        self._read_log = read_log
        self._doorbell = doorbell
        self._poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._subscriptions: list[Subscription] = []
        self._position = start
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="accord-store-fanout", daemon=True)
        self._thread.start()

    def subscribe(self, callback: Callable[[Batch], None]) -> Subscription:
        with self._lock:
            subscription = Subscription(self, callback, self._position)
            self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            if subscription in self._subscriptions:
                self._subscriptions.remove(subscription)

    def ring(self) -> None:
        self._doorbell.ring()

    def close(self) -> None:
        self._stopped.set()
        self._doorbell.close()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def _pull(self) -> None:
        while not self._stopped.is_set():
            batch = self._read_log(self._position, BATCH_SIZE)
            if not batch:
                return
            with self._lock:
                self._position = batch[-1].id
                subscriptions = list(self._subscriptions)
            for subscription in subscriptions:
                try:
                    subscription.callback(batch)
                except Exception:
                    _log.exception(
                        "accord store: a subscriber failed on notifications %d..%d", batch[0].id, batch[-1].id
                    )
            if len(batch) < BATCH_SIZE:
                return

    def _run(self) -> None:
        try:
            while not self._stopped.is_set():
                self._doorbell.clear()
                try:
                    self._pull()
                except Exception as error:  # the database is away for a moment: try again on the timer
                    _log.warning("accord store: cannot read new records (%s)", error)
                self._doorbell.wait(self._poll_seconds)
        finally:
            if isinstance(self._doorbell, PostgresDoorbell):
                self._doorbell.release()
