"""Read each exercise's check code statically and hold it to the exercise's ``messages``.

Every ``fail("id", name=value, ...)`` must name a message the exercise defines, with a literal id and
keyword parameters only, and each language's text of that message must use exactly those names as format
fields. Every message must be used by some ``fail()``, every ``wrong:`` sample must name a defined message,
and check code must compile. Problems point into the lesson file, inside the check code where possible.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from bot.curriculum.check_messages import template_fields
from bot.curriculum.model import Exercise, ExerciseStep, Lesson
from bot.curriculum.problems import Problem
from bot.curriculum.yaml_positions import JsonPath, SourceMap
from bot.similar import similar

FAIL = "fail"
_FAIL_SHAPE = (
    'fail() takes the message id as a literal string, then keyword parameters: fail("w-far", found=w)'
)


@dataclass(frozen=True, slots=True)
class FailCall:
    """One ``fail(...)`` in check code; ``line`` is 1-based and ``col`` 0-based, as ``ast`` gives them."""

    message_id: str | None  # None when the id is not a literal string
    params: tuple[str, ...]
    line: int
    col: int
    well_formed: bool  # a literal id, then keyword parameters only


def fail_calls(code: str) -> list[FailCall]:
    """Return every call of ``fail`` in check code, in source order; raise SyntaxError if it won't parse."""
    calls: list[FailCall] = []
    for node in ast.walk(ast.parse(code)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == FAIL):
            continue
        first = node.args[0] if node.args else None
        message_id = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        literal = message_id is not None
        names = tuple(k.arg for k in node.keywords if k.arg is not None)
        well_formed = literal and len(node.args) == 1 and len(names) == len(node.keywords)
        calls.append(FailCall(message_id, names, node.lineno, node.col_offset, well_formed))
    return sorted(calls, key=lambda call: (call.line, call.col))


def check_code_problems(lesson: Lesson, source: SourceMap) -> list[Problem]:
    """Return the problems of every exercise's check code, messages and wrong samples in a lesson."""
    problems: list[Problem] = []
    for index, step in enumerate(lesson.steps):
        if isinstance(step, ExerciseStep):
            base: JsonPath = ("steps", index, "exercise")
            problems.extend(_exercise_problems(step.exercise, source, base))
    return problems


def _exercise_problems(exercise: Exercise, source: SourceMap, base: JsonPath) -> Iterator[Problem]:
    sources = {"check": exercise.check, "probe": exercise.probe}
    located: list[tuple[FailCall, JsonPath]] = []
    for part, code in sources.items():
        if code is None:
            continue
        path = (*base, part)
        try:
            located.extend((call, path) for call in fail_calls(code))
        except SyntaxError as error:
            line, col = source.text_position(path, error.lineno or 1, (error.offset or 1) - 1)
            yield Problem(source.path, line, col, f"the {part} does not compile: {error.msg}")
            return
    fields: dict[str, dict[str, frozenset[str]]] = {}
    for message_id, texts in exercise.messages.items():
        fields[message_id] = {}
        for language, text in texts.items():
            try:
                fields[message_id][language] = template_fields(text)
            except ValueError as error:
                yield source.problem(
                    (*base, "messages", message_id, language),
                    f"the '{language}' text of message '{message_id}': {error}; "
                    "write fields as {name}, and {{ or }} for a literal brace",
                )
    for call, path in located:
        yield from _call_problems(call, fields, source, path)
    used = {call.message_id for call, _path in located}
    for message_id in exercise.messages:
        if message_id not in used:
            yield source.problem(
                (*base, "messages", message_id),
                f"message '{message_id}' is not used by any fail() in the check or probe; "
                "remove it or use it",
                at_key=True,
            )
    for number, sample in enumerate(exercise.wrong):
        if sample.message not in exercise.messages:
            yield source.problem(
                (*base, "wrong", number, "message"),
                f"wrong sample {number + 1} expects message '{sample.message}', "
                f"which 'messages' does not define{_did_you_mean(sample.message, exercise)}",
            )


def _call_problems(
    call: FailCall, fields: dict[str, dict[str, frozenset[str]]], source: SourceMap, check_path: JsonPath
) -> Iterator[Problem]:
    line, col = source.text_position(check_path, call.line, call.col)
    if not call.well_formed or call.message_id is None:
        yield Problem(source.path, line, col, _FAIL_SHAPE)
        return
    by_language = fields.get(call.message_id)
    if by_language is None:
        known = ", ".join(sorted(fields)) or "none yet"
        close = similar(call.message_id, sorted(fields), limit=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; add it under 'messages' (defined: {known})"
        text = f"fail() names message '{call.message_id}', which is not defined{hint}"
        yield Problem(source.path, line, col, text)
        return
    passed = frozenset(call.params)
    for language, used in by_language.items():
        if used == passed:
            continue
        parts = []
        if used - passed:
            parts.append(f"uses {_fields(used - passed)}, which this fail() does not pass")
        if passed - used:
            parts.append(f"does not use {_fields(passed - used)}, which this fail() passes")
        text = f"the '{language}' text of message '{call.message_id}' " + " and ".join(parts)
        yield Problem(source.path, line, col, text)


def _fields(names: frozenset[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


def _did_you_mean(message_id: str, exercise: Exercise) -> str:
    close = similar(message_id, sorted(exercise.messages), limit=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
