"""Bringing a database to the store's newest schema with Alembic, run from Python (no ``alembic.ini``).

The migrations live in ``migrations/versions`` beside this module; ``migrations/env.py`` runs
them on the connection given here, inside its transaction. Opening a store migrates it: an
empty database gets every table, an older Accord store is upgraded, and a database that holds
something else, or a schema newer than this Accord knows, is refused with the reason.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from accord.store.schema import VERSION_TABLE

__all__ = ["MIGRATIONS", "known_revisions", "schema_problem", "upgrade_to_head"]

MIGRATIONS = Path(__file__).parent / "migrations"
"""The Alembic script directory (``env.py`` and ``versions/``)."""

_STORE_TABLES = frozenset({"records", "requests"})


def _config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of Accord has a migration for.

    >>> "0001" in known_revisions()
    True
    """
    script = ScriptDirectory.from_config(_config())
    return frozenset(revision.revision for revision in script.walk_revisions())


def schema_problem(connection: sa.Connection, *, backend: str) -> str | None:
    """Why the database cannot hold the store (``None`` when it is empty or an Accord store we can migrate).

    A SQLite file must hold nothing but the store; a PostgreSQL schema may hold other tables,
    but none named like the store's without Accord's version table.
    """
    tables = set(sa.inspect(connection).get_table_names())
    if VERSION_TABLE in tables:
        current = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        revision = current.get_current_revision()
        if revision is not None and revision not in known_revisions():
            return (
                f"its schema (revision {revision}) was written by a newer Accord; upgrade Accord to open it"
            )
        return None
    foreign = tables & _STORE_TABLES if backend == "postgresql" else tables
    if foreign:
        return f"not an Accord store (it has tables {', '.join(sorted(foreign))} but no {VERSION_TABLE})"
    return None


def upgrade_to_head(connection: sa.Connection) -> None:
    """Run every migration the database has not had yet, in the caller's transaction."""
    command.upgrade(_config(connection), "head")
