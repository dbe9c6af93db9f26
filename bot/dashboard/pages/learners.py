"""Learners of the scope: a search by name, a page at a time, with their progress in each lesson.

Nothing of a learner is shown beyond their display name and their progress.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.core.ports.dashboard import LearnerSummary, LessonState
from bot.dashboard.page import Page

_SEARCH_CHARS = 64


@dataclass(frozen=True, slots=True)
class Standing:
    """A learner's progress in one lesson, as shown: title, current and furthest step of how many."""

    lesson_id: str
    title: str
    step: int
    furthest: int
    steps: int
    completed: bool
    updated: str


def standings(page: Page, learner: LearnerSummary) -> list[Standing]:
    """Return a learner's progress per lesson, titled in the page's language."""
    catalog = page.deps.catalog.current()
    found = []
    for state in learner.lessons:
        lesson = catalog.get(state.lesson_id)
        title = page.pick(lesson.title) if lesson else state.lesson_id
        found.append(_standing(state, title, len(lesson.steps) if lesson else None))
    return found


def _standing(state: LessonState, title: str, steps: int | None) -> Standing:
    total = steps or state.furthest_index + 1
    return Standing(
        state.lesson_id,
        title,
        min(state.step_index + 1, total),
        min(state.furthest_index + 1, total),
        total,
        state.completed,
        f"{state.updated_at:%Y-%m-%d %H:%M}",
    )


async def learner_list(page: Page) -> web.StreamResponse:
    """List the scope's learners matching ``?q=``, ``?page=`` at a time."""
    search = page.request.query.get("q", "")[:_SEARCH_CHARS]
    try:
        number = max(int(page.request.query.get("page", "1")), 1)
    except ValueError:
        number = 1
    size = page.deps.config.page_size
    async with page.deps.store.session() as session:
        found = await session.insights.learners(page.scope, search, (number - 1) * size, size)
    pages = max((found.total + size - 1) // size, 1)
    rows = [(learner, standings(page, learner)) for learner in found.learners]
    return page.render(
        "learners.html",
        "learners",
        search=search,
        rows=rows,
        total=found.total,
        number=number,
        pages=pages,
    )


async def learner(page: Page) -> web.StreamResponse:
    """Show one learner of the scope and their progress; "not found" for anyone outside it."""
    raw = page.request.match_info["learner"]
    found = None
    if raw.isdigit() and len(raw) < 12:
        async with page.deps.store.session() as session:
            found = await session.insights.learner(page.scope, int(raw))
    if found is None:
        return page.render("message_page.html", "learners", 404, message=page.t("dashboard.learner_unknown"))
    return page.render("learner.html", "learners", learner=found, standings=standings(page, found))
