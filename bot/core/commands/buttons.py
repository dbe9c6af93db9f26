"""Route a button's action id to the command behind it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.actions import parse_action
from bot.core.commands import account, course, exercise, info, lessons, practice, quiz, run
from bot.core.context import Ctx
from bot.core.plan import RunPlan
from bot.core.replies import Reply

Call = Callable[[Ctx], Awaitable["list[Reply] | RunPlan"]]


def route_action(action_id: str) -> Call | None:
    """Return what an action id does, or None if it is malformed or from an older version."""
    action = parse_action(action_id)
    verb, parts = action.verb, action.parts
    simple: dict[str, Call] = {
        "next": lessons.next_step,
        "back": lessons.back,
        "hint": exercise.hint,
        "start": info.start,
        "practice": practice.practice,
    }
    if verb in simple and not parts:
        return simple[verb]
    if verb == "lesson" and len(parts) == 1:
        return lambda ctx: lessons.lesson(ctx, parts[0])
    if verb == "reset" and len(parts) == 1:
        return lambda ctx: lessons.reset(ctx, parts[0], "confirm")
    if verb == "forget" and parts == ("yes",):
        return lambda ctx: account.forget(ctx, "confirm")
    if verb == "run" and len(parts) == 2:
        return lambda ctx: run.run_step(ctx, parts[0], parts[1])
    if verb == "ans" and len(parts) == 3:
        return lambda ctx: quiz.answer_button(ctx, parts[0], parts[1], parts[2])
    if verb == "prac" and len(parts) == 3:
        return lambda ctx: practice.practice_button(ctx, parts[0], parts[1], parts[2])
    if verb == "rate" and len(parts) == 2 and parts[1].lstrip("-").isdigit():
        return lambda ctx: course.rate(ctx, parts[0], int(parts[1]))
    return None
