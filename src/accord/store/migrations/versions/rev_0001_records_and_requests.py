"""The records of every room (a hash chain per room, a notification log across rooms) and the requests.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create ``records`` (unique ``(room, seq)``, global ``notification_id``) and ``requests``."""
    op.create_table(
        "records",
        sa.Column(
            "notification_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("room", sa.String(200), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("seat", sa.String(200), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("room", "seq", name="records_room_seq_key"),
        sa.CheckConstraint("seq >= 1", name="records_seq_positive"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "requests",
        sa.Column("room", sa.String(200), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("first_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("room", "idempotency_key", name="requests_pkey"),
    )


def downgrade() -> None:
    """Drop both tables (and with them every room)."""
    op.drop_table("requests")
    op.drop_table("records")
