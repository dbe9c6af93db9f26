"""The course card: what the course is, how many learned it, how they rated it, what they said.

The counts come from the database in one query (``CourseStats.counts``) and the featured reviews in
another; the card is kept for a minute per process (``CourseCardCache``), so ``/course``, ``/lessons`` and
``/about`` cost at most two queries a minute however often they are used, and every process shows what
the shared database held at most a minute ago. A process that records a rating or moderates a review
drops its copy at once.
"""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.course_cache import CourseCard
from bot.core.ports import LessonTally, Review
from bot.core.quoting import defang
from bot.core.replies import Quote, Reply, Text

FEATURED = 3
STAR = "★"


async def course_card(ctx: Ctx) -> CourseCard:
    """Return the course card, from this process's copy when it is less than a minute old."""
    ids = tuple(ctx.catalog.ids())
    cache = ctx.services.course_cards
    now = ctx.now()
    card = cache.get(ids, now)
    if card is None:
        counts = await ctx.session.course.counts(ids)
        featured = await ctx.session.reviews.featured(FEATURED)
        card = CourseCard(counts, tuple(featured))
        cache.put(ids, now, card)
    return card


def card_replies(ctx: Ctx, card: CourseCard, *, reviews: bool = True) -> list[Reply]:
    """Return the card: title, lessons, minutes, learners, rating, and (``reviews``) featured reviews."""
    lessons = ctx.catalog.lessons
    counts = card.counts
    lines = [
        f"**{ctx.t('course.title')}**",
        ctx.t(
            "course.size",
            count=len(lessons),
            minutes=sum(lesson.minutes or 0 for lesson in lessons),
        ),
        ctx.t("course.learners", count=counts.started, completed=counts.completed),
        rating_line(ctx, counts.average, counts.ratings),
    ]
    if not reviews:
        return [Text("\n".join([*lines, ctx.t("course.more")]))]
    replies: list[Reply] = [Text("\n".join(lines))]
    if not card.featured:
        replies.append(Text(f"**{ctx.t('course.featured')}**\n{ctx.t('course.no_featured')}"))
        return replies
    replies.append(Text(f"**{ctx.t('course.featured')}**"))
    replies += [review_quote(ctx, review) for review in card.featured]
    return replies


def rating_line(ctx: Ctx, average: float | None, ratings: int) -> str:
    """Return an average rating on both scales (``★ 4.5/5 · 9.0/10 · 12 ratings``), or that none came."""
    if average is None:
        return ctx.t("course.unrated")
    return ctx.t("course.rating", stars=f"{average:.1f}", ten=f"{average * 2:.1f}", count=ratings)


def short_rating(tally: LessonTally | None) -> str:
    """Return a lesson's rating as ``★4.5 (8)``, or an empty string when nobody rated it."""
    if tally is None or tally.average is None:
        return ""
    return f"{STAR}{tally.average:.1f} ({tally.ratings})"


def stars(count: int) -> str:
    """Return a rating as five stars, filled and empty: ``★★★★☆``."""
    return STAR * count + "☆" * (5 - count)


def review_quote(ctx: Ctx, review: Review, *, caption: str | None = None) -> Quote:
    """Return a review as a quote: defanged words and author, with the lesson and stars as caption."""
    if caption is None:
        lesson = ctx.catalog.get(review.lesson_id)
        title = ctx.pick(lesson.title) if lesson else review.lesson_id
        caption = f"_{title}_" + (f" · {stars(review.stars)}" if review.stars else "")
    return Quote(defang(review.text), defang(review.author), caption)
