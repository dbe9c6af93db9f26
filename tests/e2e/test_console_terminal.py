"""``tutor console`` at a real terminal (a pseudo-terminal) and on a pipe kept open, with the real sandbox.

These send a line, wait for the answer, then type on, as a person (or a program) at the console does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import Console, console_env

LESSON = """\
id: e2e-terminal
chapter: 1
title: {zh: 终端, en: Terminal}
steps:
  - text: {zh: 你好。, en: Hello.}
  - id: make-ones
    code: |
      x = torch.ones(2, 3)
      print(x.shape)
  - id: predict
    quiz:
      question: {zh: 它打印什么？, en: "What does it print?"}
      code: print(6 * 7)
      options:
        - text: {zh: "42", en: "42"}
          correct: true
        - text: {zh: "67", en: "67"}
"""


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "e2e-terminal.yaml").write_text(LESSON, encoding="utf-8")
    return folder


@pytest.fixture
def console_args() -> tuple[str, ...]:
    """The console's command-line arguments; a test may override this fixture."""
    return ()


@pytest.fixture(params=[True, False], ids=["tty", "pipe"])
def console(
    request: pytest.FixtureRequest, tmp_path: Path, lessons: Path, console_args: tuple[str, ...]
) -> Iterator[Console]:
    session = Console(console_env(tmp_path, lessons), tmp_path, *console_args, tty=request.param)
    try:
        yield session
    finally:
        session.close()


def test_bare_run_on_a_code_step_runs_it_at_once(console: Console) -> None:
    console.send("/lesson e2e-terminal")
    console.expect("step 1/3")
    console.send("/next")
    console.expect("step 2/3")

    console.send("/run")  # and nothing after it: the run must not wait for another line

    console.expect(r"torch\.Size\(\[2, 3\]\)", timeout=20)


def test_bare_run_on_a_question_runs_the_code_it_shows(console: Console) -> None:
    console.send("/lesson e2e-terminal")
    console.expect("step 1/3")
    console.send("/next")
    console.expect("step 2/3")
    console.send("/next")
    console.expect("What does it print")

    console.send("/run")

    assert "42" in console.expect(r"Ran in \d+ ms[\s\S]*?42", timeout=20)


def test_run_then_a_block_on_the_next_line_runs_the_block(console: Console) -> None:
    console.send("/run", "```python", "word = 'fen' + 'ced'", "print(word)", "```")

    answer = console.expect("fenced")

    assert "Put the code after the command" not in answer


def test_a_block_typed_after_a_bare_run_was_answered_still_runs(console: Console) -> None:
    console.send("/run")
    console.expect("Put the code after the command")

    console.send("```python")
    console.send("word = 'ty' + 'ped'")
    console.send("print(word)")
    console.send("```")

    answer = console.expect("typed")
    assert "Commands start with" not in answer


def test_a_fence_inside_a_string_is_code(console: Console) -> None:
    console.send("/run print('```\\n**bold** @here')")

    answer = console.expect(r"@here", timeout=60)

    assert "SyntaxError" not in answer and "**bold**" in answer


def test_long_output_shows_its_ends_and_saves_the_whole(console: Console, tmp_path: Path) -> None:
    console.send("/run for i in range(300): print('row', i)")

    answer = console.expect(r"lines of output are not shown here")

    assert "row 0" in answer and "row 299" in answer and "row 150" not in answer
    assert "275 lines of output are not shown" in answer
    [saved] = (tmp_path / "outputs").iterdir()
    assert "row 150\n" in saved.read_text(encoding="utf-8")


@pytest.mark.parametrize("console_args", [("--lang", "zh")])
def test_result_headers_and_columns_follow_the_language(console: Console) -> None:
    console.send("/run x = torch.ones(2)")

    answer = console.expect("名称")

    assert "张量" in answer and "tensors" not in answer.lower()


def test_a_limit_is_said_once(console: Console) -> None:
    console.send("/run print('x' * 100_000)")

    answer = console.expect(r"Output limit of 64 KiB reached[\s\S]*?(›|\Z)", timeout=60)
    answer += console.quiet_for(1.0)

    assert answer.count("Output limit of 64 KiB reached") == 1


def test_help_lists_what_works_in_the_console_and_quit(console: Console) -> None:
    console.send("/help")

    answer = console.expect(r"Type /help followed by a command")

    assert "/quit" in answer and "Leave the console" in answer
    assert "/link" not in answer and "/unlink" not in answer


def test_a_name_error_carries_pythons_suggestion(console: Console) -> None:
    console.send("/run learning_rate = 0.1; print(learning_rat)")

    answer = console.expect(r"Did you mean: 'learning_rate'\?")

    assert "name 'learning_rat' is not defined" in " ".join(answer.split())
