"""What counts for streaks and weekly boards, recorded as learners go.

A day counts for a learner's streak when they complete a step, answer a question (in a lesson or in
practice) or pass an exercise; the day is their local date (``/timezone``). Points go to weekly boards,
each earned once per thing done: a completed step, a question answered right at the first try, a passed
exercise (``POINTS``, documented in docs/commands.md).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.calendar import local_day, zone_or_utc
from bot.core.context import Ctx
from bot.core.ports import PointAward

STEP = "step"
ANSWER = "answer"
EXERCISE = "exercise"
POINTS = {STEP: 1, ANSWER: 2, EXERCISE: 3}
"""Points per completed step, per question answered right at the first try, per passed exercise."""


async def learner_zone(ctx: Ctx) -> ZoneInfo:
    """Return the learner's time zone (UTC until they choose one with /timezone)."""
    return zone_or_utc((await ctx.session.reminders.get(ctx.learner.id)).time_zone)


async def count_day(ctx: Ctx, kind: str | None = None, lesson_id: str = "", item_id: str = "") -> None:
    """Count today for the learner's streak and, for a ``kind`` of thing done, its points (once ever)."""
    now = ctx.now()
    await ctx.session.activity.note_day(ctx.learner.id, local_day(now, await learner_zone(ctx)))
    if kind is not None:
        await ctx.session.activity.award(
            ctx.learner.id, PointAward(kind, lesson_id, item_id, POINTS[kind], now)
        )
