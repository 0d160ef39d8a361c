"""Opening a store: the schema is created and migrated; bad URLs and foreign databases are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.store import NewRecord, StoreError, open_store
from accord.store.schema import HEAD_REVISION, VERSION_TABLE


def version(url: str) -> list[str]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        versions = [
            str(row[0]) for row in connection.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}"))
        ]
    engine.dispose()
    return versions


def test_a_fresh_database_is_migrated_to_the_newest_revision(store_url: str) -> None:
    with open_store(store_url) as store:
        assert store.rooms() == ()
    assert version(store_url) == [HEAD_REVISION]


def test_opening_a_migrated_store_again_changes_nothing(store_url: str) -> None:
    with open_store(store_url) as store:
        store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
    with open_store(store_url) as store:
        assert store.last_seq("geneva") == 1
    assert version(store_url) == [HEAD_REVISION]


def test_sqlite_runs_in_wal_mode_with_full_synchronous_writes(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/accord.db") as store:
        store.append("geneva", [NewRecord("room-created", {})], expected_seq=0)
        with store._engine.connect() as connection:  # a pooled connection, as every operation gets
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
            }
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["synchronous"] == 2  # FULL
    assert pragmas["busy_timeout"] >= 1000
    assert pragmas["foreign_keys"] == 1
    assert (tmp_path / "accord.db").exists()


def test_an_in_memory_store_works_across_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    with open_store("sqlite:///:memory:") as store:
        with ThreadPoolExecutor(4) as pool:
            list(
                pool.map(
                    lambda n: store.append(f"r{n}", [NewRecord("room-created", {})], expected_seq=0), range(8)
                )
            )
        assert sorted(store.rooms()) == sorted(f"r{n}" for n in range(8))


def refusal(url: str) -> str:
    with pytest.raises(StoreError) as error:
        open_store(url)
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    message = refusal(f"sqlite:///{path}")
    assert message.startswith(f"sqlite:///{path}: ") and "not a database" in message
    assert path.read_text().startswith("these are my notes")


def test_a_database_of_something_else_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    message = refusal(f"sqlite:///{path}")
    assert "not an Accord store" in message and "invoices" in message


def test_a_store_from_a_newer_accord_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/accord.db"
    open_store(url).close()
    with sqlite3.connect(tmp_path / "accord.db") as connection:
        connection.execute(f"UPDATE {VERSION_TABLE} SET version_num = '9999'")
    assert "newer Accord" in refusal(url)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    message = refusal(f"sqlite:///{tmp_path}/no/such/folder/accord.db")
    assert f"{tmp_path}/no/such/folder/accord.db" in message and "unable to open" in message


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("mysql://root@localhost/rooms", "unsupported database"),
        ("not a url", "not a database URL"),
        ("", "not a database URL"),
    ],
)
def test_bad_urls_are_refused(url: str, reason: str) -> None:
    assert reason in refusal(url)


def test_an_unreachable_postgresql_is_refused_with_the_password_masked() -> None:
    message = refusal("postgresql+psycopg://accord:hunter2@127.0.0.1:1/rooms?connect_timeout=2")
    assert message.startswith("postgresql+psycopg://accord:***@127.0.0.1:1/rooms")
    assert "hunter2" not in message
