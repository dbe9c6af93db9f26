"""``tutor lessons validate|check|schema``: exit codes, problem lines on stdout, summaries on stderr."""

from __future__ import annotations

import argparse
import sys
import types
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.cli import lessons as cli
from bot.config import SandboxSettings, Settings
from sandbox.result import CheckResult, RunRequest, RunResult, Status


def lesson(lesson_id: str, requires: str = "", extra_steps: str = "") -> str:
    return (
        f"id: {lesson_id}\nchapter: 1\ntitle: {{zh: 课, en: Lesson}}\n"
        + (f"requires: [{requires}]\n" if requires else "")
        + "steps:\n  - text: {zh: 你好, en: Hello}\n"
        + extra_steps
    )


def run(argv: list[str], lessons_dir: Path) -> int:
    parser = argparse.ArgumentParser(prog="tutor")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    settings = Settings(lessons_dirs=[lessons_dir], languages=["zh", "en"])
    return int(args.handler(args, settings))


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "base.yaml").write_text(lesson("base"), encoding="utf-8")
    return folder


def test_validate_exits_0_and_prints_a_summary_on_stderr(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["lessons", "validate"], lessons_dir)

    out, err = capsys.readouterr()
    assert (code, out, err) == (0, "", "1 lesson OK\n")


def test_validate_exits_1_with_one_sorted_problem_per_line(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lessons_dir / "b.yaml").write_text(lesson("b").replace("chapter: 1", "chapter: x"), encoding="utf-8")
    (lessons_dir / "a.yaml").write_text(lesson("a", requires="nope"), encoding="utf-8")

    code = run(["lessons", "validate"], lessons_dir)

    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        f"{lessons_dir}/a.yaml:4:12: 'requires' names unknown lesson 'nope'",
        f"{lessons_dir}/b.yaml:2:10: 'chapter' must be a whole number",
    ]
    assert err == "2 problems in 2 files\n"


def test_validate_paths_may_require_configured_lessons(
    lessons_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "next.yaml"
    draft.write_text(lesson("next", requires="base"), encoding="utf-8")

    code = run(["lessons", "validate", str(draft)], lessons_dir)

    assert (code, capsys.readouterr().out) == (0, "")


EXERCISE = (
    "  - id: task\n    exercise:\n      prompt: {zh: 写, en: Write}\n"
    "      starter: 'x = 0'\n      solution: 'x = 1'\n      check: 'assert x == 1'\n"
)


def fake_factory(passes: bool) -> types.ModuleType:
    class Sandbox:
        async def run(self, request: RunRequest) -> RunResult:
            return RunResult(status=Status.OK, check=CheckResult(passed=passes))

        async def aclose(self) -> None:
            pass

    @asynccontextmanager
    async def open_sandbox(settings: SandboxSettings) -> AsyncIterator[Sandbox]:
        yield Sandbox()

    module = types.ModuleType("bot.app.sandbox")
    module.open_sandbox = open_sandbox  # type: ignore[attr-defined]
    return module


def test_check_reports_a_starter_that_passes(
    lessons_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (lessons_dir / "base.yaml").write_text(lesson("base", extra_steps=EXERCISE), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "bot.app.sandbox", fake_factory(passes=True))

    code = run(["lessons", "check"], lessons_dir)

    assert code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{lessons_dir}/base.yaml:6: exercise 'task': the starter already passes the check; "
        "it must leave work for the learner"
    ]


def test_check_exits_0_when_everything_holds(
    lessons_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "bot.app.sandbox", fake_factory(passes=True))

    code = run(["lessons", "check"], lessons_dir)

    out, err = capsys.readouterr()
    assert (code, out, err) == (0, "", "1 lesson checked OK\n")


def test_schema_check_fails_for_an_outdated_file(lessons_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "lesson.schema.json"
    target.write_text("{}\n", encoding="utf-8")

    assert run(["lessons", "schema", "--check", "--output", str(target)], lessons_dir) == 1


def test_schema_writes_the_file(lessons_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "lesson.schema.json"

    assert run(["lessons", "schema", "--output", str(target)], lessons_dir) == 0
    assert run(["lessons", "schema", "--check", "--output", str(target)], lessons_dir) == 0


def test_validate_reports_every_problem_of_every_file_in_one_pass(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A file with schema problems is still checked against the others: its unknown prerequisite and
    # its clash with another file's id come in the same run.
    broken = lesson("base", requires="nope").replace("chapter: 1", "chapter: x")
    (lessons_dir / "copy.yaml").write_text(broken, encoding="utf-8")
    (lessons_dir / "bad.yaml").write_text("id: bad\nsteps:\n  - text: hi\n   - text: ho\n", encoding="utf-8")

    code = run(["lessons", "validate"], lessons_dir)

    out = capsys.readouterr().out
    assert code == 1
    assert f"{lessons_dir}/copy.yaml:2:10: 'chapter' must be a whole number" in out
    assert f"{lessons_dir}/copy.yaml:4:12: 'requires' names unknown lesson 'nope'" in out
    assert f"{lessons_dir}/copy.yaml:1:5: lesson id 'base' is also used by {lessons_dir}/base.yaml" in out
    assert f"{lessons_dir}/copy.yaml:1:5: the file of lesson 'base' should be named 'base.yaml'" in out
    assert f"{lessons_dir}/bad.yaml:4:4: invalid YAML" in out and "check the indentation of this line" in out


def test_validate_tells_how_quizzes_mark_the_right_option(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quiz = (
        "  - id: q\n    quiz:\n      question: {zh: 问, en: Q}\n      options:\n"
        "        - text: {zh: 一, en: one}\n        - text: {zh: 二, en: two}\n      answer: 2\n"
    )
    (lessons_dir / "quiz.yaml").write_text(lesson("quiz", extra_steps=quiz), encoding="utf-8")

    run(["lessons", "validate"], lessons_dir)

    message = "unknown key 'answer': quizzes mark the right option with `correct: true`"
    assert capsys.readouterr().out == f"{lessons_dir}/quiz.yaml:12:7: {message}\n"


@pytest.mark.parametrize(
    ("required", "hint"), [("bsae", " (did you mean 'base'?)"), ("basics-of-it", ""), ("b", "")]
)
def test_validate_suggests_only_a_plausibly_meant_lesson(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str], required: str, hint: str
) -> None:
    (lessons_dir / "next.yaml").write_text(lesson("next", requires=required), encoding="utf-8")

    run(["lessons", "validate"], lessons_dir)

    assert capsys.readouterr().out.endswith(f"'requires' names unknown lesson '{required}'{hint}\n")


def test_path_prints_where_the_shipped_lessons_are(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.resources import shipped_lessons_dir

    assert run(["lessons", "path"], lessons_dir) == 0
    assert capsys.readouterr().out == f"{shipped_lessons_dir().resolve()}\n"
    assert (shipped_lessons_dir() / "tensor-basics.yaml").is_file()


def test_path_all_prints_every_folder_served(lessons_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lessons", "path", "--all"], lessons_dir) == 0
    assert capsys.readouterr().out == f"{lessons_dir.resolve()}\n"
