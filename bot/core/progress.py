"""Where a learner is: opening, resuming and moving through lessons, surviving lesson edits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.ports import Progress
from bot.core.replies import Notice
from bot.curriculum.model import Lesson

BAR_WIDTH = 8


@dataclass(frozen=True, slots=True)
class Position:
    """A learner's place in a lesson, plus notices to show about how it was found."""

    lesson: Lesson
    index: int
    progress: Progress
    notices: tuple[Notice, ...] = ()


async def locate(ctx: Ctx, lesson: Lesson) -> Position:
    """Return where the learner is in ``lesson``, starting it if new and following lesson edits."""
    progress = await ctx.session.progress.get(ctx.learner.id, lesson.id)
    if progress is None:
        return await move(ctx, lesson, 0, None)
    index = lesson.find_step(progress.step_key)
    notices: tuple[Notice, ...] = ()
    if index is None:
        index = min(progress.step_index, len(lesson.steps) - 1)
        notices = (Notice(ctx.t("lesson.edited_moved")),)
    elif progress.lesson_version != lesson.version:
        notices = (Notice(ctx.t("lesson.edited_same")),)
    if notices or index != progress.step_index:
        moved = await move(ctx, lesson, index, progress)
        return Position(lesson, index, moved.progress, notices)
    return Position(lesson, index, progress)


async def move(
    ctx: Ctx, lesson: Lesson, index: int, progress: Progress | None, *, completed: bool = False
) -> Position:
    """Save the learner at step ``index`` (and the lesson as completed, if so) and return the position."""
    now = ctx.now()
    saved = Progress(
        lesson_id=lesson.id,
        lesson_version=lesson.version,
        step_key=lesson.step_key(index),
        step_index=index,
        started_at=progress.started_at if progress else now,
        updated_at=now,
        completed_at=(progress.completed_at if progress else None) or (now if completed else None),
    )
    await ctx.session.progress.save(ctx.learner.id, saved)
    return Position(lesson, index, saved)


def current_lesson(ctx: Ctx) -> Lesson:
    """Return the learner's current lesson; raise ``UserError`` saying what to type if there is none."""
    lesson_id = ctx.learner.current_lesson
    if lesson_id is None:
        raise UserError("lesson.none_active")
    lesson = ctx.catalog.get(lesson_id)
    if lesson is None:
        raise UserError("lesson.gone", lesson=lesson_id)
    return lesson


async def here(ctx: Ctx) -> Position:
    """Return the learner's position in their current lesson."""
    return await locate(ctx, current_lesson(ctx))


def steps_done(lesson: Lesson, progress: Progress | None) -> int:
    """Return how many steps count as done: all once completed, else those before the current one."""
    if progress is None:
        return 0
    if progress.completed_at is not None:
        return len(lesson.steps)
    index = lesson.find_step(progress.step_key)
    return min(progress.step_index if index is None else index, len(lesson.steps))


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """Return a text bar such as ``▓▓▓▓░░░░ 4/8``."""
    filled = round(width * done / total) if total else 0
    return f"{'▓' * filled}{'░' * (width - filled)} {done}/{total}"


def unmet_requirements(ctx: Ctx, lesson: Lesson, completed: set[str]) -> list[str]:
    """Return the prerequisites of ``lesson`` the learner has not completed."""
    return [req for req in lesson.requires if req not in completed and ctx.catalog.get(req) is not None]
