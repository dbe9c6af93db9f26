"""Add the course's loops: ratings and reviews, practice decks, active days, points, boards, reminders.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Written by hand after the models (``LessonRatingRow``, ``LessonReviewRow``, ``PracticeCardRow``,
``ActivityDayRow``, ``ActivityPointRow``, ``LeaderboardHiddenRow``, ``ReminderRow``, and the course card's
index on ``lesson_progress``) and checked with ``alembic check``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _learner(table: str) -> tuple[sa.Column, sa.ForeignKeyConstraint]:
    return (
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f(f"fk_{table}_learner_id_learners"), ondelete="CASCADE"
        ),
    )


def upgrade() -> None:
    op.create_index(
        op.f("ix_lesson_progress_lesson_id_learner_id_completed_at"),
        "lesson_progress",
        ["lesson_id", "learner_id", "completed_at"],
        unique=False,
    )
    op.create_table(
        "lesson_ratings",
        _id(),
        *_learner("lesson_ratings"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_lesson_ratings_stars_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_ratings")),
        sa.UniqueConstraint("learner_id", "lesson_id", name=op.f("uq_lesson_ratings_learner_id_lesson_id")),
    )
    op.create_index(
        op.f("ix_lesson_ratings_lesson_id_stars"), "lesson_ratings", ["lesson_id", "stars"], unique=False
    )
    op.create_table(
        "lesson_reviews",
        _id(),
        *_learner("lesson_reviews"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("featured_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_reviews")),
        sa.UniqueConstraint("learner_id", "lesson_id", name=op.f("uq_lesson_reviews_learner_id_lesson_id")),
    )
    op.create_index(op.f("ix_lesson_reviews_featured_at"), "lesson_reviews", ["featured_at"], unique=False)
    op.create_index(op.f("ix_lesson_reviews_updated_at"), "lesson_reviews", ["updated_at"], unique=False)
    op.create_table(
        "practice_cards",
        _id(),
        *_learner("practice_cards"),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Double(), nullable=True),
        sa.Column("difficulty", sa.Double(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviews", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lapses", sa.Integer(), server_default="0", nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_cards")),
        sa.UniqueConstraint(
            "learner_id",
            "lesson_id",
            "question_id",
            name=op.f("uq_practice_cards_learner_id_lesson_id_question_id"),
        ),
    )
    op.create_index(
        op.f("ix_practice_cards_learner_id_due"), "practice_cards", ["learner_id", "due"], unique=False
    )
    op.create_table(
        "activity_days",
        _id(),
        *_learner("activity_days"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_days")),
        sa.UniqueConstraint("learner_id", "day", name=op.f("uq_activity_days_learner_id_day")),
    )
    op.create_table(
        "activity_points",
        _id(),
        *_learner("activity_points"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=64), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_points")),
        sa.UniqueConstraint(
            "learner_id",
            "kind",
            "lesson_id",
            "item_id",
            name=op.f("uq_activity_points_learner_id_kind_lesson_id_item_id"),
        ),
    )
    op.create_index(
        op.f("ix_activity_points_at_learner_id"), "activity_points", ["at", "learner_id"], unique=False
    )
    op.create_table(
        "leaderboard_hidden",
        _id(),
        *_learner("leaderboard_hidden"),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leaderboard_hidden")),
        sa.UniqueConstraint("learner_id", name=op.f("uq_leaderboard_hidden_learner_id")),
    )
    op.create_table(
        "reminders",
        _id(),
        *_learner("reminders"),
        sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("minute", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=16), nullable=True),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("learner_id", name=op.f("uq_reminders_learner_id")),
    )
    op.create_index(op.f("ix_reminders_next_at"), "reminders", ["next_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reminders_next_at"), table_name="reminders")
    op.drop_table("reminders")
    op.drop_table("leaderboard_hidden")
    op.drop_index(op.f("ix_activity_points_at_learner_id"), table_name="activity_points")
    op.drop_table("activity_points")
    op.drop_table("activity_days")
    op.drop_index(op.f("ix_practice_cards_learner_id_due"), table_name="practice_cards")
    op.drop_table("practice_cards")
    op.drop_index(op.f("ix_lesson_reviews_updated_at"), table_name="lesson_reviews")
    op.drop_index(op.f("ix_lesson_reviews_featured_at"), table_name="lesson_reviews")
    op.drop_table("lesson_reviews")
    op.drop_index(op.f("ix_lesson_ratings_lesson_id_stars"), table_name="lesson_ratings")
    op.drop_table("lesson_ratings")
    op.drop_index(op.f("ix_lesson_progress_lesson_id_learner_id_completed_at"), table_name="lesson_progress")
