"""Lessons: how many of the scope's learners started and completed each, and each lesson's funnel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiohttp import web
from markupsafe import Markup

from bot.core.ports.dashboard import LessonReach
from bot.dashboard.charts import Bar, bars, meter
from bot.dashboard.funnel import funnel as make_funnel
from bot.dashboard.lessonview import step_label, step_short
from bot.dashboard.page import Page


@dataclass(frozen=True, slots=True)
class LessonRow:
    """One lesson in a table: its id and title, learners who started and completed it."""

    lesson_id: str
    title: str
    steps: int
    started: int
    completed: int
    rate: Markup

    @property
    def percent(self) -> int:
        """Return the share of starters who completed, in percent."""
        return round(100 * self.completed / self.started) if self.started else 0


def lesson_rows(page: Page, reach: Sequence[LessonReach]) -> list[LessonRow]:
    """Return a row per lesson, in learning order, then lessons no longer served that still have learners."""
    counts = {row.lesson_id: row for row in reach}
    catalog = page.deps.catalog.current()
    rows = []
    for lesson in catalog.lessons:
        found = counts.pop(lesson.id, LessonReach(lesson.id, 0, 0))
        rows.append(_row(page, lesson.id, page.pick(lesson.title), len(lesson.steps), found))
    rows += [_row(page, lesson_id, lesson_id, 0, found) for lesson_id, found in sorted(counts.items())]
    return rows


def _row(page: Page, lesson_id: str, title: str, steps: int, reach: LessonReach) -> LessonRow:
    rate = reach.completed / reach.started if reach.started else 0.0
    label = page.t("dashboard.lessons.completion", percent=round(100 * rate))
    return LessonRow(lesson_id, title, steps, reach.started, reach.completed, meter(rate, label))


async def lesson_list(page: Page) -> web.StreamResponse:
    """List every lesson with its starts and completions in the scope."""
    async with page.deps.store.session() as session:
        reach = await session.insights.lessons(page.scope)
    return page.render("lessons.html", "lessons", lessons=lesson_rows(page, reach))


async def funnel(page: Page) -> web.StreamResponse:
    """Show one lesson's funnel: started, each step, completed; the biggest drop-off stands out."""
    lesson_id = page.request.match_info["lesson"]
    lesson = page.deps.catalog.current().get(lesson_id)
    if lesson is None:
        return page.render("message_page.html", "lessons", 404, message=page.t("dashboard.lesson_unknown"))
    async with page.deps.store.session() as session:
        furthest = await session.insights.furthest_steps(page.scope, lesson_id)
    shape = make_funnel(furthest, len(lesson.steps))
    started = page.t("dashboard.funnel.started")
    items = [Bar(started, shape.started)]
    for stage in shape.stages:
        note = page.t("dashboard.funnel.stopped", count=stage.stopped) if stage.stopped else ""
        items.append(Bar(step_short(lesson, stage.index, page), stage.reached, note, stage.flagged))
    items.append(Bar(page.t("dashboard.funnel.completed"), shape.completed))
    flagged = next((stage for stage in shape.stages if stage.flagged), None)
    return page.render(
        "funnel.html",
        "lessons",
        lesson_id=lesson.id,
        title=page.pick(lesson.title),
        chart=bars(items, page.t("dashboard.funnel.title", title=page.pick(lesson.title))),
        funnel=shape,
        labels=[step_label(lesson, stage.index, page) for stage in shape.stages],
        flagged_label=step_label(lesson, flagged.index, page) if flagged else None,
        flagged=flagged,
    )
