"""Shipped exercises fail through localized messages, reject wrong answers, comment zh starters in Chinese."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator

import pytest

from bot.curriculum.loader import load_lessons
from bot.curriculum.model import Exercise, ExerciseStep
from bot.resources import shipped_lessons_dir

MIN_WRONG_SAMPLES = 2
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")


def shipped_exercises() -> Iterator[tuple[str, Exercise]]:
    report = load_lessons([shipped_lessons_dir()])
    assert [str(p) for p in report.problems] == []
    for lesson in report.catalog.lessons:
        for step in lesson.steps:
            if isinstance(step, ExerciseStep):
                yield f"{lesson.id}:{step.id}", step.exercise


EXERCISES = dict(shipped_exercises())


def comments(code: str) -> list[str]:
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return [token.string.lstrip("#").strip() for token in tokens if token.type == tokenize.COMMENT]


def test_every_chapter_has_exercises() -> None:
    assert len(EXERCISES) >= 26


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_exercise_has_wrong_samples_with_distinct_code(name: str) -> None:
    samples = EXERCISES[name].wrong

    assert len(samples) >= MIN_WRONG_SAMPLES
    assert len({sample.code for sample in samples}) == len(samples)


@pytest.mark.parametrize("name", sorted(EXERCISES))
@pytest.mark.parametrize("part", ["check", "probe"])
def test_check_and_probe_fail_only_through_localized_messages(name: str, part: str) -> None:
    tree = ast.parse(getattr(EXERCISES[name], part) or "")
    plain = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
        or (isinstance(node, ast.Raise) and "AssertionError" in ast.unparse(node.exc or node))
    ]

    assert plain == [], f"use fail('message-id', ...), not assert or AssertionError, at {part} lines {plain}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_chinese_starter_comments_are_in_chinese(name: str) -> None:
    starters = EXERCISES[name].starters()
    zh = starters.get("zh", starters.get(""))
    assert zh is not None

    english = [c for c in comments(zh) if ENGLISH_WORDS.search(c.removeprefix("TODO:"))]

    assert english == [], "give the starter a zh version whose comments are in Chinese"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_english_starter_comments_have_no_chinese(name: str) -> None:
    starters = EXERCISES[name].starters()
    en = starters.get("en", starters.get(""))
    assert en is not None

    assert [c for c in comments(en) if CJK.search(c)] == []
