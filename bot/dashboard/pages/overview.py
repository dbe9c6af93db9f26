"""The overview: learners active today and this week, runs per hour by status, lessons at a glance."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiohttp import web

from bot.dashboard.charts import stacked_hours, status_order
from bot.dashboard.page import Page
from bot.dashboard.pages.lessons import lesson_rows

HOURS = 24


def day_start(now: datetime) -> datetime:
    """Return the start of the UTC day of ``now``."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def week_start(now: datetime) -> datetime:
    """Return the start of the UTC week (Monday 00:00) of ``now``."""
    today = day_start(now)
    return today - timedelta(days=today.weekday())


async def overview(page: Page) -> web.StreamResponse:
    """Show the scope at a glance."""
    first_hour = page.now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS - 1)
    async with page.deps.store.session() as session:
        activity = await session.insights.activity(page.scope, day_start(page.now), week_start(page.now))
        runs = await session.insights.runs_by_hour(page.scope, first_hour)
        reach = await session.insights.lessons(page.scope)
        streaks = await session.insights.streaks(page.scope, page.now.date())
    hours = [first_hour + timedelta(hours=i) for i in range(HOURS)]
    counts: dict[str, list[int]] = {}
    for run in runs:
        slot = int((run.hour - first_hour).total_seconds() // 3600)
        if 0 <= slot < HOURS:
            counts.setdefault(run.status, [0] * HOURS)[slot] += run.runs
    statuses = status_order(list(counts))
    chart = stacked_hours(hours, counts, page.t("dashboard.overview.runs_title")) if counts else None
    return page.render(
        "overview.html",
        "overview",
        activity=activity,
        chart=chart,
        legend=[(status, sum(counts[status])) for status in statuses],
        runs_total=sum(sum(values) for values in counts.values()),
        lessons=sorted(lesson_rows(page, reach), key=lambda row: -row.started)[:10],
        streaks=streaks,
    )
