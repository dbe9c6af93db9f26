"""Exercises: /submit, /hint and /solution for the exercise step you are on."""

from __future__ import annotations

from dataclasses import replace

from bot.core import actions
from bot.core.activity import EXERCISE, count_day
from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.plan import RunPlan
from bot.core.ports import Submission
from bot.core.progress import Position, here
from bot.core.registry import Arg, command
from bot.core.replies import Button, Buttons, Code, Notice, Reply, Text
from bot.core.running import result_replies
from bot.curriculum.check_messages import format_message
from bot.curriculum.model import Exercise, ExerciseStep
from sandbox.result import RunRequest, RunResult, Status

FAILURES_BEFORE_SOLUTION = 3


async def _exercise(ctx: Ctx) -> tuple[Position, ExerciseStep]:
    if ctx.learner.current_lesson is None:
        raise UserError("exercise.none")
    position = await here(ctx)
    step = position.lesson.steps[position.index]
    if not isinstance(step, ExerciseStep):
        raise UserError("exercise.none")
    return position, step


async def submit(ctx: Ctx, code: str) -> RunPlan:
    """Submit your solution to the current exercise for checking.

    Put the code after the command, or in a ``` block on the same or the next line.
    """
    position, step = await _exercise(ctx)
    exercise = step.exercise
    request = RunRequest(code=code, setup=exercise.setup, check=exercise.check, probe=exercise.probe)
    lesson_id = position.lesson.id

    async def graded(after: Ctx, result: RunResult) -> list[Reply]:
        return await _graded(after, request, result, lesson_id, step)

    return RunPlan(request, graded, before=position.notices)


async def _graded(
    ctx: Ctx, request: RunRequest, result: RunResult, lesson_id: str, step: ExerciseStep
) -> list[Reply]:
    """Record a submission's verdict and explain it (the learner may have moved on meanwhile)."""
    exercise = step.exercise
    result = _localize_check(ctx, exercise, result)
    if result.status is Status.INTERNAL:
        # The sandbox failed, not the learner: this try does not count against them.
        return [Notice(ctx.t("run.internal"), "error")]
    passed = result.status is Status.OK and result.check is not None and result.check.passed
    await ctx.session.progress.add_submission(
        ctx.learner.id, Submission(lesson_id, step.id, result.status.value, passed, ctx.now())
    )
    replies: list[Reply] = await result_replies(ctx, request, result)
    next_button = Button(ctx.t("button.next"), actions.NEXT, "/next")
    buttons: tuple[Button, ...] = (next_button,) if ctx.learner.current_lesson == lesson_id else ()
    if passed:
        await count_day(ctx, EXERCISE, lesson_id, step.id)
        return [*replies, Notice(ctx.t("submit.passed"), "success"), *_row(buttons)]
    submissions = await ctx.session.progress.submissions(ctx.learner.id, lesson_id, step.id)
    failures = sum(1 for s in submissions if not s.passed)
    replies.append(Notice(_why_failed(ctx, result), "warning"))
    tips = []
    if exercise.hints:
        tips.append(ctx.t("exercise.hints", count=len(exercise.hints)))
    if failures >= FAILURES_BEFORE_SOLUTION:
        tips.append(ctx.t("submit.solution_open"))
    else:
        tips.append(ctx.t("submit.tries", failures=failures, left=FAILURES_BEFORE_SOLUTION - failures))
    replies.append(Text(" ".join(tips)))
    if buttons and exercise.hints:
        buttons = (Button(ctx.t("button.hint"), actions.HINT, "/hint"), *buttons)
    return [*replies, *_row(buttons)]


def _row(buttons: tuple[Button, ...]) -> list[Reply]:
    return [Buttons(buttons)] if buttons else []


def _localize_check(ctx: Ctx, exercise: Exercise, result: RunResult) -> RunResult:
    """Put the exercise's text for the check's message id, in the learner's language, into the result."""
    check = result.check
    if check is None or check.message_id is None or check.message_id not in exercise.messages:
        return result
    text = format_message(ctx.pick(exercise.messages[check.message_id]), check.params)
    return result.with_changes(check=replace(check, message=text))


def _why_failed(ctx: Ctx, result: RunResult) -> str:
    if result.status is not Status.OK:
        return ctx.t("submit.did_not_run")
    if result.check is None:
        return ctx.t("submit.not_checked")
    return ctx.t("submit.check_failed", message=result.check.message or ctx.t("submit.no_message"))


async def hint(ctx: Ctx) -> list[Reply]:
    """Show the next hint for the current exercise."""
    position, step = await _exercise(ctx)
    hints = step.exercise.hints
    if not hints:
        raise UserError("hint.none")
    shown = await ctx.session.progress.next_hint(ctx.learner.id, position.lesson.id, step.id, len(hints))
    text = ctx.t("hint.text", n=shown + 1, total=len(hints), hint=ctx.pick(hints[shown]))
    if shown == len(hints) - 1:
        text += "\n\n" + ctx.t("hint.last")
    return [*position.notices, Text(text)]


async def solution(ctx: Ctx) -> list[Reply]:
    """Show a model solution to the current exercise (after three failed tries)."""
    position, step = await _exercise(ctx)
    submissions = await ctx.session.progress.submissions(ctx.learner.id, position.lesson.id, step.id)
    failures = sum(1 for s in submissions if not s.passed)
    if failures < FAILURES_BEFORE_SOLUTION and not any(s.passed for s in submissions):
        raise UserError("solution.locked", count=FAILURES_BEFORE_SOLUTION - failures)
    next_button = Button(ctx.t("button.next"), actions.NEXT, "/next")
    return [
        *position.notices,
        Text(ctx.t("solution.intro")),
        Code(step.exercise.solution),
        Buttons((next_button,)),
    ]


COMMANDS = (
    command(submit, args=(Arg("code", "code", "your solution's Python code"),), lesson_flow=True),
    command(hint, lesson_flow=True),
    command(solution, lesson_flow=True),
)
