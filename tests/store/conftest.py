"""Store fixtures: every test runs on SQLite, and on PostgreSQL when ``ACCORD_TEST_POSTGRES_URL`` names one.

Each PostgreSQL test gets a schema of its own (dropped afterwards), chosen through the URL's
``options=-csearch_path=…``. Without a PostgreSQL server those tests skip with the reason, except
in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest

from accord.store import Store, open_store
from accord.store.connection import mask_url

POSTGRES_VARIABLE = "ACCORD_TEST_POSTGRES_URL"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(reason)


def _libpq(url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_VARIABLE, "")
    if not url:
        _unavailable(f"{POSTGRES_VARIABLE} is not set")
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            pass
    except psycopg.Error as error:
        _unavailable(f"PostgreSQL at {mask_url(url)} does not answer: {str(error).strip().splitlines()[0]}")
    return url


@pytest.fixture
def postgres_url(postgres_base_url: str) -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped after the test."""
    schema = f"accord_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(postgres_base_url), autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_base_url else "?"
    yield f"{postgres_base_url}{separator}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(_libpq(postgres_base_url), autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """A URL for an empty store: a new SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{os.fspath(tmp_path)}/accord.db"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = open_store(store_url)
    yield opened
    opened.close()
