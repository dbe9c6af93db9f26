"""Turn pydantic validation errors and missing translations into plain-English problems at a YAML line.

Each message says what is wrong and, where it is not obvious, how to fix it; the position is the key
itself for an unknown key, the mapping that lacks it for a missing key, and the value otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from bot.curriculum.model import MESSAGE_ID_MAX
from bot.curriculum.problems import Problem
from bot.curriculum.typewalk import Resolved, iter_localized, localized_keys, resolve_loc
from bot.curriculum.yaml_positions import JsonPath, SourceMap
from bot.similar import similar

ID_RULE = "must be lowercase letters, digits and dashes, at most 32 characters"
MESSAGE_ID_RULE = f"must be lowercase letters, digits and dashes, at most {MESSAGE_ID_MAX} characters"
_CONTENT_KEYS = ("code", "quiz", "numeric", "exercise", "text")
_STEP_NEEDS = "a step needs one content key: text, code, quiz, numeric or exercise"

_TYPE_RULES = {
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be a mapping of keys to values",
    "model_type": "must be a mapping of keys to values",
    "model_attributes_type": "must be a mapping of keys to values",
    "list_type": "must be a list (one '- ' line per item)",
}


def label(path: JsonPath) -> str:
    """Name the value at ``path`` the way an author would: ``'title'`` or ``item 2 of 'requires'``."""
    if not path:
        return "the lesson"
    if len(path) >= 2 and path[-2] == "messages":
        return f"message '{path[-1]}'"
    last = path[-1]
    if isinstance(last, int):
        owner = next((p for p in reversed(path) if isinstance(p, str)), "list")
        return f"item {last + 1} of '{owner}'"
    return f"'{last}'"


def _join_or(words: Sequence[str]) -> str:
    quoted = [f"'{word}'" for word in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _relative(base: JsonPath, dotted: str) -> JsonPath:
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in dotted.split(".") if p]
    return (*base, *parts)


def _unknown_key(key: str, resolved: Resolved) -> str:
    parent = resolved.parent
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return f"unknown key '{key}'"
    fields = list(parent.model_fields)
    own = next((k for k in _CONTENT_KEYS if k in fields), None)
    if key in _CONTENT_KEYS and own is not None and "id" in fields and own != "text":
        return f"a step takes only one content key: '{key}' cannot be combined with '{own}'; split the step"
    if key == "answer" and "options" in fields:
        return f"unknown key '{key}': quizzes mark the right option with `correct: true`"
    close = similar(key, fields, limit=1)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}'; allowed here: {', '.join(fields)}"


def _typed_message(kind: str, where: str, error: ErrorDetails, path: JsonPath) -> str | None:
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    is_id = bool(path) and path[-1] == "id"
    if is_id and kind in ("string_pattern_mismatch", "string_too_long"):
        return f"'id' {ID_RULE}"
    if kind in _TYPE_RULES:
        return f"{where} {_TYPE_RULES[kind]}"
    if kind == "string_type":
        hint = " (put it in quotes)" if isinstance(error.get("input"), bool | int | float) else ""
        return f"{where} must be text{hint}"
    if kind == "string_too_short":
        return f"{where} must not be empty"
    if kind == "string_too_long":
        return f"{where} is too long: at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        return f"{where} must match the pattern {ctx.get('pattern')}"
    if kind == "too_short":
        count = ctx.get("min_length")
        return f"{where} needs at least {count} item{'s' if count != 1 else ''}"
    if kind == "too_long":
        return f"{where} takes at most {ctx.get('max_length')} items"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"{where} must be {words} {ctx.get(key)}"
    return None


def error_problem(error: ErrorDetails, source: SourceMap) -> Problem:
    """Return the problem for one pydantic error, located in the YAML source."""
    resolved = resolve_loc(tuple(error["loc"]))
    path = resolved.path
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "extra_forbidden":
        return source.problem(path, _unknown_key(str(path[-1]), resolved), at_key=True)
    if kind == "missing":
        where = f" in {label(path[:-1])}" if len(path) > 1 else ""
        return source.problem(path[:-1], f"missing required key '{path[-1]}'{where}", at_key=True)
    if resolved.at_key:
        allowed = localized_keys(resolved.parent) or ()
        if allowed:
            message = f"unknown language '{path[-1]}' in {label(path[:-1])} (use {_join_or(allowed)})"
        elif len(path) >= 2 and path[-2] == "messages":
            message = f"message id '{path[-1]}' {MESSAGE_ID_RULE}"
        else:
            message = f"key '{path[-1]}' is not allowed here"
        return source.problem(path, message, at_key=True)
    if kind == "step_kind":
        if isinstance(error.get("input"), dict):
            return source.problem(path, _STEP_NEEDS)
        return source.problem(path, _STEP_NEEDS.replace("a step needs", "a step must be a mapping with"))
    if "at" in ctx:
        target = _relative(path, str(ctx["at"]))
        if kind == "duplicate_step_id":
            first_line, _ = source.value_at(_relative(path, str(ctx["first_at"])))
            message = (
                f"step id '{ctx['id']}' is used twice (first at line {first_line}); "
                "step ids must be unique in a lesson"
            )
            return source.problem(target, message, at_key=True)
        return source.problem(target, error["msg"], at_key=True)
    typed = _typed_message(kind, label(path), error, path)
    if typed is not None:
        return source.problem(path, typed)
    raw = str(ctx["error"]) if kind == "value_error" and "error" in ctx else error["msg"]
    return source.problem(path, f"{label(path)}: {raw[:1].lower()}{raw[1:]}" if path else raw)


def error_problems(errors: Iterable[ErrorDetails], source: SourceMap) -> list[Problem]:
    """Return the problems for pydantic errors, one each, in file order."""
    return sorted({error_problem(error, source) for error in errors}, key=_file_order)


def translation_problems(data: Any, source: SourceMap, languages: Sequence[str]) -> list[Problem]:
    """Return a problem for every translated text that lacks one of the configured languages."""
    problems: list[Problem] = []
    for path, texts in iter_localized(data):
        name = label(path)
        if name.startswith("'") and name.endswith("'"):
            name = name[1:-1]
        for language in languages:
            if language not in texts:
                problems.append(source.problem(path, f"{name} is missing the '{language}' text"))
    return problems


def _file_order(problem: Problem) -> tuple[int, int, str]:
    return (problem.line or 0, problem.col or 0, problem.message)
