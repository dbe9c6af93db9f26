"""Reviews and ratings: what the scope's learners say about each lesson; lesson admins feature and hide.

Review text is shown escaped, exactly as written. Featuring puts a review on the course card of every
server and hiding keeps it from every list but this one, so only sessions that may moderate (lesson
admins') get the buttons, and the POST checks it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from markupsafe import Markup

from bot.core.ports import Review
from bot.dashboard.charts import meter
from bot.dashboard.page import Page

_ACTIONS = ("feature", "unfeature", "hide", "show")


@dataclass(frozen=True, slots=True)
class RatingRow:
    """A lesson's ratings as shown: average stars, on the handbook's 10-point scale too."""

    lesson_id: str
    title: str
    ratings: int
    average: float
    meter: Markup

    @property
    def ten(self) -> str:
        """Return the average on a 10-point scale, one decimal."""
        return f"{self.average * 2:.1f}"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A review as shown, with its lesson's title."""

    review: Review
    title: str
    stars: str


async def reviews(page: Page) -> web.StreamResponse:
    """Show the scope's ratings per lesson and its reviews, newest first, ``?page=`` at a time."""
    try:
        number = max(int(page.request.query.get("page", "1")), 1)
    except ValueError:
        number = 1
    size = page.deps.config.page_size
    async with page.deps.store.session() as session:
        ratings = await session.insights.ratings(page.scope)
        found = await session.insights.reviews(page.scope, (number - 1) * size, size)
    catalog = page.deps.catalog.current()

    def title(lesson_id: str) -> str:
        lesson = catalog.get(lesson_id)
        return page.pick(lesson.title) if lesson else lesson_id

    rating_rows = [
        RatingRow(
            r.lesson_id,
            title(r.lesson_id),
            r.ratings,
            r.average or 0.0,
            meter((r.average or 0.0) / 5, page.t("dashboard.reviews.average", stars=f"{r.average or 0:.1f}")),
        )
        for r in ratings
    ]
    rows = [
        ReviewRow(
            review, title(review.lesson_id), "★" * (review.stars or 0) + "☆" * (5 - (review.stars or 0))
        )
        for review in found.reviews
    ]
    return page.render(
        "reviews.html",
        "reviews",
        ratings=rating_rows,
        rows=rows,
        total=found.total,
        number=number,
        pages=max((found.total + size - 1) // size, 1),
        actions=_ACTIONS,
    )


async def moderate(page: Page) -> web.StreamResponse:
    """Feature, unfeature, hide or show one review of the scope (lesson admins only)."""
    if not page.viewer.grant.moderate:
        return page.render(
            "message_page.html", "reviews", 403, message=page.t("dashboard.reviews.no_moderation")
        )
    form = await page.request.post()
    action = form.get("action")
    raw = page.request.match_info["review"]
    if action not in _ACTIONS or not raw.isdigit() or len(raw) > 12:
        return page.render(
            "message_page.html", "reviews", 400, message=page.t("dashboard.reviews.bad_action")
        )
    review_id = int(raw)
    async with page.deps.store.session() as session:
        review = await session.reviews.get(review_id)
        if review is None:
            return page.render(
                "message_page.html", "reviews", 404, message=page.t("dashboard.reviews.unknown")
            )
        if action in ("feature", "unfeature"):
            await session.reviews.set_featured(review_id, action == "feature", page.now)
        else:
            await session.reviews.set_hidden(review_id, action == "hide")
    raise web.HTTPSeeOther(page.url("reviews", page=form.get("page") or None))


def _stars(stars: int | None) -> str:
    """Return a rating as five stars, filled as many as given; nothing for no rating."""
    return "" if stars is None else "★" * stars + "☆" * (5 - stars)
