"""Ratings and reviews of lessons, and the admins' moderation of reviews (featuring, hiding)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, null, select, update

from bot.core.ports import LessonRating, Review
from bot.store.models import LearnerRow, LessonRatingRow, LessonReviewRow
from bot.store.repositories.base import Repository


class SqlReviews(Repository):
    """The ``Reviews`` area over SQL."""

    async def rate(self, learner_id: int, lesson_id: str, stars: int, at: datetime) -> None:
        """Insert or change the learner's rating of a lesson (``stars`` from 1 to 5)."""
        if not 1 <= stars <= 5:
            raise ValueError(f"a rating is 1 to 5 stars, not {stars}")
        values = {"stars": stars, "rated_at": at}
        statement = self._insert(LessonRatingRow).values(learner_id=learner_id, lesson_id=lesson_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["learner_id", "lesson_id"], set_=values)
        )

    async def rating(self, learner_id: int, lesson_id: str) -> int | None:
        """Return the learner's rating of a lesson, None if they have not rated it."""
        stars: int | None = await self._session.scalar(
            select(LessonRatingRow.stars).where(
                LessonRatingRow.learner_id == learner_id, LessonRatingRow.lesson_id == lesson_id
            )
        )
        return stars

    async def write(self, learner_id: int, lesson_id: str, text: str, at: datetime) -> Review:
        """Insert or change the learner's review of a lesson and return it."""
        changed = LessonReviewRow.text != text
        statement = self._insert(LessonReviewRow).values(
            learner_id=learner_id,
            lesson_id=lesson_id,
            text=text,
            written_at=at,
            updated_at=at,
            featured_at=None,
            hidden=False,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["learner_id", "lesson_id"],
            set_={
                "text": statement.excluded.text,
                "updated_at": statement.excluded.updated_at,
                # Admins featured the words they read: new words are not featured until featured again.
                "featured_at": _unless(changed, LessonReviewRow.featured_at),
            },
        )
        await self._session.execute(statement)
        found = await self.review(learner_id, lesson_id)
        if found is None:  # pragma: no cover - it was just written
            raise RuntimeError(f"review of {lesson_id} by learner {learner_id} vanished")
        return found

    async def review(self, learner_id: int, lesson_id: str) -> Review | None:
        """Return the learner's review of a lesson, None if they have not written one."""
        rows = await self._session.execute(
            _reviews().where(LessonReviewRow.learner_id == learner_id, LessonReviewRow.lesson_id == lesson_id)
        )
        return next((_review(row) for row in rows), None)

    async def get(self, review_id: int) -> Review | None:
        """Return the review with this id, hidden or not; None if there is none."""
        rows = await self._session.execute(_reviews().where(LessonReviewRow.id == review_id))
        return next((_review(row) for row in rows), None)

    async def latest(self, limit: int = 10, *, include_hidden: bool = True) -> list[Review]:
        """Return the most recently written or changed reviews, newest first."""
        statement = _reviews().order_by(LessonReviewRow.updated_at.desc(), LessonReviewRow.id.desc())
        if not include_hidden:
            statement = statement.where(LessonReviewRow.hidden.is_(False))
        return [_review(row) for row in await self._session.execute(statement.limit(limit))]

    async def featured(self, limit: int = 3) -> list[Review]:
        """Return the featured reviews that are not hidden, most recently featured first."""
        statement = (
            _reviews()
            .where(LessonReviewRow.featured_at.is_not(None), LessonReviewRow.hidden.is_(False))
            .order_by(LessonReviewRow.featured_at.desc(), LessonReviewRow.id.desc())
            .limit(limit)
        )
        return [_review(row) for row in await self._session.execute(statement)]

    async def set_featured(self, review_id: int, featured: bool, at: datetime) -> bool:
        """Feature a review (it also stops being hidden) or unfeature it; False if there is none."""
        values: dict[str, Any] = {"featured_at": at, "hidden": False} if featured else {"featured_at": None}
        return await self._update(review_id, values)

    async def set_hidden(self, review_id: int, hidden: bool) -> bool:
        """Hide a review (it also stops being featured) or show it again; False if there is none."""
        values: dict[str, Any] = {"hidden": True, "featured_at": None} if hidden else {"hidden": False}
        return await self._update(review_id, values)

    async def lesson_ratings(self) -> list[LessonRating]:
        """Return every rated lesson's ratings, by lesson id."""
        rows = await self._session.execute(
            select(LessonRatingRow.lesson_id, func.count(), func.sum(LessonRatingRow.stars))
            .group_by(LessonRatingRow.lesson_id)
            .order_by(LessonRatingRow.lesson_id)
        )
        return [LessonRating(lesson_id, int(count), int(stars)) for lesson_id, count, stars in rows]

    async def _update(self, review_id: int, values: dict[str, Any]) -> bool:
        result: Any = await self._session.execute(
            update(LessonReviewRow)
            .where(LessonReviewRow.id == review_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)


def _unless(changed: Any, current: Any) -> Any:
    """Return NULL where ``changed`` holds, else the current value (SQL ``CASE``)."""
    return case((changed, null()), else_=current)


def _reviews() -> Any:
    """Select reviews with their author's name and rating of the same lesson."""
    rating = and_(
        LessonRatingRow.learner_id == LessonReviewRow.learner_id,
        LessonRatingRow.lesson_id == LessonReviewRow.lesson_id,
    )
    return (
        select(LessonReviewRow, LearnerRow.display_name, LessonRatingRow.stars)
        .join(LearnerRow, LearnerRow.id == LessonReviewRow.learner_id)
        .outerjoin(LessonRatingRow, rating)
        .execution_options(populate_existing=True)
    )


def _review(row: Any) -> Review:
    review, author, stars = row
    return Review(
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
