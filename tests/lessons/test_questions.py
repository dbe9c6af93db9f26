"""Quiz and numeric questions fit the chat apps and stand on their own."""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.curriculum.loader import load_lessons
from bot.curriculum.model import Lesson, NumericStep, QuizStep
from bot.resources import shipped_lessons_dir

POLL_EXPLANATION_LIMIT = 200  # Telegram's limit for a quiz poll's explanation
STATED_PRECISION = {"zh": re.compile(r"位小数|小数点后"), "en": re.compile(r"decimal", re.IGNORECASE)}


def shipped_lessons() -> list[Lesson]:
    report = load_lessons([shipped_lessons_dir()])
    assert [str(p) for p in report.problems] == []
    return list(report.catalog.lessons)


LESSONS = shipped_lessons()


def questions() -> Iterator[tuple[str, QuizStep | NumericStep]]:
    for lesson in LESSONS:
        for step in lesson.steps:
            if isinstance(step, QuizStep | NumericStep):
                yield f"{lesson.id}:{step.id}", step


QUESTIONS = dict(questions())
QUIZZES = {name: step for name, step in QUESTIONS.items() if isinstance(step, QuizStep)}
# Answers that are not exact to three decimals (0.2267 for 0.226667) must say how far to round.
ROUNDED = {
    name: step
    for name, step in QUESTIONS.items()
    if isinstance(step, NumericStep) and abs(step.numeric.answer - round(step.numeric.answer, 3)) > 1e-9
}


def undefined_names(code: str) -> set[str]:
    """Return the names code reads but neither defines, imports nor gets from builtins."""
    tree = ast.parse(code)
    defined = set(dir(builtins))
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.alias):
            defined.add((node.asname or node.name).split(".")[0])
    return read - defined


@pytest.mark.parametrize("name", sorted(QUIZZES))
def test_quiz_explanation_fits_a_telegram_poll(name: str) -> None:
    explain = QUIZZES[name].quiz.explain or {}

    too_long = {lang: len(text) for lang, text in explain.items() if len(text) > POLL_EXPLANATION_LIMIT}

    assert too_long == {}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_code_shown_with_a_question_runs_on_its_own(name: str) -> None:
    step = QUESTIONS[name]
    code = step.quiz.code if isinstance(step, QuizStep) else step.numeric.code

    assert undefined_names(code or "") == set(), "define or import every name the shown code uses"


@pytest.mark.parametrize("name", sorted(ROUNDED))
def test_rounded_numeric_answer_states_its_precision(name: str) -> None:
    numeric = ROUNDED[name].numeric

    for language, pattern in STATED_PRECISION.items():
        assert pattern.search(numeric.question[language]), f"say how many decimals to give ({language})"


def test_undefined_names_finds_a_class_used_without_its_definition() -> None:
    assert undefined_names("x = torch.ones(1)\nCube.apply(x)") == {"torch", "Cube"}


def test_undefined_names_accepts_what_the_code_defines() -> None:
    code = "import torch\nclass C:\n    def f(self, a):\n        return a\nC().f(torch.ones(1))"

    assert undefined_names(code) == set()


def test_every_lesson_file_was_read() -> None:
    assert len(LESSONS) == len(list(Path(shipped_lessons_dir()).glob("*.yaml")))
