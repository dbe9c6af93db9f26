"""Add run claims: the run a learner has in flight, so one runs at a time across bot processes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Written by hand after the model (``RunClaimRow``) and checked with ``alembic check``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_run_claims_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_claims")),
        sa.UniqueConstraint("learner_id", name=op.f("uq_run_claims_learner_id")),
        sa.UniqueConstraint("token", name=op.f("uq_run_claims_token")),
    )


def downgrade() -> None:
    op.drop_table("run_claims")
