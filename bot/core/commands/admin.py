"""Admin commands for the lesson files: /admin reload and /admin validate."""

from __future__ import annotations

import asyncio

from bot.core.commands.uploads import apply_uploads
from bot.core.context import Ctx
from bot.core.registry import command
from bot.core.replies import Code, Notice, Reply
from bot.curriculum.problems import Problem


async def reload(ctx: Ctx) -> list[Reply]:
    """Reload the lesson files without a restart; on problems, keep the lessons in use."""
    source = ctx.services.catalog
    # Uploads may have changed through another bot process: take them as the store has them now.
    await apply_uploads(ctx)
    # Loading reads and parses every lesson file: keep that off the event loop.
    problems = await asyncio.to_thread(source.reload)
    count = len(source.current().lessons)
    if problems:
        return _problems(ctx, "admin.reload_problems", problems, count)
    return [Notice(ctx.t("admin.reloaded", lessons=count), "success")]


async def validate(ctx: Ctx) -> list[Reply]:
    """Check the lesson files without changing the lessons in use."""
    source = ctx.services.catalog
    problems = await asyncio.to_thread(source.validate)
    if problems:
        return _problems(ctx, "admin.invalid", problems, len(source.current().lessons))
    return [Notice(ctx.t("admin.valid"), "success")]


def _problems(ctx: Ctx, key: str, problems: list[Problem], lessons: int) -> list[Reply]:
    listing = "\n".join(str(problem) for problem in sorted(problems))
    return [
        Notice(ctx.t(key, count=len(problems), lessons=lessons), "warning"),
        Code(listing, language="text"),
    ]


COMMANDS = (
    command(reload, group="admin", admin="bot", in_groups=True),
    command(validate, group="admin", admin="bot", in_groups=True),
)
