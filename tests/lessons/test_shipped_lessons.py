"""Every lesson that ships loads without a problem, and its code does what the lesson says."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.curriculum.loader import load_lessons
from bot.curriculum.model import CodeStep, Lesson, QuizStep
from bot.curriculum.verify import verify_lessons
from bot.resources import shipped_lessons_dir
from sandbox.result import RunRequest, RunResult

SHIPPED = sorted(shipped_lessons_dir().glob("*.yaml"))


def load(path: Path) -> Lesson:
    report = load_lessons([path], context=[shipped_lessons_dir()])
    assert [str(p) for p in report.problems] == []
    return next(iter(report.sources.values())).lesson


def test_lessons_ship() -> None:
    assert len(SHIPPED) >= 3


def test_shipped_catalog_loads_without_problems() -> None:
    report = load_lessons([shipped_lessons_dir()])

    assert [str(p) for p in report.problems] == []
    assert len(report.catalog.ids()) == len(SHIPPED)


def test_shipped_lesson_ids_are_unique() -> None:
    ids = load_lessons([shipped_lessons_dir()]).catalog.ids()

    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_lesson_has_a_code_step_with_an_expectation(path: Path) -> None:
    lesson = load(path)

    assert any(isinstance(step, CodeStep) and step.expect is not None for step in lesson.steps)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_quizzes_explain_every_wrong_option(path: Path) -> None:
    quizzes = [step.quiz for step in load(path).steps if isinstance(step, QuizStep)]

    assert quizzes
    for quiz in quizzes:
        assert all(option.explain for option in quiz.options if not option.correct)


class InlineSandbox:
    """Run lesson code (trusted) with the sandbox's language policy, in this process, matplotlib included."""

    policy_rebuilt = False

    def __init__(self) -> None:
        from sandbox import executor, figures

        if not figures.is_ready():
            figures.prepare()
        if not InlineSandbox.policy_rebuilt:
            # Lessons draw figures; the policy offers matplotlib only when built after prepare(), and an
            # earlier test in this process may have built it before.
            executor._policy = None
            InlineSandbox.policy_rebuilt = True

    async def run(self, request: RunRequest) -> RunResult:
        from sandbox.executor import run_inline

        return run_inline(request)

    async def aclose(self) -> None:
        pass


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
async def test_shipped_lesson_code_does_what_the_lesson_says(path: Path) -> None:
    pytest.importorskip("sandbox.executor", reason="the sandbox executor is not built yet")
    report = load_lessons([path], context=[shipped_lessons_dir()])

    problems = await verify_lessons(list(report.sources.values()), InlineSandbox(), concurrency=1)

    assert [str(p) for p in problems] == []


def test_conv_output_size_is_taught_before_the_shape_exercise() -> None:
    lesson = load(shipped_lessons_dir() / "neural-networks.yaml")
    order = [step.id for step in lesson.steps]

    formula = lesson.steps[order.index("conv-output-size")]

    assert order.index("conv-output-size") < order.index("shape-contract")
    assert isinstance(formula, CodeStep) and formula.text is not None
    assert "// stride + 1" in formula.text["en"] and "// stride + 1" in formula.text["zh"]


def test_every_shipped_chapter_has_a_name() -> None:
    catalog = load_lessons([shipped_lessons_dir()]).catalog
    unnamed = sorted({x.chapter for x in catalog.lessons if not catalog.chapter_title(x.chapter)})
    assert unnamed == [], "give one lesson of each chapter a 'chapter_title'"
