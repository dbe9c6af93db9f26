"""Add hints seen per exercise, one-time account-link codes and lessons uploaded through chat.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Written from autogenerate's draft and reviewed by hand; booleans default through sa.true() so each backend
gets its own literal.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _learner_id(table: str) -> list:
    """The learner_id column and its cascading foreign key."""
    return [
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f(f"fk_{table}_learner_id_learners"), ondelete="CASCADE"
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "hints_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        *_learner_id("hints_seen"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hints_seen")),
        sa.UniqueConstraint(
            "learner_id", "lesson_id", "exercise_id", name=op.f("uq_hints_seen_learner_id_lesson_id_exercise_id")
        ),
    )
    op.create_table(
        "link_codes",
        sa.Column("code", sa.String(length=16), nullable=False),
        *_learner_id("link_codes"),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_link_codes")),
    )
    op.create_table(
        "uploaded_lessons",
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("filename", sa.String(length=128), nullable=False),
        sa.Column("uploaded_by", sa.String(length=128), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("lesson_id", name=op.f("pk_uploaded_lessons")),
    )


def downgrade() -> None:
    op.drop_table("uploaded_lessons")
    op.drop_table("link_codes")
    op.drop_table("hints_seen")
