"""The store's tables as SQLAlchemy Core sees them (the migrations in ``migrations/versions`` create them).

>>> [column.name for column in RECORDS.columns]
['notification_id', 'room', 'seq', 'kind', 'seat', 'data', 'created_at', 'previous_hash', 'hash']
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["HEAD_REVISION", "METADATA", "RECORDS", "REQUESTS", "VERSION_TABLE"]

VERSION_TABLE = "accord_schema_version"
"""Alembic's version table, named for Accord: a shared PostgreSQL schema may hold other applications."""

HEAD_REVISION = "0001"
"""The newest schema revision this version of Accord writes (``migrations/versions``)."""

METADATA = sa.MetaData()

RECORDS = sa.Table(
    "records",
    METADATA,
    sa.Column("notification_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("room", sa.String(200), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Column("kind", sa.String(100), nullable=False),
    sa.Column("seat", sa.String(200), nullable=False),
    sa.Column("data", sa.Text(), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("previous_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("room", "seq", name="records_room_seq_key"),
)

REQUESTS = sa.Table(
    "requests",
    METADATA,
    sa.Column("room", sa.String(200), primary_key=True),
    sa.Column("idempotency_key", sa.String(200), primary_key=True),
    sa.Column("response", sa.Text(), nullable=True),
    sa.Column("first_seq", sa.BigInteger(), nullable=False),
    sa.Column("last_seq", sa.BigInteger(), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)
