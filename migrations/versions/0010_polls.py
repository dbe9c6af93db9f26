"""Add polls: the native quiz polls sent, so a vote after a restart or on another process is understood.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

Written by hand after the model (``PollRow``) and checked with ``alembic check``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "poll_id", name=op.f("pk_polls")),
    )
    op.create_index(op.f("ix_polls_sent_at"), "polls", ["sent_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_polls_sent_at"), table_name="polls")
    op.drop_table("polls")
