"""The database schema as SQLAlchemy 2 typed models; migrations in ``migrations/`` must match it.

Every moment is a timezone-aware UTC ``datetime`` in Python. PostgreSQL stores ``timestamptz``; SQLite has
no time zone type, so the same UTC wall-clock time is stored without an offset and read back as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Constraint names must be deterministic so that migrations can refer to them (SQLite batch mode needs
# names to drop or alter a constraint); this is the convention from SQLAlchemy's constraints docs.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Short identifiers: lesson, step and question ids are at most 32 characters by the lesson format, and
# platform ids (Discord snowflakes, Telegram int64, OS user names) are shorter than 64.
ID_LENGTH = 64
NAME_LENGTH = 128


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, always returned in UTC whatever the backend stores."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes (their zone is a guess) and normalise to UTC."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Attach UTC where the backend dropped the offset (SQLite), convert otherwise."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """The declarative base: shared metadata with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def _learner_fk() -> Mapped[int]:
    """Return a learner reference whose rows go when the learner does."""
    return mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), nullable=False)


class LearnerRow(Base):
    """One person, possibly reached through several platform accounts."""

    __tablename__ = "learners"
    # SQLite would otherwise reuse the id of a forgotten learner with the highest id for the next one.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    locale: Mapped[str | None] = mapped_column(String(16))
    current_lesson: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    created_at: Mapped[datetime]
    # The learner's latest run of consecutive active days (``activity_days``), kept up as days are noted:
    # the dashboard counts every current streak from these alone, without reading every active day.
    streak_end: Mapped[date | None] = mapped_column(Date, index=True)
    streak_days: Mapped[int] = mapped_column(Integer, server_default="0")


class AccountRow(Base):
    """A platform account (Discord, Telegram, console user) belonging to a learner."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), nullable=False, index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    display_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    linked_at: Mapped[datetime]


class ProgressRow(Base):
    """Where a learner stands in one lesson, and the furthest step they reached there.

    ``/back`` moves the current step; the dashboard's funnel counts the furthest.
    """

    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("learner_id", "lesson_id"),
        Index("ix_lesson_progress_lesson_id_furthest_index", "lesson_id", "furthest_index"),
        Index("ix_lesson_progress_updated_at", "updated_at"),
        # The course card counts learners per lesson from this index alone (benchmarks/course_card.py).
        Index(
            "ix_lesson_progress_lesson_id_learner_id_completed_at", "lesson_id", "learner_id", "completed_at"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    lesson_version: Mapped[int]
    step_key: Mapped[str] = mapped_column(String(ID_LENGTH))
    step_index: Mapped[int]
    furthest_index: Mapped[int] = mapped_column(Integer, server_default="0")
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class QuizAttemptRow(Base):
    """One answer to a quiz or numeric question."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_learner_id_lesson_id", "learner_id", "lesson_id"),
        # Covers the dashboard's question statistics, so they are read from the index alone.
        Index(
            "ix_quiz_attempts_lesson_id_question_id",
            "lesson_id",
            "question_id",
            "correct",
            "answer",
            "learner_id",
        ),
        Index("ix_quiz_attempts_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    answer: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]


class SubmissionRow(Base):
    """One graded exercise submission."""

    __tablename__ = "submissions"
    __table_args__ = (
        Index("ix_submissions_learner_id_lesson_id_exercise_id", "learner_id", "lesson_id", "exercise_id"),
        Index("ix_submissions_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    exercise_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    status: Mapped[str] = mapped_column(String(16))
    passed: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]


class RunRow(Base):
    """One sandbox run, kept for rate limits and statistics."""

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_learner_id_at", "learner_id", "at"), Index("ix_runs_at", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    status: Mapped[str] = mapped_column(String(16))
    duration_ms: Mapped[float]
    at: Mapped[datetime]


class ServerSettingsRow(Base):
    """Settings of one Discord guild or Telegram group."""

    __tablename__ = "server_settings"
    __table_args__ = (UniqueConstraint("platform", "server_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    server_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    locale: Mapped[str | None] = mapped_column(String(16))
    allowed_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    sandbox_enabled: Mapped[bool] = mapped_column(Boolean, server_default=true())
    lessons_in_dm: Mapped[bool] = mapped_column(Boolean, server_default=false())


class HintSeenRow(Base):
    """How many hints of one exercise a learner has been shown, so ``/hint`` survives restarts."""

    __tablename__ = "hints_seen"
    __table_args__ = (UniqueConstraint("learner_id", "lesson_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    exercise_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    count: Mapped[int]


class LinkCodeRow(Base):
    """A one-time code that joins a learner's account on another platform to this learner."""

    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    platform: Mapped[str] = mapped_column(String(16))  # where the code was issued
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class UploadedLessonRow(Base):
    """A lesson file uploaded through an admin command; it overlays the lesson folders' files."""

    __tablename__ = "uploaded_lessons"

    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # the YAML text as uploaded
    filename: Mapped[str] = mapped_column(String(NAME_LENGTH))
    uploaded_by: Mapped[str] = mapped_column(String(NAME_LENGTH))  # platform:user_id
    uploaded_at: Mapped[datetime]
    enabled: Mapped[bool] = mapped_column(Boolean, server_default=true())


class ServerMemberRow(Base):
    """A learner seen using the tutor in a server; a server's statistics count its members."""

    __tablename__ = "server_members"
    __table_args__ = (UniqueConstraint("platform", "server_id", "learner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    server_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), nullable=False, index=True
    )
    first_seen: Mapped[datetime]


class RunClaimRow(Base):
    """The run a learner has in flight, if any: one claim per learner, held by its token until it expires.

    Claims keep the one-run-at-a-time rule across bot processes; an expired claim (its process crashed)
    is taken over by the next run.
    """

    __tablename__ = "run_claims"
    __table_args__ = (UniqueConstraint("learner_id"), UniqueConstraint("token"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    token: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class DashboardKeyRow(Base):
    """The dashboard's signing key, made on first use and shared by every bot process."""

    __tablename__ = "dashboard_keys"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret: Mapped[str] = mapped_column(String(128))  # hex
    created_at: Mapped[datetime]


class DashboardLoginRow(Base):
    """A one-time dashboard login link handed out in chat; only the hash of its token is kept."""

    __tablename__ = "dashboard_logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(ID_LENGTH + 20))  # "all" or "platform:server_id"
    admin: Mapped[str] = mapped_column(String(NAME_LENGTH))  # platform:user_id
    admin_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    locale: Mapped[str] = mapped_column(String(16))
    moderate: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DashboardSessionRow(Base):
    """A browser signed in to the dashboard; only the hash of its cookie is kept."""

    __tablename__ = "dashboard_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(ID_LENGTH + 20))
    admin: Mapped[str] = mapped_column(String(NAME_LENGTH))
    admin_name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    locale: Mapped[str] = mapped_column(String(16))
    moderate: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


REVIEW_LENGTH = 300
"""The most characters a review may have (the handbook's course page allows as many)."""
TIME_ZONE_LENGTH = 64


class LessonRatingRow(Base):
    """A learner's rating of one lesson, 1 to 5 stars; one per learner and lesson, changed by rating again."""

    __tablename__ = "lesson_ratings"
    __table_args__ = (
        UniqueConstraint("learner_id", "lesson_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
        Index("ix_lesson_ratings_lesson_id_stars", "lesson_id", "stars"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    stars: Mapped[int]
    rated_at: Mapped[datetime]


class LessonReviewRow(Base):
    """A learner's review of one lesson; one per learner and lesson, editable, moderated by admins.

    ``featured_at`` is set while an admin features it on the course card; ``hidden`` keeps it from every
    list but the admins'.
    """

    __tablename__ = "lesson_reviews"
    __table_args__ = (
        UniqueConstraint("learner_id", "lesson_id"),
        Index("ix_lesson_reviews_featured_at", "featured_at"),
        Index("ix_lesson_reviews_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    featured_at: Mapped[datetime | None]
    hidden: Mapped[bool] = mapped_column(Boolean, server_default=false())


class PracticeCardRow(Base):
    """A question a learner answered wrongly, in their practice deck, with its FSRS schedule.

    ``state``, ``step``, ``stability``, ``difficulty``, ``due`` and ``last_review`` are the FSRS card's
    fields; ``asked_at`` is set while the question is asked and not yet answered.
    """

    __tablename__ = "practice_cards"
    __table_args__ = (
        UniqueConstraint("learner_id", "lesson_id", "question_id"),
        Index("ix_practice_cards_learner_id_due", "learner_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    question_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    state: Mapped[int]
    step: Mapped[int | None]
    stability: Mapped[float | None]
    difficulty: Mapped[float | None]
    due: Mapped[datetime]
    last_review: Mapped[datetime | None]
    reviews: Mapped[int] = mapped_column(Integer, server_default="0")
    lapses: Mapped[int] = mapped_column(Integer, server_default="0")
    added_at: Mapped[datetime]
    asked_at: Mapped[datetime | None]


class ActivityDayRow(Base):
    """A day (in the learner's time zone then) on which the learner did something that counts for a streak."""

    __tablename__ = "activity_days"
    __table_args__ = (
        UniqueConstraint("learner_id", "day"),
        # The dashboard counts learners active since a day from this index alone.
        Index("ix_activity_days_day_learner_id", "day", "learner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    day: Mapped[date] = mapped_column(Date)


class ActivityPointRow(Base):
    """Points earned once per thing done (a step, a question, an exercise); weekly boards sum them."""

    __tablename__ = "activity_points"
    __table_args__ = (
        UniqueConstraint("learner_id", "kind", "lesson_id", "item_id"),
        Index("ix_activity_points_at_learner_id", "at", "learner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    kind: Mapped[str] = mapped_column(String(16))
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    item_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    points: Mapped[int]
    at: Mapped[datetime]


class LeaderboardHiddenRow(Base):
    """A learner who chose ``/leaderboard hide``: left out of every board until ``/leaderboard show``."""

    __tablename__ = "leaderboard_hidden"
    __table_args__ = (UniqueConstraint("learner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    since: Mapped[datetime]


class ReminderRow(Base):
    """A learner's clock: their time zone and, when on, their daily reminder.

    ``minute`` is the local minute of the day to remind at (None: off), sent to the account
    ``platform``/``user_id``; ``next_at`` is the next moment it is due, which the process that sends it
    moves forward in the same statement that claims it, so no two processes send the same reminder.
    """

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("learner_id"), Index("ix_reminders_next_at", "next_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    time_zone: Mapped[str] = mapped_column(String(TIME_ZONE_LENGTH), server_default="UTC")
    minute: Mapped[int | None]
    platform: Mapped[str | None] = mapped_column(String(16))
    user_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    next_at: Mapped[datetime | None]
    last_sent_at: Mapped[datetime | None]


class NotebookRow(Base):
    """When a learner last ran code in their notebook: an idle notebook starts over."""

    __tablename__ = "notebooks"
    __table_args__ = (UniqueConstraint("learner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    used_at: Mapped[datetime]


class NotebookCellRow(Base):
    """One kept cell of a learner's notebook, replayed (with its seed) before their next free run."""

    __tablename__ = "notebook_cells"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the cells' order
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code: Mapped[str] = mapped_column(Text)
    seed: Mapped[int] = mapped_column(BigInteger)  # the sandbox's seeds go up to 2**63 - 1
    cpu_ms: Mapped[float]
    created_at: Mapped[datetime]


class PollRow(Base):
    """A native quiz poll a front end sent, and the action each of its options stands for.

    Kept in the database so that a poll answered after a restart, or through another bot process, is
    still understood.
    """

    __tablename__ = "polls"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    poll_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    actions: Mapped[list[str]] = mapped_column(JSON)
    sent_at: Mapped[datetime] = mapped_column(index=True)
