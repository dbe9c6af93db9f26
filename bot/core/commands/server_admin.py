"""A server's own rules, set by its admins: /admin channels, /admin sandbox, /admin dm and /admin stats."""

from __future__ import annotations

from dataclasses import replace

from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.ports import ServerSettings
from bot.core.registry import Arg, command
from bot.core.replies import Notice, Reply, Text, channel_ref
from bot.curriculum.model import NumericStep, QuizStep

_ON_OFF = ("on", "off")
_WITH_SERVERS = ("discord", "telegram")
_QUESTION_CHARS = 60


async def channels(ctx: Ctx, action: str = "list", channel: str | None = None) -> list[Reply]:
    """Choose the channels of this server where code may run (none chosen: every channel)."""
    server = _server(ctx)
    allowed = set(server.allowed_channels)
    if action == "list":
        if not allowed:
            return [Notice(ctx.t("channels.all"))]
        return [Notice(ctx.t("channels.list", channels=_mentions(allowed)))]
    if action == "clear":
        await ctx.session.servers.save_settings(replace(server, allowed_channels=frozenset()))
        return [Notice(ctx.t("channels.cleared"), "success")]
    target = channel or ctx.channel_id
    if target is None:
        raise UserError("channels.which")
    if action == "add":
        allowed.add(target)
    else:
        allowed.discard(target)
    await ctx.session.servers.save_settings(replace(server, allowed_channels=frozenset(allowed)))
    key = {"add": "channels.added", "remove": "channels.removed"}[action] if allowed else "channels.all"
    return [Notice(ctx.t(key, channel=_mentions({target}), channels=_mentions(allowed)), "success")]


async def sandbox(ctx: Ctx, state: str) -> list[Reply]:
    """Turn running code (/run, /submit, Run buttons) on or off in this server."""
    server = _server(ctx)
    await ctx.session.servers.save_settings(replace(server, sandbox_enabled=state == "on"))
    return [Notice(ctx.t(f"sandbox.{state}"), "success")]


async def dm(ctx: Ctx, state: str) -> list[Reply]:
    """Send lesson steps from this server to learners' direct messages (on) or show them privately (off)."""
    server = _server(ctx)
    await ctx.session.servers.save_settings(replace(server, lessons_in_dm=state == "on"))
    return [Notice(ctx.t(f"dm.{state}"), "success")]


async def stats(ctx: Ctx) -> list[Reply]:
    """Show how this server's learners are doing: lessons, where they stop, ratings, most-missed questions."""
    server = _server(ctx)
    found = await ctx.session.servers.stats(server.platform, server.server_id)
    if not found.learners:
        return [Notice(ctx.t("stats.none"))]
    lines = [f"**{ctx.t('stats.title', count=found.learners)}**"]
    for count in found.lessons:
        lines.append(
            "- "
            + ctx.t(
                "stats.lesson",
                title=_title(ctx, count.lesson_id),
                started=count.started,
                completed=count.completed,
            )
        )
    if found.missed:
        lines.append(f"\n**{ctx.t('stats.missed_title')}**")
        for missed in found.missed:
            question = _question(ctx, missed.lesson_id, missed.question_id)
            lines.append(
                "- "
                + ctx.t(
                    "stats.missed_rate",
                    title=_title(ctx, missed.lesson_id),
                    question=question,
                    wrong=missed.wrong,
                    answers=missed.answers,
                    rate=round(100 * missed.wrong / missed.answers) if missed.answers else 0,
                )
            )
    if found.stops:
        lines.append(f"\n**{ctx.t('stats.stops_title')}**")
        for stop in found.stops:
            lesson = ctx.catalog.get(stop.lesson_id)
            total = len(lesson.steps) if lesson else "?"
            lines.append(
                "- "
                + ctx.t(
                    "stats.stop",
                    title=_title(ctx, stop.lesson_id),
                    n=stop.step_index + 1,
                    total=total,
                    count=stop.learners,
                )
            )
    if found.ratings:
        lines.append(f"\n**{ctx.t('stats.ratings_title')}**")
        for rating in found.ratings:
            average = rating.average or 0.0
            lines.append(
                "- "
                + ctx.t(
                    "stats.rating",
                    title=_title(ctx, rating.lesson_id),
                    stars=f"{average:.1f}",
                    ten=f"{average * 2:.1f}",
                    count=rating.ratings,
                )
            )
    return [Text("\n".join(lines))]


def _server(ctx: Ctx) -> ServerSettings:
    if ctx.server is None:
        raise UserError("admin.server_only")
    return ctx.server


def _mentions(channel_ids: set[str]) -> str:
    return ", ".join(channel_ref(channel) for channel in sorted(channel_ids))


def _title(ctx: Ctx, lesson_id: str) -> str:
    lesson = ctx.catalog.get(lesson_id)
    return f"**{ctx.pick(lesson.title)}**" if lesson else f"`{lesson_id}`"


def _question(ctx: Ctx, lesson_id: str, question_id: str) -> str:
    lesson = ctx.catalog.get(lesson_id)
    index = lesson.find_step(question_id) if lesson else None
    step = lesson.steps[index] if lesson is not None and index is not None else None
    if isinstance(step, QuizStep):
        text = ctx.pick(step.quiz.question)
    elif isinstance(step, NumericStep):
        text = ctx.pick(step.numeric.question)
    else:
        return f"`{question_id}`"
    text = " ".join(text.split())
    return text if len(text) <= _QUESTION_CHARS else text[: _QUESTION_CHARS - 1] + "…"


COMMANDS = (
    command(
        channels,
        group="admin",
        admin="server",
        in_groups=True,
        platforms=("discord",),  # the only platform whose servers have channels
        args=(
            Arg("action", "choice", "list, add, remove or clear", False, ("list", "add", "remove", "clear")),
            Arg("channel", "channel", "the channel (default: this one)", required=False),
        ),
    ),
    command(
        sandbox,
        group="admin",
        admin="server",
        args=(Arg("state", "choice", "on or off", True, _ON_OFF),),
        in_groups=True,
        platforms=_WITH_SERVERS,
    ),
    command(
        dm,
        group="admin",
        admin="server",
        args=(Arg("state", "choice", "on or off", True, _ON_OFF),),
        in_groups=True,
        platforms=("discord",),  # Telegram lessons are always private chats already
    ),
    command(stats, group="admin", admin="server", in_groups=True, platforms=_WITH_SERVERS),
)
