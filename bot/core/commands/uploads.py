"""Lessons uploaded through chat: /admin upload and /admin lessons.

An upload is checked like a lesson file (with ``file:line:`` problems in the reply) and against the
catalog it joins; only a valid one is stored. Stored uploads overlay the lesson folders in every bot
process: this one at once, the others when they next refresh (``Tutor.refresh_uploads``).
"""

from __future__ import annotations

import asyncio

from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.ports import UploadedLesson
from bot.core.registry import Arg, Upload, command
from bot.core.replies import Code, Notice, Reply, Text
from bot.curriculum.catalog import UploadSource
from bot.curriculum.problems import Problem

MAX_UPLOAD_BYTES = 256 * 1024
LESSON_SUFFIXES = (".yaml", ".yml")


async def upload(ctx: Ctx, file: Upload) -> list[Reply]:
    """Install a lesson file (YAML); it is checked first and replaces a folder lesson with its id.

    Every problem is listed as file:line: message, and nothing is installed until there are none.
    """
    if not file.filename.lower().endswith(LESSON_SUFFIXES):
        raise UserError("upload.not_yaml", file=file.filename)
    if len(file.data) > MAX_UPLOAD_BYTES:
        raise UserError("upload.too_big", size=len(file.data) // 1024, limit=MAX_UPLOAD_BYTES // 1024)
    try:
        text = file.data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("upload.not_utf8", file=file.filename) from None
    source = UploadSource(file.filename, text)
    checked = await asyncio.to_thread(ctx.services.catalog.check_upload, source, ctx.catalog)
    if checked.lesson is None:
        return [
            Notice(ctx.t("upload.invalid", count=len(checked.problems), file=file.filename), "warning"),
            _listing(checked.problems),
        ]
    lesson = checked.lesson
    replaces = ctx.catalog.get(lesson.id) is not None
    await ctx.session.uploads.save(
        UploadedLesson(
            lesson_id=lesson.id,
            source=text,
            filename=file.filename,
            uploaded_by=f"{ctx.user.platform}:{ctx.user.user_id}",
            uploaded_at=ctx.now(),
        )
    )
    problems = await apply_uploads(ctx)
    key = "upload.replaced" if replaces else "upload.installed"
    replies: list[Reply] = [
        Notice(ctx.t(key, title=ctx.pick(lesson.title), lesson=lesson.id, file=file.filename), "success")
    ]
    return replies + _unserved(ctx, problems)


async def uploaded(ctx: Ctx, action: str = "list", lesson: str | None = None) -> list[Reply]:
    """List the lessons uploaded through chat, or disable, enable or remove one."""
    if action == "list":
        return await _list(ctx)
    if lesson is None:
        raise UserError("uploads.which", action=action)
    if action == "remove":
        found = await ctx.session.uploads.remove(lesson)
    else:
        found = await ctx.session.uploads.set_enabled(lesson, action == "enable")
    if not found:
        raise UserError("uploads.unknown", lesson=lesson)
    problems = await apply_uploads(ctx)
    return [Notice(ctx.t(f"uploads.{action}d", lesson=lesson), "success"), *_unserved(ctx, problems)]


async def apply_uploads(ctx: Ctx) -> list[Problem]:
    """Serve the enabled uploads as this command's transaction sees them; return their problems."""
    uploads = [u for u in await ctx.session.uploads.all() if u.enabled]
    sources = [UploadSource(u.filename, u.source) for u in uploads]
    return await asyncio.to_thread(ctx.services.catalog.set_uploads, sources)


async def _list(ctx: Ctx) -> list[Reply]:
    uploads = await ctx.session.uploads.all()
    if not uploads:
        return [Notice(ctx.t("uploads.none"))]
    lines = [f"**{ctx.t('uploads.title')}**"]
    for item in uploads:
        state = "" if item.enabled else " · " + ctx.t("uploads.off")
        when = item.uploaded_at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"- `{item.lesson_id}` · {item.filename} · {item.uploaded_by} · {when}{state}")
    return [Text("\n".join(lines))]


def _unserved(ctx: Ctx, problems: list[Problem]) -> list[Reply]:
    if not problems:
        return []
    return [Notice(ctx.t("uploads.unserved", count=len(problems)), "warning"), _listing(problems)]


def _listing(problems: list[Problem]) -> Code:
    return Code("\n".join(str(problem) for problem in sorted(problems)), language="text")


COMMANDS = (
    command(
        upload,
        group="admin",
        admin="bot",
        args=(Arg("file", "file", "the lesson file (.yaml)"),),
        in_groups=True,
        platforms=("discord",),  # the only front end that takes attachments
    ),
    command(
        uploaded,
        name="lessons",
        group="admin",
        admin="bot",
        in_groups=True,
        args=(
            Arg("action", "choice", "what to do", False, ("list", "disable", "enable", "remove")),
            Arg("lesson", "lesson", "the uploaded lesson's id", required=False),
        ),
    ),
)
