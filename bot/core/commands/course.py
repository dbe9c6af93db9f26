"""The course and what learners say of it: /course, /rate, /review, and the admins' /admin reviews."""

from __future__ import annotations

from bot.core.commands.lessons import find_lesson
from bot.core.context import Ctx
from bot.core.course import card_replies, course_card, review_quote
from bot.core.course import stars as stars_of
from bot.core.errors import UserError
from bot.core.ports import Review
from bot.core.quoting import length
from bot.core.registry import Arg, command
from bot.core.replies import Notice, Reply, Text
from bot.curriculum.model import Lesson

REVIEW_LIMIT = 300
"""The most characters a review may have, as on the handbook's course page."""
ADMIN_LIST = 10
_MODERATION = ("list", "feature", "unfeature", "hide", "show")


async def course(ctx: Ctx) -> list[Reply]:
    """Show the course: its lessons and minutes, how many learned it, its rating and featured reviews."""
    return card_replies(ctx, await course_card(ctx))


async def rate(ctx: Ctx, lesson: str, stars: int) -> list[Reply]:
    """Rate a lesson from 1 to 5 stars: /rate tensor-basics 5. Rating again changes your rating."""
    target = await _started(ctx, lesson)
    if not 1 <= stars <= 5:
        raise UserError("rate.range", given=stars)
    await ctx.session.reviews.rate(ctx.learner.id, target.id, stars, ctx.now())
    ctx.services.course_cards.clear()
    title = ctx.pick(target.title)
    return [
        Notice(ctx.t("rate.saved", title=title, stars=stars_of(stars)), "success"),
        Text(ctx.t("review.invite", lesson=target.id, limit=REVIEW_LIMIT)),
    ]


async def review(ctx: Ctx, lesson: str, text: str | None = None) -> list[Reply]:
    """Review a lesson in up to 300 characters: /review tensor-basics Clear and short.

    Writing again replaces your review. Without text, shows the review you wrote.
    """
    target = await _started(ctx, lesson)
    title = ctx.pick(target.title)
    if text is None:
        mine = await ctx.session.reviews.review(ctx.learner.id, target.id)
        if mine is None:
            return [Notice(ctx.t("review.none", title=title, lesson=target.id, limit=REVIEW_LIMIT))]
        return [Text(ctx.t("review.yours", title=title)), review_quote(ctx, mine)]
    size = length(text)
    if size > REVIEW_LIMIT:
        raise UserError("review.too_long", length=size, limit=REVIEW_LIMIT, over=size - REVIEW_LIMIT)
    saved = await ctx.session.reviews.write(ctx.learner.id, target.id, text.strip(), ctx.now())
    ctx.services.course_cards.clear()
    replies: list[Reply] = [Notice(ctx.t("review.saved", title=title), "success"), review_quote(ctx, saved)]
    if saved.hidden:
        replies.append(Notice(ctx.t("review.still_hidden")))
    return replies


async def reviews(ctx: Ctx, action: str = "list", review: int | None = None) -> list[Reply]:
    """List the latest reviews with their ids, or feature, unfeature, hide or show one."""
    if action == "list":
        latest = await ctx.session.reviews.latest(ADMIN_LIST)
        if not latest:
            return [Notice(ctx.t("reviews.none"))]
        return [Text(f"**{ctx.t('reviews.title')}**"), *(_admin_quote(ctx, r) for r in latest)]
    if review is None:
        raise UserError("reviews.which", action=action)
    store, now = ctx.session.reviews, ctx.now()
    if action in ("feature", "unfeature"):
        changed = await store.set_featured(review, action == "feature", now)
    else:
        changed = await store.set_hidden(review, action == "hide")
    if not changed:
        raise UserError("reviews.unknown", review=review)
    ctx.services.course_cards.clear()
    return [Notice(ctx.t(f"reviews.{action}", review=review), "success")]


def _admin_quote(ctx: Ctx, review: Review) -> Reply:
    marks = [f"`#{review.id}`", f"`{review.lesson_id}`"]
    if review.stars:
        marks.append(stars_of(review.stars))
    if review.featured_at is not None:
        marks.append(ctx.t("reviews.featured_mark"))
    if review.hidden:
        marks.append(ctx.t("reviews.hidden_mark"))
    return review_quote(ctx, review, caption=" · ".join(marks))


async def _started(ctx: Ctx, lesson_id: str) -> Lesson:
    """Return the lesson, if the learner has started it: only learners of a lesson rate or review it."""
    target = find_lesson(ctx, lesson_id)
    if await ctx.session.progress.get(ctx.learner.id, target.id) is None:
        raise UserError("review.not_started", title=ctx.pick(target.title), lesson=target.id)
    return target


_LESSON = Arg("lesson", "lesson", "the lesson's id, as /lessons shows it")

COMMANDS = (
    command(course, in_groups=True, writes=False),
    command(rate, args=(_LESSON, Arg("stars", "int", "1 to 5 stars"))),
    command(
        review,
        args=(
            _LESSON,
            Arg("text", "prose", "your review, at most 300 characters", False, max_length=REVIEW_LIMIT),
        ),
    ),
)
ADMIN_COMMANDS = (
    command(
        reviews,
        group="admin",
        admin="bot",
        in_groups=True,
        args=(
            Arg("action", "choice", "list, feature, unfeature, hide or show", False, _MODERATION),
            Arg("review", "int", "the review's id, as the list shows it", required=False),
        ),
    ),
)
