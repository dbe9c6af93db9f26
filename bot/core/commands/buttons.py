"""Route a button's action id to the command behind it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.actions import parse_action
from bot.core.commands import account, exercise, info, lessons, quiz, run
from bot.core.context import Ctx
from bot.core.registry import CommandKind
from bot.core.replies import Reply

Call = Callable[[Ctx], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Routed:
    """What an action does: ``call(ctx)``; ``kind="run"`` uses the sandbox (and its rate limit)."""

    call: Call
    kind: CommandKind = "default"


def route_action(action_id: str) -> Routed | None:
    """Return what an action id does, or None if it is malformed or from an older version."""
    action = parse_action(action_id)
    verb, parts = action.verb, action.parts
    simple: dict[str, Call] = {
        "next": lessons.next_step,
        "back": lessons.back,
        "hint": exercise.hint,
        "start": info.start,
    }
    if verb in simple and not parts:
        return Routed(simple[verb])
    if verb == "lesson" and len(parts) == 1:
        return Routed(lambda ctx: lessons.lesson(ctx, parts[0]))
    if verb == "reset" and len(parts) == 1:
        return Routed(lambda ctx: lessons.reset(ctx, parts[0], "confirm"))
    if verb == "forget" and parts == ("yes",):
        return Routed(lambda ctx: account.forget(ctx, "confirm"))
    if verb == "run" and len(parts) == 2:
        return Routed(lambda ctx: run.run_step(ctx, parts[0], parts[1]), kind="run")
    if verb == "ans" and len(parts) == 3:
        return Routed(lambda ctx: quiz.answer_button(ctx, parts[0], parts[1], parts[2]))
    return None
