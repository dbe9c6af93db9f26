"""Button action ids: compact strings (at most 64 bytes) that come back through ``Tutor.action``.

Formats::

    next | back | hint | start
    lesson:<lesson>              open or resume a lesson
    run:<lesson>:<step>          run a code step's code
    ans:<lesson>:<step>:<n>      answer option n (1-based) of a quiz step
    reset:<lesson>               confirm resetting a lesson
    forget:yes                   confirm deleting the learner's data
    rate:<lesson>:<n>            rate a lesson n stars (1-5)
    practice                     ask the next practice question that is due
    prac:<lesson>:<step>:<n>     answer option n (1-based) of a practice question

``<step>`` is the step's progress key (its id, or its index where it has none) when the whole id fits in
64 bytes, else ``#`` and the step's index; ids are limited to 32 characters each, so two of them may not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.replies import MAX_ACTION_BYTES
from bot.curriculum.model import Lesson

NEXT = "next"
BACK = "back"
HINT = "hint"
START = "start"
FORGET = "forget:yes"
PRACTICE = "practice"

ActionRole = Literal["forward", "back", "execute", "answer", "hint", "destructive"]
"""What pressing a button does, for front ends that present or follow up presses differently.

``forward`` opens or advances a lesson, ``back`` goes back a step, ``execute`` runs code, ``answer`` answers a
question, ``hint`` shows a hint, and ``destructive`` confirms deleting something.
"""
_ROLES: dict[str, ActionRole] = {
    "next": "forward",
    "lesson": "forward",
    "start": "forward",
    "back": "back",
    "run": "execute",
    "ans": "answer",
    "hint": "hint",
    "reset": "destructive",
    "forget": "destructive",
    "rate": "answer",
    "practice": "forward",
    "prac": "answer",
}


@dataclass(frozen=True, slots=True)
class Action:
    """A parsed action id: its verb and the parts after it."""

    verb: str
    parts: tuple[str, ...] = ()


def parse_action(action_id: str) -> Action:
    """Split an action id into its verb and parts."""
    verb, *parts = action_id.strip().split(":")
    return Action(verb=verb, parts=tuple(parts))


def action_role(action_id: str) -> ActionRole | None:
    """Return what pressing the button with this action does; None for an unknown action."""
    return _ROLES.get(parse_action(action_id).verb)


def moves_on(action_id: str) -> bool:
    """Tell whether pressing this button leaves its message behind (rather than being pressed again)."""
    return action_role(action_id) in ("forward", "back", "destructive")


def lesson_action(lesson_id: str) -> str:
    """Return the action that opens a lesson."""
    return f"lesson:{lesson_id}"


def reset_action(lesson_id: str) -> str:
    """Return the action that confirms resetting a lesson."""
    return f"reset:{lesson_id}"


def run_action(lesson: Lesson, index: int) -> str:
    """Return the action that runs the code of step ``index``."""
    return _with_step_ref("run", lesson, index, "")


def answer_action(lesson: Lesson, index: int, option: int) -> str:
    """Return the action that answers step ``index`` with 0-based ``option`` (shown 1-based)."""
    return _with_step_ref("ans", lesson, index, f":{option + 1}")


def rate_action(lesson_id: str, stars: int) -> str:
    """Return the action that rates a lesson ``stars`` stars."""
    return f"rate:{lesson_id}:{stars}"


def practice_answer_action(lesson: Lesson, index: int, option: int) -> str:
    """Return the action that answers practice question ``index`` with 0-based ``option``."""
    return _with_step_ref("prac", lesson, index, f":{option + 1}")


def step_index(lesson: Lesson, ref: str) -> int | None:
    """Return the index of the step a ``<step>`` part refers to, or None if it no longer exists."""
    if ref.startswith("#"):
        number = ref[1:]
        return int(number) if number.isdigit() and int(number) < len(lesson.steps) else None
    return lesson.find_step(ref)


def _with_step_ref(verb: str, lesson: Lesson, index: int, suffix: str) -> str:
    action = f"{verb}:{lesson.id}:{lesson.step_key(index)}{suffix}"
    if len(action.encode()) <= MAX_ACTION_BYTES:
        return action
    return f"{verb}:{lesson.id}:#{index}{suffix}"
