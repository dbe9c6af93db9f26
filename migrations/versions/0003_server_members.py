"""Add server members: which learners used the tutor in which server, for /admin stats.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Written by hand after the model (``ServerMemberRow``) and checked with ``alembic check``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "server_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("server_id", sa.String(length=64), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_server_members_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_members")),
        sa.UniqueConstraint(
            "platform", "server_id", "learner_id", name=op.f("uq_server_members_platform_server_id_learner_id")
        ),
    )
    op.create_index(op.f("ix_server_members_learner_id"), "server_members", ["learner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_server_members_learner_id"), table_name="server_members")
    op.drop_table("server_members")
