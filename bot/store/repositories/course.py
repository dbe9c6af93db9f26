"""The course card's counts: one statement, answered from indexes on progress and ratings.

The statement is a ``UNION ALL`` of three parts: per lesson, its learners and completions (from
``ix_lesson_progress_lesson_id_learner_id_completed_at``); per lesson, its ratings and stars (from
``ix_lesson_ratings_lesson_id_stars``); and one row of course totals: learners who started any lesson of
the course and learners who completed all of them.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, String, func, literal, select, union_all

from bot.core.ports import CourseCounts, LessonTally
from bot.store.models import LessonRatingRow, ProgressRow
from bot.store.repositories.base import Repository

_TOTALS = "total"
_PROGRESS = "progress"
_RATINGS = "ratings"


class SqlCourse(Repository):
    """The ``CourseStats`` area over SQL."""

    async def counts(self, lesson_ids: Sequence[str]) -> CourseCounts:
        """Count learners who started and completed the course, and per lesson, in one query."""
        ids = sorted(set(lesson_ids))
        if not ids:
            return CourseCounts(0, 0, ())
        zero = literal(0, Integer)
        in_course = ProgressRow.lesson_id.in_(ids)
        progress = (
            select(
                literal(_PROGRESS, String),
                ProgressRow.lesson_id,
                func.count(),
                func.count(ProgressRow.completed_at),
                zero,
                zero,
            )
            .where(in_course)
            .group_by(ProgressRow.lesson_id)
        )
        ratings = (
            select(
                literal(_RATINGS, String),
                LessonRatingRow.lesson_id,
                zero,
                zero,
                func.count(),
                func.sum(LessonRatingRow.stars),
            )
            .where(LessonRatingRow.lesson_id.in_(ids))
            .group_by(LessonRatingRow.lesson_id)
        )
        finishers = (
            select(ProgressRow.learner_id)
            .where(in_course, ProgressRow.completed_at.is_not(None))
            .group_by(ProgressRow.learner_id)
            .having(func.count() == len(ids))
            .subquery()
        )
        started = select(func.count(func.distinct(ProgressRow.learner_id))).where(in_course)
        completed = select(func.count()).select_from(finishers)
        totals = select(
            literal(_TOTALS, String),
            literal("", String),
            started.scalar_subquery(),
            completed.scalar_subquery(),
            zero,
            zero,
        )
        rows = await self._session.execute(union_all(totals, progress, ratings))
        tallies = {lesson_id: [0, 0, 0, 0] for lesson_id in ids}
        course_started = course_completed = 0
        for kind, lesson_id, first, second, count, stars in rows:
            if kind == _TOTALS:
                course_started, course_completed = int(first), int(second)
                continue
            tally = tallies[lesson_id]
            if kind == _PROGRESS:
                tally[0], tally[1] = int(first), int(second)
            else:
                tally[2], tally[3] = int(count), int(stars or 0)
        return CourseCounts(
            started=course_started,
            completed=course_completed,
            lessons=tuple(LessonTally(lesson_id, *tallies[lesson_id]) for lesson_id in ids),
        )
