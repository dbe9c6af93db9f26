"""`StoreSession` over one SQLAlchemy `AsyncSession`: rows in, frozen records out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ports import Learner, PlatformUser, Progress, QuizAttempt, ServerSettings, Submission
from bot.store.linking import AccountLinkQueries
from bot.store.models import (
    NAME_LENGTH,
    AccountRow,
    Base,
    HintSeenRow,
    LearnerRow,
    ProgressRow,
    QuizAttemptRow,
    RunRow,
    ServerSettingsRow,
    SubmissionRow,
)
from bot.store.server_admin import ServerAdminQueries


def _utcnow() -> datetime:
    """Return the current moment in UTC."""
    return datetime.now(UTC)


class SqlStoreSession(ServerAdminQueries, AccountLinkQueries):
    """The store as one command sees it; every call runs in the session's single transaction."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._session = session
        self._dialect = dialect

    def _insert(self, model: type[Base]) -> Any:
        """Return the dialect's INSERT, which offers ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
        if self._dialect == "postgresql":
            return postgresql.insert(model)
        return sqlite.insert(model)

    async def learner(self, user: PlatformUser, *, lock: bool = True) -> Learner:
        """Return the learner behind this platform account, creating both on first contact; lock it."""
        row = await self._locked_learner(user, lock=lock)
        if row is None:
            await self._create_learner(user)
            row = await self._locked_learner(user, lock=lock)
            if row is None:  # pragma: no cover - the account was just created or found
                raise RuntimeError(f"account {user.platform}:{user.user_id} vanished during creation")
        return _learner(row)

    async def _locked_learner(self, user: PlatformUser, *, lock: bool = True) -> LearnerRow | None:
        """Select the account's learner, FOR UPDATE when locking (SQLite holds the write lock from BEGIN)."""
        statement = (
            select(LearnerRow)
            .join(AccountRow, AccountRow.learner_id == LearnerRow.id)
            .where(AccountRow.platform == user.platform, AccountRow.platform_user_id == user.user_id)
            .execution_options(populate_existing=True)
        )
        if lock:
            statement = statement.with_for_update(of=LearnerRow)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def _create_learner(self, user: PlatformUser) -> None:
        """Create a learner and claim the account for it; if another command claimed it first, undo ours.

        INSERT ... ON CONFLICT DO NOTHING waits for a concurrent claim of the same account to commit
        (PostgreSQL blocks on the unique index), so exactly one learner survives a race of first contacts.
        """
        now = _utcnow()
        name = user.display_name[:NAME_LENGTH]
        learner_id = await self._session.scalar(
            self._insert(LearnerRow)
            .values(display_name=name, locale=None, current_lesson=None, created_at=now)
            .returning(LearnerRow.id)
        )
        await self._session.execute(
            self._insert(AccountRow)
            .values(
                learner_id=learner_id,
                platform=user.platform,
                platform_user_id=user.user_id,
                display_name=name,
                linked_at=now,
            )
            .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
        )
        owner = await self._session.scalar(
            select(AccountRow.learner_id).where(
                AccountRow.platform == user.platform, AccountRow.platform_user_id == user.user_id
            )
        )
        if owner != learner_id:
            await self._session.execute(delete(LearnerRow).where(LearnerRow.id == learner_id))

    async def set_locale(self, learner_id: int, locale: str | None) -> None:
        """Remember the learner's chosen language."""
        await self._session.execute(
            update(LearnerRow).where(LearnerRow.id == learner_id).values(locale=locale)
        )

    async def set_current_lesson(self, learner_id: int, lesson_id: str | None) -> None:
        """Remember which lesson ``/next`` and ``/back`` act on."""
        await self._session.execute(
            update(LearnerRow).where(LearnerRow.id == learner_id).values(current_lesson=lesson_id)
        )

    async def progress(self, learner_id: int, lesson_id: str) -> Progress | None:
        """Return the learner's progress in one lesson, if started."""
        row = await self._session.scalar(
            select(ProgressRow)
            .where(ProgressRow.learner_id == learner_id, ProgressRow.lesson_id == lesson_id)
            .execution_options(populate_existing=True)
        )
        return None if row is None else _progress(row)

    async def all_progress(self, learner_id: int) -> list[Progress]:
        """Return the learner's progress in every lesson started, earliest started first."""
        rows = await self._session.scalars(
            select(ProgressRow)
            .where(ProgressRow.learner_id == learner_id)
            .order_by(ProgressRow.started_at, ProgressRow.id)
            .execution_options(populate_existing=True)
        )
        return [_progress(row) for row in rows]

    async def save_progress(self, learner_id: int, progress: Progress) -> None:
        """Insert or update the learner's progress in ``progress.lesson_id``."""
        values = {
            "lesson_version": progress.lesson_version,
            "step_key": progress.step_key,
            "step_index": progress.step_index,
            "started_at": progress.started_at,
            "updated_at": progress.updated_at,
            "completed_at": progress.completed_at,
        }
        statement = self._insert(ProgressRow).values(
            learner_id=learner_id, lesson_id=progress.lesson_id, **values
        )
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["learner_id", "lesson_id"], set_=values)
        )

    async def reset_lesson(self, learner_id: int, lesson_id: str) -> None:
        """Forget progress, attempts, submissions and hints seen of one lesson."""
        for model in (ProgressRow, QuizAttemptRow, SubmissionRow, HintSeenRow):
            await self._session.execute(
                delete(model).where(model.learner_id == learner_id, model.lesson_id == lesson_id)
            )

    async def add_quiz_attempt(self, learner_id: int, attempt: QuizAttempt) -> None:
        """Record one answer."""
        self._session.add(
            QuizAttemptRow(
                learner_id=learner_id,
                lesson_id=attempt.lesson_id,
                question_id=attempt.question_id,
                answer=attempt.answer,
                correct=attempt.correct,
                at=attempt.at,
            )
        )
        await self._session.flush()

    async def quiz_attempts(self, learner_id: int, lesson_id: str) -> list[QuizAttempt]:
        """Return the learner's answers in one lesson, oldest first."""
        rows = await self._session.scalars(
            select(QuizAttemptRow)
            .where(QuizAttemptRow.learner_id == learner_id, QuizAttemptRow.lesson_id == lesson_id)
            .order_by(QuizAttemptRow.at, QuizAttemptRow.id)
        )
        return [
            QuizAttempt(
                lesson_id=row.lesson_id,
                question_id=row.question_id,
                answer=row.answer,
                correct=row.correct,
                at=row.at,
            )
            for row in rows
        ]

    async def add_submission(self, learner_id: int, submission: Submission) -> None:
        """Record one exercise submission."""
        self._session.add(
            SubmissionRow(
                learner_id=learner_id,
                lesson_id=submission.lesson_id,
                exercise_id=submission.exercise_id,
                status=submission.status,
                passed=submission.passed,
                at=submission.at,
            )
        )
        await self._session.flush()

    async def submissions(self, learner_id: int, lesson_id: str, exercise_id: str) -> list[Submission]:
        """Return the learner's submissions for one exercise, oldest first."""
        rows = await self._session.scalars(
            select(SubmissionRow)
            .where(
                SubmissionRow.learner_id == learner_id,
                SubmissionRow.lesson_id == lesson_id,
                SubmissionRow.exercise_id == exercise_id,
            )
            .order_by(SubmissionRow.at, SubmissionRow.id)
        )
        return [
            Submission(
                lesson_id=row.lesson_id,
                exercise_id=row.exercise_id,
                status=row.status,
                passed=row.passed,
                at=row.at,
            )
            for row in rows
        ]

    async def next_hint(self, learner_id: int, lesson_id: str, exercise_id: str, available: int) -> int:
        """Return the 0-based hint to show now (the next unseen one, else the last) and count it as seen."""
        where = (
            HintSeenRow.learner_id == learner_id,
            HintSeenRow.lesson_id == lesson_id,
            HintSeenRow.exercise_id == exercise_id,
        )
        seen = await self._session.scalar(select(HintSeenRow.count).where(*where))
        shown = min(seen or 0, available - 1)
        statement = self._insert(HintSeenRow).values(
            learner_id=learner_id, lesson_id=lesson_id, exercise_id=exercise_id, count=shown + 1
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["learner_id", "lesson_id", "exercise_id"], set_={"count": shown + 1}
            )
        )
        return shown

    async def add_run(self, learner_id: int, status: str, duration_ms: float, at: datetime) -> None:
        """Record one sandbox run (for rate limits and statistics)."""
        self._session.add(RunRow(learner_id=learner_id, status=status, duration_ms=duration_ms, at=at))
        await self._session.flush()

    async def runs_since(self, learner_id: int, since: datetime) -> int:
        """Count the learner's runs since a moment (inclusive)."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(RunRow)
            .where(RunRow.learner_id == learner_id, RunRow.at >= since)
        )
        return int(count or 0)

    async def server_settings(self, platform: str, server_id: str) -> ServerSettings:
        """Return a server's settings (defaults if never set)."""
        row = await self._session.scalar(
            select(ServerSettingsRow)
            .where(ServerSettingsRow.platform == platform, ServerSettingsRow.server_id == server_id)
            .execution_options(populate_existing=True)
        )
        if row is None:
            return ServerSettings(platform=platform, server_id=server_id)
        return ServerSettings(
            platform=row.platform,
            server_id=row.server_id,
            locale=row.locale,
            allowed_channels=frozenset(row.allowed_channels),
            sandbox_enabled=row.sandbox_enabled,
            lessons_in_dm=row.lessons_in_dm,
        )

    async def save_server_settings(self, settings: ServerSettings) -> None:
        """Insert or update a server's settings."""
        values = {
            "locale": settings.locale,
            "allowed_channels": sorted(settings.allowed_channels),
            "sandbox_enabled": settings.sandbox_enabled,
            "lessons_in_dm": settings.lessons_in_dm,
        }
        statement = self._insert(ServerSettingsRow).values(
            platform=settings.platform, server_id=settings.server_id, **values
        )
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["platform", "server_id"], set_=values)
        )

    async def forget_learner(self, learner_id: int) -> None:
        """Delete the learner and everything recorded about them (the foreign keys cascade)."""
        await self._session.execute(delete(LearnerRow).where(LearnerRow.id == learner_id))
        # Rows of this learner loaded earlier in the session are gone now; don't let the ORM reuse them.
        self._session.expunge_all()


def _learner(row: LearnerRow) -> Learner:
    """Map a learner row to its record."""
    return Learner(
        id=row.id, display_name=row.display_name, locale=row.locale, current_lesson=row.current_lesson
    )


def _progress(row: ProgressRow) -> Progress:
    """Map a progress row to its record."""
    return Progress(
        lesson_id=row.lesson_id,
        lesson_version=row.lesson_version,
        step_key=row.step_key,
        step_index=row.step_index,
        started_at=row.started_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
    )
