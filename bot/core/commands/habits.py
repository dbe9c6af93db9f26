"""Coming back: /timezone, the daily /remind, and weekly /leaderboard."""

from __future__ import annotations

import dataclasses
import functools
import zoneinfo

from bot.core import calendar
from bot.core.calendar import format_time_of_day, next_occurrence, parse_time_of_day, week_start
from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.ports import BoardEntry
from bot.core.quoting import defang
from bot.core.registry import Arg, command
from bot.core.replies import Notice, Reply, Text
from bot.core.suggest import closest

BOARD_SIZE = 10
_WITH_DMS = ("discord", "telegram")  # a terminal cannot be reached while it is closed


async def timezone(ctx: Ctx, zone: str | None = None) -> list[Reply]:
    """Set your time zone, for your streak's days and your reminder: /timezone Asia/Shanghai."""
    settings = await ctx.session.reminders.get(ctx.learner.id)
    if zone is None:
        return [Notice(ctx.t("timezone.current", zone=settings.time_zone))]
    name = zone.strip()
    found = calendar.zone(name)
    if found is None:
        suggestions = closest(name, sorted(_zone_names()))
        if suggestions:
            listing = ", ".join(f"`{s}`" for s in suggestions)
            raise UserError("timezone.unknown_suggest", zone=name, suggestions=listing)
        raise UserError("timezone.unknown", zone=name)
    changed = dataclasses.replace(settings, time_zone=found.key)
    if settings.minute is not None:
        changed = dataclasses.replace(changed, next_at=next_occurrence(settings.minute, found, ctx.now()))
    await ctx.session.reminders.save(ctx.learner.id, changed)
    replies: list[Reply] = [Notice(ctx.t("timezone.set", zone=found.key), "success")]
    if settings.minute is not None:
        replies.append(Text(ctx.t("remind.moved", time=format_time_of_day(settings.minute), zone=found.key)))
    return replies


async def remind(ctx: Ctx, state: str | None = None, time: str | None = None) -> list[Reply]:
    """Get a daily reminder to practise in direct messages: /remind on 19:00, or /remind off.

    The time is in your time zone (/timezone; UTC until you set one). I stay quiet on days you have
    already practised and have nothing due.
    """
    settings = await ctx.session.reminders.get(ctx.learner.id)
    if state is None:
        if settings.minute is None:
            return [Notice(ctx.t("remind.is_off"))]
        when = format_time_of_day(settings.minute)
        return [Notice(ctx.t("remind.is_on", time=when, zone=settings.time_zone))]
    if state == "off":
        await ctx.session.reminders.turn_off(ctx.learner.id)
        return [Notice(ctx.t("remind.off"), "success")]
    if time is None:
        raise UserError("remind.which_time")
    minute = parse_time_of_day(time)
    if minute is None:
        raise UserError("remind.bad_time", time=time)
    tz = calendar.zone_or_utc(settings.time_zone)
    changed = dataclasses.replace(
        settings,
        minute=minute,
        platform=ctx.user.platform,
        user_id=ctx.user.user_id,
        next_at=next_occurrence(minute, tz, ctx.now()),
    )
    await ctx.session.reminders.save(ctx.learner.id, changed)
    return [Notice(ctx.t("remind.on", time=format_time_of_day(minute), zone=settings.time_zone), "success")]


async def leaderboard(ctx: Ctx, choice: str | None = None) -> list[Reply]:
    """Show this week's leaderboard of this server, or your rank in direct messages; hide or show yourself.

    Points: 1 per lesson step completed, 2 per question answered right at the first try, 3 per exercise
    passed, each earned once. Weeks start on Monday at 00:00 UTC.
    """
    board = ctx.session.activity
    if choice is not None:
        await board.set_hidden(ctx.learner.id, choice == "hide", ctx.now())
        return [Notice(ctx.t(f"leaderboard.{choice}"), "success")]
    since = week_start(ctx.now())
    footer = ctx.t("leaderboard.footer")
    if ctx.server is not None:
        entries = await board.board(ctx.server.platform, ctx.server.server_id, since, BOARD_SIZE)
        if not entries:
            return [Notice(ctx.t("leaderboard.empty")), Text(footer)]
        lines = [f"**{ctx.t('leaderboard.title')}**", *(_line(ctx, entry) for entry in entries), "", footer]
        return [Text("\n".join(lines))]
    if await board.is_hidden(ctx.learner.id):
        return [Notice(ctx.t("leaderboard.you_hidden"))]
    mine = await board.rank(ctx.learner.id, since)
    if mine is None:
        return [Notice(ctx.t("leaderboard.no_points")), Text(footer)]
    return [Text(ctx.t("leaderboard.rank", rank=mine.rank, count=mine.points) + "\n\n" + footer)]


def _line(ctx: Ctx, entry: BoardEntry) -> str:
    # A name is the learner's own text: shown defanged and in code, never as Markdown or a mention.
    name = defang(entry.name).replace("`", "ˋ")
    you = " " + ctx.t("leaderboard.you") if entry.learner_id == ctx.learner.id else ""
    return f"{entry.rank}. `{name}` · {ctx.t('leaderboard.points', count=entry.points)}{you}"


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


COMMANDS = (
    command(
        timezone,
        args=(Arg("zone", "text", "an IANA time zone, e.g. Asia/Shanghai", required=False),),
    ),
    command(
        remind,
        args=(
            Arg("state", "choice", "on or off", False, ("on", "off")),
            Arg("time", "text", "the time of day, HH:MM (24-hour)", required=False),
        ),
        platforms=_WITH_DMS,
    ),
    command(
        leaderboard,
        args=(Arg("choice", "choice", "hide or show yourself on boards", False, ("hide", "show")),),
        in_groups=True,
    ),
)
