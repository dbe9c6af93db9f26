"""Create the initial schema: learners and their accounts, progress, attempts, submissions, runs, servers.

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Written from autogenerate's draft and reviewed by hand. Every moment is DateTime(timezone=True): timestamptz
on PostgreSQL; SQLite stores the UTC time as text (bot.store.models.UTCDateTime handles both). Booleans
default through sa.true()/sa.false() so each backend gets its own literal.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


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
        "learners",
        _id(),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("current_lesson", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learners")),
        sqlite_autoincrement=True,  # never reuse a forgotten learner's id
    )
    op.create_table(
        "accounts",
        _id(),
        *_learner_id("accounts"),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("platform_user_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=128), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("platform", "platform_user_id", name=op.f("uq_accounts_platform_platform_user_id")),
    )
    # Cascading deletes from learners look rows up by learner_id: index it where no other index leads with it.
    op.create_index(op.f("ix_accounts_learner_id"), "accounts", ["learner_id"])

    op.create_table(
        "lesson_progress",
        _id(),
        *_learner_id("lesson_progress"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_version", sa.Integer(), nullable=False),
        sa.Column("step_key", sa.String(length=64), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_progress")),
        sa.UniqueConstraint("learner_id", "lesson_id", name=op.f("uq_lesson_progress_learner_id_lesson_id")),
    )

    op.create_table(
        "quiz_attempts",
        _id(),
        *_learner_id("quiz_attempts"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
    )
    op.create_index("ix_quiz_attempts_learner_id_lesson_id", "quiz_attempts", ["learner_id", "lesson_id"])

    op.create_table(
        "submissions",
        _id(),
        *_learner_id("submissions"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
    )
    op.create_index(
        "ix_submissions_learner_id_lesson_id_exercise_id",
        "submissions",
        ["learner_id", "lesson_id", "exercise_id"],
    )

    op.create_table(
        "runs",
        _id(),
        *_learner_id("runs"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("duration_ms", sa.Double(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index("ix_runs_learner_id_at", "runs", ["learner_id", "at"])

    op.create_table(
        "server_settings",
        _id(),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("server_id", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("allowed_channels", sa.JSON(), nullable=False),
        sa.Column("sandbox_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("lessons_in_dm", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_settings")),
        sa.UniqueConstraint("platform", "server_id", name=op.f("uq_server_settings_platform_server_id")),
    )


def downgrade() -> None:
    # Children before the parent; dropping a table drops its indexes.
    for table in ("server_settings", "runs", "submissions", "quiz_attempts", "lesson_progress", "accounts"):
        op.drop_table(table)
    op.drop_table("learners")
