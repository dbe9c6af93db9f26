"""Read what the store holds, for assertions: straight from the tables, never through the code under test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select

from bot.core.ports import PlatformUser, ServerSettings, UploadedLesson
from bot.store import SqlStore, SqlStoreSession
from bot.store.models import (
    AccountRow,
    LearnerRow,
    ProgressRow,
    QuizAttemptRow,
    RunClaimRow,
    RunRow,
    SubmissionRow,
)


async def _rows(store: SqlStore, statement: Any) -> list[Any]:
    async with store.engine.connect() as connection:
        return list((await connection.execute(statement)).all())


async def count(store: SqlStore, model: Any) -> int:
    """Return how many rows a table has."""
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def learner_id(store: SqlStore, user: PlatformUser) -> int | None:
    """Return the id of the learner behind an account, if the account exists."""
    rows = await _rows(
        store,
        select(AccountRow.learner_id).where(
            AccountRow.platform == user.platform, AccountRow.platform_user_id == user.user_id
        ),
    )
    return rows[0][0] if rows else None


async def current_lesson(store: SqlStore, user: PlatformUser) -> str | None:
    """Return the current lesson of the learner behind an account."""
    found = await learner_id(store, user)
    rows = await _rows(store, select(LearnerRow.current_lesson).where(LearnerRow.id == found))
    return rows[0][0] if rows else None


async def runs(store: SqlStore) -> list[tuple[int, str, float]]:
    """Return every recorded run as (learner id, status, duration in ms), oldest first."""
    rows = await _rows(
        store, select(RunRow.learner_id, RunRow.status, RunRow.duration_ms).order_by(RunRow.id)
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def claims(store: SqlStore) -> list[int]:
    """Return the learners that hold a run claim."""
    return [row[0] for row in await _rows(store, select(RunClaimRow.learner_id))]


async def attempts(store: SqlStore) -> list[tuple[str, str, bool]]:
    """Return every answer as (question id, answer, correct), oldest first."""
    rows = await _rows(
        store,
        select(QuizAttemptRow.question_id, QuizAttemptRow.answer, QuizAttemptRow.correct).order_by(
            QuizAttemptRow.id
        ),
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def submissions(store: SqlStore) -> list[tuple[str, bool]]:
    """Return every submission as (exercise id, passed), oldest first."""
    rows = await _rows(
        store, select(SubmissionRow.exercise_id, SubmissionRow.passed).order_by(SubmissionRow.id)
    )
    return [(row[0], row[1]) for row in rows]


async def progress_steps(store: SqlStore) -> list[tuple[int, str, int]]:
    """Return every progress row as (learner id, lesson id, step index)."""
    rows = await _rows(store, select(ProgressRow.learner_id, ProgressRow.lesson_id, ProgressRow.step_index))
    return [(row[0], row[1], row[2]) for row in rows]


async def server(store: SqlStore, platform: str, server_id: str) -> ServerSettings:
    """Return a server's settings as the store has them."""
    async with store.session() as session:
        return await session.servers.settings(platform, server_id)


async def save_server(store: SqlStore, settings: ServerSettings) -> None:
    """Set a server's settings, as its admins would have."""
    async with store.session() as session:
        await session.servers.save_settings(settings)


async def uploads(store: SqlStore) -> dict[str, UploadedLesson]:
    """Return the uploaded lessons by id."""
    async with store.session() as session:
        return {lesson.lesson_id: lesson for lesson in await session.uploads.all()}


class CountingStore:
    """Wraps a store to count the sessions opened, and those open right now."""

    def __init__(self, inner: SqlStore) -> None:
        self.inner = inner
        self.opened = 0
        self.open_now = 0

    @asynccontextmanager
    async def session(self) -> AsyncIterator[SqlStoreSession]:
        self.opened += 1
        self.open_now += 1
        try:
            async with self.inner.session() as session:
                yield session
        finally:
            self.open_now -= 1
