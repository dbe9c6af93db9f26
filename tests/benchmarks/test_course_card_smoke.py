"""The course card benchmark runs end to end on SQLite: no failed command and counts that check out."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(60)
def test_course_card_benchmark_checks_its_counts_on_sqlite(capsys: pytest.CaptureFixture[str]) -> None:
    benchmark = load("course_card")

    status = benchmark.main(["--backend", "sqlite", "--learners", "4", "--commands", "8", "--think-ms", "0"])

    output = capsys.readouterr().out
    assert status == 0, output
    assert output.count("counts correct after the run: yes") == 2
    assert "/course" in output


async def test_the_check_finds_counts_that_disagree_with_the_rows(
    store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.core.ports import CourseCounts, PlatformUser
    from bot.store.repositories.course import SqlCourse
    from tests.core.conftest import autograd_lesson, tensor_lesson
    from tests.fakes import FakeCatalogSource

    benchmark = load("course_card")
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    async with store.session() as session:
        learner = await session.learners.get_or_create(PlatformUser("console", "a", "A"))
        await session.reviews.rate(learner.id, "tensor-basics", 4, benchmark_now())
    assert await benchmark.check_counts(store, catalog) == []

    async def wrong(self, lesson_ids):
        return CourseCounts(7, 0, ())

    monkeypatch.setattr(SqlCourse, "counts", wrong)
    problems = await benchmark.check_counts(store, catalog)
    assert any("one-query counts" in problem for problem in problems)
    assert any("/course does not" in problem for problem in problems)


def benchmark_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
