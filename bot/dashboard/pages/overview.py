"""The overview: learners active today and this week, streaks, runs per hour, lessons at a glance."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from aiohttp import web

from bot.core.ports.dashboard import Insights
from bot.dashboard.charts import stacked_hours, status_order
from bot.dashboard.page import Page
from bot.dashboard.pages.lessons import lesson_rows

HOURS = 24
T = TypeVar("T")


async def read(page: Page, query: Callable[[Insights], Awaitable[T]]) -> T:
    """Run one read of the insights in a session of its own."""
    async with page.deps.store.session() as session:
        return await query(session.insights)


async def overview(page: Page) -> web.StreamResponse:
    """Show the scope at a glance."""
    first_hour = page.now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=HOURS - 1)
    today = page.now.date()
    week = today - timedelta(days=today.weekday())
    # Independent reads, each in its own short session: the page waits for the slowest, not their sum.
    activity, runs, reach, streaks = await asyncio.gather(
        read(page, lambda insights: insights.activity(page.scope, today, week)),
        read(page, lambda insights: insights.runs_by_hour(page.scope, first_hour)),
        read(page, lambda insights: insights.lessons(page.scope)),
        read(page, lambda insights: insights.streaks(page.scope, today)),
    )
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
