"""Per-server settings, the learners seen in each server, and the statistics its admins see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, func, select

from bot.core.ports import LessonCount, LessonRating, MissedQuestion, ServerSettings, ServerStats, StopPoint
from bot.store.models import LessonRatingRow, ProgressRow, QuizAttemptRow, ServerMemberRow, ServerSettingsRow
from bot.store.repositories.base import Repository


class SqlServers(Repository):
    """The ``Servers`` area over SQL."""

    async def settings(self, platform: str, server_id: str) -> ServerSettings:
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

    async def save_settings(self, settings: ServerSettings) -> None:
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

    async def note_member(self, platform: str, server_id: str, learner_id: int, at: datetime) -> None:
        """Record that the learner used the tutor in this server (for its statistics)."""
        await self._session.execute(
            self._insert(ServerMemberRow)
            .values(platform=platform, server_id=server_id, learner_id=learner_id, first_seen=at)
            .on_conflict_do_nothing(index_elements=["platform", "server_id", "learner_id"])
        )

    async def stats(self, platform: str, server_id: str, top: int = 5) -> ServerStats:
        """Return the server's learners per lesson, most-missed questions, ratings and stopping points."""
        in_server = (ServerMemberRow.platform == platform, ServerMemberRow.server_id == server_id)
        members = select(ServerMemberRow.learner_id).where(*in_server).scalar_subquery()
        learners = await self._session.scalar(
            select(func.count()).select_from(ServerMemberRow).where(*in_server)
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
        rating_rows = await self._session.execute(
            select(LessonRatingRow.lesson_id, func.count(), func.sum(LessonRatingRow.stars))
            .where(LessonRatingRow.learner_id.in_(members))
            .group_by(LessonRatingRow.lesson_id)
            .order_by(LessonRatingRow.lesson_id)
        )
        stop_rows = await self._session.execute(
            select(
                ProgressRow.lesson_id, ProgressRow.step_key, func.min(ProgressRow.step_index), func.count()
            )
            .where(ProgressRow.learner_id.in_(members), ProgressRow.completed_at.is_(None))
            .group_by(ProgressRow.lesson_id, ProgressRow.step_key)
            .order_by(func.count().desc(), ProgressRow.lesson_id, ProgressRow.step_key)
            .limit(top)
        )
        return ServerStats(
            learners=int(learners or 0),
            lessons=tuple(LessonCount(lid, int(n), int(done)) for lid, n, done in lesson_rows),
            missed=tuple(MissedQuestion(lid, qid, int(w), int(n)) for lid, qid, w, n in missed_rows),
            ratings=tuple(LessonRating(lid, int(n), int(stars)) for lid, n, stars in rating_rows),
            stops=tuple(StopPoint(lid, key, int(index), int(n)) for lid, key, index, n in stop_rows),
        )
