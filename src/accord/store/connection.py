"""From a URL to a SQLAlchemy engine set up for the store: SQLite pragmas, pools, one-line errors.

SQLite connections run in WAL mode with ``synchronous=FULL`` (a commit is on disk before
``append`` returns), a busy timeout (another process holding the write lock is waited for, not
failed on) and foreign keys on. SQLAlchemy, not the ``sqlite3`` module, opens transactions:
plain ``BEGIN`` for reads, ``BEGIN IMMEDIATE`` for writes (a connection executed with
``accord_write=True``), so a writer takes the write lock before it reads the room's last
record and two writers never deadlock upgrading a read lock.

>>> mask_url("postgresql+psycopg://accord:s3cret@db.example:5432/rooms")
'postgresql+psycopg://accord:***@db.example:5432/rooms'
>>> mask_url("sqlite:///accord.db")
'sqlite:///accord.db'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from accord.store.errors import StoreError

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "CONNECT_TIMEOUT_SECONDS",
    "Connection",
    "connect",
    "driver_reason",
    "mask_url",
]

BUSY_TIMEOUT_SECONDS = 30
"""How long a SQLite writer waits for another process's write lock before giving up."""

CONNECT_TIMEOUT_SECONDS = 10
"""How long opening a PostgreSQL connection may take (unless the URL says ``connect_timeout``)."""

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, safe to show in messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError, TypeError):
        return _PASSWORD.sub(r"\1***@", str(url))


def driver_reason(error: BaseException) -> str:
    """The database driver's own words for an error, on one line (SQLAlchemy's wrapping removed)."""
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    return first.removeprefix("(psycopg.OperationalError) ").strip()


@dataclass(frozen=True, slots=True)
class Connection:
    """An engine for the store with what the store must know about it."""

    engine: sa.Engine
    backend: str  # "sqlite" or "postgresql"
    memory: bool  # an in-memory SQLite database: one connection, every use serialised


def _sqlite_engine(url: URL, shown: str) -> Connection:
    database = url.database or ""
    memory = database in ("", ":memory:") or "mode=memory" in str(url)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS}}
    if memory:
        options["poolclass"] = StaticPool
    else:
        options.update(pool_size=8, max_overflow=24, pool_timeout=BUSY_TIMEOUT_SECONDS)
    engine = sa.create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        try:
            # The busy timeout is sqlite3.connect's ``timeout`` (connect_args above): not set twice.
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("accord_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return Connection(engine=engine, backend="sqlite", memory=memory)


def _postgres_engine(url: URL) -> Connection:
    arguments: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        arguments["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    engine = sa.create_engine(
        url, connect_args=arguments, pool_size=8, max_overflow=24, pool_pre_ping=True, pool_timeout=60
    )
    return Connection(engine=engine, backend="postgresql", memory=False)


def connect(url: str) -> Connection:
    """An engine for ``url`` (``sqlite:///FILE``, ``sqlite:///:memory:``, ``postgresql+psycopg://…``).

    Raises :class:`StoreError` naming the (masked) URL when it cannot be understood. Nothing is
    opened yet: the first connection is made by the caller.

    >>> connect("mysql://localhost/rooms")
    Traceback (most recent call last):
    ...
    accord.store.errors.StoreError: mysql://localhost/rooms: unsupported database (use sqlite:///FILE or postgresql+psycopg://…)
    """
    shown = mask_url(url)
    if not isinstance(url, str) or not url.strip():
        raise StoreError(f"{shown!r}: not a database URL (use sqlite:///FILE or postgresql+psycopg://…)")
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{shown}: not a database URL (use sqlite:///FILE or postgresql+psycopg://…)"
        ) from None
    backend = parsed.get_backend_name()
    driver = parsed.get_driver_name()
    try:
        if backend == "sqlite" and driver == "pysqlite":
            return _sqlite_engine(parsed, shown)
        if backend == "postgresql":
            if driver != "psycopg":
                parsed = parsed.set(drivername="postgresql+psycopg")
            return _postgres_engine(parsed)
    except (NoSuchModuleError, ImportError) as error:
        raise StoreError(f"{shown}: cannot load the database driver ({error})") from None
    except ArgumentError as error:
        raise StoreError(f"{shown}: {driver_reason(error)}") from None
    raise StoreError(f"{shown}: unsupported database (use sqlite:///FILE or postgresql+psycopg://…)")
