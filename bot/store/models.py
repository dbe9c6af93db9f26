"""The database schema as SQLAlchemy 2 typed models; migrations in ``migrations/`` must match it.

Every moment is a timezone-aware UTC ``datetime`` in Python. PostgreSQL stores ``timestamptz``; SQLite has
no time zone type, so the same UTC wall-clock time is stored without an offset and read back as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
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
    """Where a learner stands in one lesson."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("learner_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = _learner_fk()
    lesson_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    lesson_version: Mapped[int]
    step_key: Mapped[str] = mapped_column(String(ID_LENGTH))
    step_index: Mapped[int]
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class QuizAttemptRow(Base):
    """One answer to a quiz or numeric question."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_learner_id_lesson_id", "learner_id", "lesson_id"),)

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
    __table_args__ = (Index("ix_runs_learner_id_at", "learner_id", "at"),)

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
