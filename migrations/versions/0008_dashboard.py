"""Add the web dashboard's tables (signing key, login links, sessions), the furthest step reached per
lesson, and the indexes its pages read through (on the course's active days too).

Revision ID: 0008
Revises: 0007 (0004 until the course migration was merged; the lead re-chains)
Create Date: 2026-12-04

Written by hand after the models and checked with ``alembic check``. ``furthest_index`` starts as the
current step of every existing progress row: the best that is known of where learners got to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GRANT = (
    ("scope", sa.String(length=84)),
    ("admin", sa.String(length=128)),
    ("admin_name", sa.String(length=128)),
    ("locale", sa.String(length=16)),
    ("moderate", sa.Boolean()),
)


def _grant() -> list[sa.Column]:
    return [sa.Column(name, kind, nullable=False) for name, kind in _GRANT]


def upgrade() -> None:
    op.create_table(
        "dashboard_keys",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_dashboard_keys")),
    )
    op.create_table(
        "dashboard_logins",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        *_grant(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_dashboard_logins")),
    )
    op.create_table(
        "dashboard_sessions",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        *_grant(),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_dashboard_sessions")),
    )
    with op.batch_alter_table("lesson_progress") as batch:
        batch.add_column(sa.Column("furthest_index", sa.Integer(), server_default="0", nullable=False))
    op.execute("UPDATE lesson_progress SET furthest_index = step_index")
    op.create_index(
        "ix_lesson_progress_lesson_id_furthest_index", "lesson_progress", ["lesson_id", "furthest_index"]
    )
    op.create_index("ix_lesson_progress_updated_at", "lesson_progress", ["updated_at"])
    op.create_index(
        "ix_quiz_attempts_lesson_id_question_id",
        "quiz_attempts",
        ["lesson_id", "question_id", "correct", "answer", "learner_id"],
    )
    op.create_index("ix_activity_days_day_learner_id", "activity_days", ["day", "learner_id"])
    op.create_index("ix_quiz_attempts_at", "quiz_attempts", ["at"])
    op.create_index("ix_submissions_at", "submissions", ["at"])
    op.create_index("ix_runs_at", "runs", ["at"])


def downgrade() -> None:
    op.drop_index("ix_runs_at", table_name="runs")
    op.drop_index("ix_submissions_at", table_name="submissions")
    op.drop_index("ix_quiz_attempts_at", table_name="quiz_attempts")
    op.drop_index("ix_activity_days_day_learner_id", table_name="activity_days")
    op.drop_index("ix_quiz_attempts_lesson_id_question_id", table_name="quiz_attempts")
    op.drop_index("ix_lesson_progress_updated_at", table_name="lesson_progress")
    op.drop_index("ix_lesson_progress_lesson_id_furthest_index", table_name="lesson_progress")
    with op.batch_alter_table("lesson_progress") as batch:
        batch.drop_column("furthest_index")
    op.drop_table("dashboard_sessions")
    op.drop_table("dashboard_logins")
    op.drop_table("dashboard_keys")
