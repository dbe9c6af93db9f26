"""The dashboard's read model: learning in a scope (one server's learners, or everyone's), counted in SQL.

A server's learners are those seen using the tutor there (``server_members``); every query of a server
scope is limited to them with one ``learner_id IN (members)`` condition, so no page can reach past it.
Counts are grouped in the database; only one page of learners, or one lesson's questions, comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, distinct, func, literal, select, true
from sqlalchemy.orm import InstrumentedAttribute

from bot.core.ports import LessonRating, Review
from bot.core.ports.dashboard import (
    Activity,
    FurthestStep,
    LearnerPage,
    LearnerSummary,
    LessonReach,
    LessonState,
    QuestionStats,
    ReviewPage,
    RunHour,
    Scope,
    Streak,
    Streaks,
)
from bot.store.models import (
    ActivityDayRow,
    LearnerRow,
    LessonRatingRow,
    LessonReviewRow,
    ProgressRow,
    QuizAttemptRow,
    RunRow,
    ServerMemberRow,
)
from bot.store.repositories.base import Repository

_HOUR_S = 3600
_STATE_COLUMNS = (
    ProgressRow.learner_id,
    ProgressRow.lesson_id,
    ProgressRow.step_index,
    ProgressRow.furthest_index,
    ProgressRow.completed_at,
    ProgressRow.updated_at,
)


class SqlInsights(Repository):
    """The ``Insights`` area over SQL."""

    def _in_scope(self, learner_id: InstrumentedAttribute[int] | ColumnElement[int], scope: Scope) -> Any:
        """Return the condition that keeps a row to the scope's learners."""
        if scope.everyone:
            return true()
        members = select(ServerMemberRow.learner_id).where(
            ServerMemberRow.platform == scope.platform, ServerMemberRow.server_id == scope.server_id
        )
        return learner_id.in_(members)

    async def activity(self, scope: Scope, today: date, week: date) -> Activity:
        """Count the scope's learners and those active on or after ``today`` and ``week``."""
        learners = await self._session.scalar(
            select(func.count()).select_from(LearnerRow).where(self._in_scope(LearnerRow.id, scope))
        )
        # One row per learner and active day: counting distinct learners reads only the window's rows.
        since = min(today, week)
        latest = (
            select(ActivityDayRow.learner_id, func.max(ActivityDayRow.day).label("day"))
            .where(ActivityDayRow.day >= since, self._in_scope(ActivityDayRow.learner_id, scope))
            .group_by(ActivityDayRow.learner_id)
            .subquery()
        )
        row = (
            await self._session.execute(
                select(
                    func.coalesce(func.sum(case((latest.c.day >= week, 1), else_=0)), 0),
                    func.coalesce(func.sum(case((latest.c.day >= today, 1), else_=0)), 0),
                )
            )
        ).one()
        return Activity(learners=int(learners or 0), active_week=int(row[0]), active_today=int(row[1]))

    async def runs_by_hour(self, scope: Scope, since: datetime) -> list[RunHour]:
        """Count the scope's runs since a moment by hour (UTC) and status, oldest hour first."""
        bucket = self._hour(RunRow.at)
        rows = await self._session.execute(
            select(bucket, RunRow.status, func.count())
            .where(RunRow.at >= since, self._in_scope(RunRow.learner_id, scope))
            .group_by(bucket, RunRow.status)
            .order_by(bucket, RunRow.status)
        )
        return [
            RunHour(datetime.fromtimestamp(int(hour) * _HOUR_S, UTC), status, int(runs))
            for hour, status, runs in rows
        ]

    def _hour(self, column: InstrumentedAttribute[datetime]) -> ColumnElement[Any]:
        """Return the hours since the epoch of a moment, whatever the session's time zone."""
        if self._dialect == "postgresql":
            return cast(func.floor(func.extract("epoch", column) / _HOUR_S), Integer)
        # SQLite keeps UTC wall-clock text; strftime('%s') reads it as UTC seconds.
        return cast(func.strftime("%s", column), Integer) // _HOUR_S

    async def lessons(self, scope: Scope) -> list[LessonReach]:
        """Count, per lesson, the scope's learners who started and who completed it."""
        rows = await self._session.execute(
            select(ProgressRow.lesson_id, func.count(), func.count(ProgressRow.completed_at))
            .where(self._in_scope(ProgressRow.learner_id, scope))
            .group_by(ProgressRow.lesson_id)
            .order_by(ProgressRow.lesson_id)
        )
        return [LessonReach(lesson_id, int(started), int(done)) for lesson_id, started, done in rows]

    async def furthest_steps(self, scope: Scope, lesson_id: str) -> list[FurthestStep]:
        """Count the scope's learners of one lesson by the furthest step they reached, by step."""
        rows = await self._session.execute(
            select(ProgressRow.furthest_index, func.count(), func.count(ProgressRow.completed_at))
            .where(ProgressRow.lesson_id == lesson_id, self._in_scope(ProgressRow.learner_id, scope))
            .group_by(ProgressRow.furthest_index)
            .order_by(ProgressRow.furthest_index)
        )
        return [FurthestStep(int(index), int(learners), int(done)) for index, learners, done in rows]

    async def questions(self, scope: Scope, lesson_id: str | None = None) -> list[QuestionStats]:
        """Return answer statistics of every question answered in one lesson (None: every lesson)."""
        where = [self._in_scope(QuizAttemptRow.learner_id, scope)]
        if lesson_id is not None:
            where.append(QuizAttemptRow.lesson_id == lesson_id)
        keys = (QuizAttemptRow.lesson_id, QuizAttemptRow.question_id)
        # Both queries read the covering index (lesson, question, correct, answer, learner) alone.
        answers = await self._session.execute(
            select(*keys, QuizAttemptRow.correct, QuizAttemptRow.answer, func.count())
            .where(*where)
            .group_by(*keys, QuizAttemptRow.correct, QuizAttemptRow.answer)
        )
        learners = dict(
            ((lesson, question), int(count))
            for lesson, question, count in await self._session.execute(
                select(*keys, func.count(distinct(QuizAttemptRow.learner_id))).where(*where).group_by(*keys)
            )
        )
        totals: dict[tuple[str, str], list[int]] = {}
        top: dict[tuple[str, str], tuple[int, str]] = {}
        for lesson, question, correct, answer, count in answers:
            key = (lesson, question)
            counts = totals.setdefault(key, [0, 0])
            counts[0] += int(count)
            if correct:
                continue
            counts[1] += int(count)
            best = top.get(key)
            # The most frequent; on a tie, the smaller answer, so the choice does not depend on row order.
            if best is None or (-int(count), answer) < (-best[0], best[1]):
                top[key] = (int(count), answer)
        found = []
        for key in sorted(totals):
            total, missed = totals[key]
            stats = QuestionStats(key[0], key[1], total, missed, learners.get(key, 0))
            if key in top:
                stats = replace(stats, top_wrong=top[key][1], top_wrong_count=top[key][0])
            found.append(stats)
        return found

    async def learners(self, scope: Scope, search: str, offset: int, limit: int) -> LearnerPage:
        """Return the scope's learners whose display name contains ``search`` (any case), by name."""
        where = [self._in_scope(LearnerRow.id, scope)]
        if search.strip():
            name = func.lower(LearnerRow.display_name)
            where.append(name.contains(search.strip().lower(), autoescape=True))
        total = await self._session.scalar(select(func.count()).select_from(LearnerRow).where(*where))
        rows = (
            await self._session.execute(
                select(LearnerRow.id, LearnerRow.display_name)
                .where(*where)
                .order_by(func.lower(LearnerRow.display_name), LearnerRow.id)
                .offset(max(offset, 0))
                .limit(max(limit, 0))
            )
        ).all()
        return LearnerPage(int(total or 0), tuple(await self._with_progress(rows)))

    async def learner(self, scope: Scope, learner_id: int) -> LearnerSummary | None:
        """Return one learner of the scope; None if there is none, or they are not in the scope."""
        rows = (
            await self._session.execute(
                select(LearnerRow.id, LearnerRow.display_name).where(
                    LearnerRow.id == learner_id, self._in_scope(LearnerRow.id, scope)
                )
            )
        ).all()
        found = await self._with_progress(rows)
        return found[0] if found else None

    async def every_learner(self, scope: Scope) -> list[LearnerSummary]:
        """Return every learner of the scope with their progress, by id (for exports)."""
        rows = (
            await self._session.execute(
                select(LearnerRow.id, LearnerRow.display_name)
                .where(self._in_scope(LearnerRow.id, scope))
                .order_by(LearnerRow.id)
            )
        ).all()
        progress = await self._session.execute(
            select(*_STATE_COLUMNS)
            .where(self._in_scope(ProgressRow.learner_id, scope))
            .order_by(ProgressRow.learner_id, ProgressRow.started_at, ProgressRow.id)
        )
        return _summaries(rows, progress)

    async def reviews(self, scope: Scope, offset: int, limit: int) -> ReviewPage:
        """Return a page of the reviews the scope's learners wrote, hidden ones too, newest first."""
        where = self._in_scope(LessonReviewRow.learner_id, scope)
        total = await self._session.scalar(select(func.count()).select_from(LessonReviewRow).where(where))
        rating = and_(
            LessonRatingRow.learner_id == LessonReviewRow.learner_id,
            LessonRatingRow.lesson_id == LessonReviewRow.lesson_id,
        )
        rows = await self._session.execute(
            select(LessonReviewRow, LearnerRow.display_name, LessonRatingRow.stars)
            .join(LearnerRow, LearnerRow.id == LessonReviewRow.learner_id)
            .outerjoin(LessonRatingRow, rating)
            .where(where)
            .order_by(LessonReviewRow.updated_at.desc(), LessonReviewRow.id.desc())
            .offset(max(offset, 0))
            .limit(max(limit, 0))
            .execution_options(populate_existing=True)
        )
        found = [
            Review(
                id=review.id,
                learner_id=review.learner_id,
                lesson_id=review.lesson_id,
                text=review.text,
                author=author,
                written_at=review.written_at,
                updated_at=review.updated_at,
                featured_at=review.featured_at,
                hidden=review.hidden,
                stars=stars,
            )
            for review, author, stars in rows
        ]
        return ReviewPage(int(total or 0), tuple(found))

    async def ratings(self, scope: Scope) -> list[LessonRating]:
        """Return the ratings the scope's learners gave, per lesson."""
        rows = await self._session.execute(
            select(LessonRatingRow.lesson_id, func.count(), func.sum(LessonRatingRow.stars))
            .where(self._in_scope(LessonRatingRow.learner_id, scope))
            .group_by(LessonRatingRow.lesson_id)
            .order_by(LessonRatingRow.lesson_id)
        )
        return [LessonRating(lesson_id, int(count), int(stars)) for lesson_id, count, stars in rows]

    async def streaks(self, scope: Scope, today: date, top: int = 5, horizon: int = 90) -> Streaks:
        """Count the scope's learners on a streak (active today or yesterday); return the ``top`` longest."""
        # Each learner's latest run is kept on the learner as days are noted: a run ending today or
        # yesterday (or later: a learner east of UTC) is their current streak.
        on_streak = (LearnerRow.streak_end >= today - timedelta(days=1), self._in_scope(LearnerRow.id, scope))
        count = await self._session.scalar(select(func.count()).select_from(LearnerRow).where(*on_streak))
        # Only the days after ``today - horizon`` count: a run is cut at that edge.
        in_horizon = self._days_between(LearnerRow.streak_end, today) + horizon
        length = case((LearnerRow.streak_days < in_horizon, LearnerRow.streak_days), else_=in_horizon)
        rows = await self._session.execute(
            select(LearnerRow.id, LearnerRow.display_name, length)
            .where(*on_streak, length > 0)
            .order_by(length.desc(), LearnerRow.display_name, LearnerRow.id)
            .limit(max(top, 0))
        )
        longest = tuple(Streak(lid, name, int(days_on)) for lid, name, days_on in rows)
        return Streaks(int(count or 0), longest)

    def _days_between(self, column: InstrumentedAttribute[date | None], day: date) -> ColumnElement[int]:
        """Return how many days ``column`` is after ``day`` (negative before it)."""
        if self._dialect == "postgresql":
            return cast(column - literal(day), Integer)  # date minus date: days, an integer
        return cast(func.julianday(column) - func.julianday(literal(day)), Integer)

    async def _with_progress(self, rows: Sequence[Any]) -> list[LearnerSummary]:
        """Return these (id, name) learners with their progress, in the order given."""
        if not rows:
            return []
        progress = await self._session.execute(
            select(*_STATE_COLUMNS)
            .where(ProgressRow.learner_id.in_([row[0] for row in rows]))
            .order_by(ProgressRow.learner_id, ProgressRow.started_at, ProgressRow.id)
        )
        return _summaries(rows, progress)


def _summaries(rows: Sequence[Any], progress: Any) -> list[LearnerSummary]:
    by_learner: dict[int, list[LessonState]] = {}
    for learner_id, lesson_id, step, furthest, completed_at, updated_at in progress:
        state = LessonState(lesson_id, step, furthest, completed_at is not None, updated_at)
        by_learner.setdefault(learner_id, []).append(state)
    return [LearnerSummary(lid, name, tuple(by_learner.get(lid, ()))) for lid, name in rows]
