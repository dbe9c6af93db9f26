"""The store's part for server admins: server members and statistics, and lessons uploaded through chat.

A mixin of ``SqlStoreSession`` (kept apart so the main repository stays one job: a learner's own data).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ports import LessonCount, MissedQuestion, ServerStats, UploadedLesson
from bot.store.models import Base, ProgressRow, QuizAttemptRow, ServerMemberRow, UploadedLessonRow


class ServerAdminQueries:
    """Server membership, statistics and uploaded lessons over the session of ``SqlStoreSession``."""

    _session: AsyncSession
    _insert: Callable[[type[Base]], Any]  # the dialect's INSERT, provided by SqlStoreSession

    async def note_server_member(self, platform: str, server_id: str, learner_id: int, at: datetime) -> None:
        """Record that the learner used the tutor in this server (for its statistics)."""
        await self._session.execute(
            self._insert(ServerMemberRow)
            .values(platform=platform, server_id=server_id, learner_id=learner_id, first_seen=at)
            .on_conflict_do_nothing(index_elements=["platform", "server_id", "learner_id"])
        )

    async def server_stats(self, platform: str, server_id: str, top: int = 5) -> ServerStats:
        """Return the server's learners per lesson and its ``top`` most-missed questions."""
        members = (
            select(ServerMemberRow.learner_id)
            .where(ServerMemberRow.platform == platform, ServerMemberRow.server_id == server_id)
            .scalar_subquery()
        )
        learners = await self._session.scalar(
            select(func.count())
            .select_from(ServerMemberRow)
            .where(ServerMemberRow.platform == platform, ServerMemberRow.server_id == server_id)
        )
        completed = func.count(ProgressRow.completed_at)
        lesson_rows = await self._session.execute(
            select(ProgressRow.lesson_id, func.count(), completed)
            .where(ProgressRow.learner_id.in_(members))
            .group_by(ProgressRow.lesson_id)
            .order_by(func.count().desc(), ProgressRow.lesson_id)
        )
        wrong = func.sum(case((QuizAttemptRow.correct.is_(False), 1), else_=0))
        missed_rows = await self._session.execute(
            select(QuizAttemptRow.lesson_id, QuizAttemptRow.question_id, wrong, func.count())
            .where(QuizAttemptRow.learner_id.in_(members))
            .group_by(QuizAttemptRow.lesson_id, QuizAttemptRow.question_id)
            .having(wrong > 0)
            .order_by(wrong.desc(), QuizAttemptRow.lesson_id, QuizAttemptRow.question_id)
            .limit(top)
        )
        return ServerStats(
            learners=int(learners or 0),
            lessons=tuple(LessonCount(lid, int(n), int(done)) for lid, n, done in lesson_rows),
            missed=tuple(MissedQuestion(lid, qid, int(w), int(n)) for lid, qid, w, n in missed_rows),
        )

    async def save_uploaded_lesson(self, lesson: UploadedLesson) -> None:
        """Insert or replace an uploaded lesson (keyed by its id)."""
        values = {
            "source": lesson.source,
            "filename": lesson.filename,
            "uploaded_by": lesson.uploaded_by,
            "uploaded_at": lesson.uploaded_at,
            "enabled": lesson.enabled,
        }
        statement = self._insert(UploadedLessonRow).values(lesson_id=lesson.lesson_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["lesson_id"], set_=values)
        )

    async def uploaded_lessons(self) -> list[UploadedLesson]:
        """Return every uploaded lesson, enabled or not, by id."""
        rows = await self._session.scalars(
            select(UploadedLessonRow)
            .order_by(UploadedLessonRow.lesson_id)
            .execution_options(populate_existing=True)
        )
        return [
            UploadedLesson(
                lesson_id=row.lesson_id,
                source=row.source,
                filename=row.filename,
                uploaded_by=row.uploaded_by,
                uploaded_at=row.uploaded_at,
                enabled=row.enabled,
            )
            for row in rows
        ]

    async def set_uploaded_lesson_enabled(self, lesson_id: str, enabled: bool) -> bool:
        """Enable or disable an uploaded lesson; False if there is none with this id."""
        result = await self._session.execute(
            update(UploadedLessonRow)
            .where(UploadedLessonRow.lesson_id == lesson_id)
            .values(enabled=enabled)
            .returning(UploadedLessonRow.lesson_id)
        )
        return result.first() is not None

    async def remove_uploaded_lesson(self, lesson_id: str) -> bool:
        """Delete an uploaded lesson; False if there is none with this id."""
        result = await self._session.execute(
            delete(UploadedLessonRow)
            .where(UploadedLessonRow.lesson_id == lesson_id)
            .returning(UploadedLessonRow.lesson_id)
        )
        return result.first() is not None
