"""Drive ``tutor console`` as a subprocess in plain mode, with the real store, lesson loader and sandbox."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

LESSON = """\
id: e2e-basics
version: 1
chapter: 1
title: {zh: 端到端, en: End to end}
steps:
  - text: {zh: 你好，张量。, en: "Hello, tensors."}
  - id: make-graph
    text: {zh: 运行它：, en: "Run it:"}
    code: |
      import torch
      x = torch.ones(2, 2, requires_grad=True)
      y = (x * 3).mean()
      y
  - id: pick-shape
    quiz:
      question: {zh: x 的形状是？, en: "What is the shape of x?"}
      options:
        - text: {zh: "(4,)", en: "(4,)"}
          explain: {zh: 那是元素个数。, en: That is the element count.}
        - text: {zh: "(2, 2)", en: "(2, 2)"}
          correct: true
      explain: {zh: 二乘二。, en: Two by two.}
  - id: make-zeros
    exercise:
      prompt: {zh: 创建包含三个零的张量 z。, en: "Make z, a tensor of three zeros."}
      starter: "z = ...\\n"
      solution: "import torch\\nz = torch.zeros(3)\\n"
      check: "assert tuple(z.shape) == (3,) and float(z.abs().sum()) == 0.0, 'z should hold three zeros'"
      hints:
        - {zh: 用 torch.zeros。, en: Use torch.zeros.}
"""

LOCALIZED_LESSON = """\
id: e2e-messages
chapter: 1
title: {zh: 本地化消息, en: Localized messages}
steps:
  - id: make-ones
    exercise:
      prompt: {zh: 创建包含三个一的张量 o。, en: "Make o, a tensor of three ones."}
      starter:
        zh: "o = ...  # 在这里创建\\n"
        en: "o = ...  # make it here\\n"
      solution: "import torch\\no = torch.ones(3)\\n"
      check: |
        if float(o.sum()) != 3.0:
            fail("sum-off", total=float(o.sum()))
      messages:
        sum-off:
          zh: o 的元素之和是 {total:.1f}，应为 3。
          en: o sums to {total:.1f}, not 3.
"""

WHOLE_LESSON = """\
/lesson e2e-basics
/next
/run
/next
/answer 1
/answer b
/next
/submit
```python
import torch
z = torch.ones(3)
```
/submit ```python
import torch
z = torch.zeros(3)
```
/next
/quit
"""


def console(
    tmp_path: Path, script: str, *args: str, database_url: str | None = None, quiet: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "USER": "e2e-learner",
        "LANG": "en_US.UTF-8",
        "PYTHONPATH": str(REPO),
        "TUTOR_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        "TUTOR_LESSONS_DIRS": str(tmp_path / "lessons"),
    }
    if quiet:
        env["TUTOR_LOG_LEVEL"] = "WARNING"
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "console", *args],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
        check=False,
    )


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "e2e-basics.yaml").write_text(LESSON, encoding="utf-8")
    return folder


def test_whole_lesson_then_progress_survives_a_restart(tmp_path: Path, lessons: Path) -> None:
    first = console(tmp_path, WHOLE_LESSON)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Hello, tensors." in out
    # The code step ran in the sandbox: a status line, the tensors table and the autograd graph.
    assert "[ok] Ran in" in out
    assert "requires_grad" in out and "MeanBackward0" in out
    # The quiz, wrong then right, with both explanations.
    assert "option 1 isn't it" in out and "That is the element count." in out
    assert "✓ Correct!" in out
    # The exercise, failing then passing.
    assert "Not yet: z should hold three zeros" in out
    assert "✓ Passed!" in out
    assert "You've completed **End to end**" in out

    second = console(tmp_path, "/progress\n")
    assert second.returncode == 0, second.stderr
    assert "▓▓▓▓▓▓▓▓ 4/4 · completed" in second.stdout
    assert "questions: 1/1 right (2 answers given)" in second.stdout
    assert "exercises: 1/1 passed (2 submissions)" in second.stdout


def test_unreachable_database_is_one_line_with_the_password_masked(tmp_path: Path, lessons: Path) -> None:
    # At the default log level: nothing else may be printed either.
    url = "postgresql+asyncpg://u:secret@127.0.0.1:1/x"
    result = console(tmp_path, "", database_url=url, quiet=False)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 1
    assert len(lines) == 1, lines
    assert "127.0.0.1:1" in lines[0] and "***" in lines[0]
    assert "secret" not in lines[0]
    assert "Traceback" not in result.stderr


def test_end_of_input_exits_zero_with_no_output(tmp_path: Path, lessons: Path) -> None:
    result = console(tmp_path, "")
    assert (result.returncode, result.stdout) == (0, "")


def test_console_in_chinese_with_lang_flag(tmp_path: Path, lessons: Path) -> None:
    result = console(tmp_path, "/lesson e2e-basics\n", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "你好，张量。" in result.stdout
    assert "第 1/4 步" in result.stdout


def test_check_message_and_starter_in_the_learners_language(tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "e2e-messages.yaml").write_text(LOCALIZED_LESSON, encoding="utf-8")
    script = "/lesson e2e-messages\n/submit import torch; o = torch.zeros(3)\n/quit\n"

    result = console(tmp_path, script, "--lang", "zh")

    assert result.returncode == 0, result.stderr
    assert "o = ...  # 在这里创建" in result.stdout
    assert "还没通过：o 的元素之和是 0.0，应为 3。" in result.stdout
    assert "sum-off" not in result.stdout


NOTEBOOK = """\
/run x = torch.randn(3); print("first", x.tolist())
/run y = x * 2
/run print("third", x.tolist())
/notebook
"""


def printed(out: str, label: str) -> list[float]:
    """Return the list a run printed after ``label``."""
    line = next(line for line in out.splitlines() if line.startswith(f"{label} ["))
    return [float(value) for value in line.removeprefix(f"{label} [").removesuffix("]").split(",")]


def test_a_random_tensor_drawn_in_cell_one_prints_the_same_values_in_cell_three(tmp_path: Path) -> None:
    result = console(tmp_path, NOTEBOOK)

    assert result.returncode == 0, result.stderr
    assert printed(result.stdout, "first") == printed(result.stdout, "third")
    # The third run shows only its own output, and its tensor table covers the whole namespace.
    third = result.stdout.split("third [", 1)[1]
    assert "first [" not in third
    assert re.search(r"^x\s+\(3,\)", third, re.MULTILINE) and re.search(r"^y\s+\(3,\)", third, re.MULTILINE)
    assert '1. `x = torch.randn(3); print("first", x.tolist())`' in result.stdout

    restarted = console(tmp_path, '/run print("after", (y / 2).tolist())\n')
    assert restarted.returncode == 0, restarted.stderr
    assert printed(restarted.stdout, "after") == printed(result.stdout, "first")


IMSHOW = """\
/run
```python
import matplotlib.pyplot as plt
img = torch.rand(1, 28, 28)
plt.imshow(img.squeeze(), cmap="gray")
```
"""


def test_an_imshow_figure_is_saved_next_to_the_database_and_its_path_printed(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = console(tmp_path, IMSHOW, database_url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'tutor.db'}")

    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("figure 1: ")]
    saved = Path(line.removeprefix("figure 1: "))
    assert saved.parent == (tmp_path / "data" / "figures").resolve()
    data = saved.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert 100 < width <= 1600 and 100 < height <= 1600


def test_course_review_and_rating_through_the_real_console(tmp_path: Path, lessons: Path) -> None:
    script = "/lesson e2e-basics\n/rate e2e-basics 4\n/review e2e-basics Clear, @all see www.x.io\n/course\n"
    first = console(tmp_path, script)
    assert first.returncode == 0, first.stderr
    assert "You rated **End to end** ★★★★☆" in first.stdout
    assert "Saved your review of **End to end**" in first.stdout
    assert "www.x.io" not in first.stdout and "@all" not in first.stdout  # defanged: no link, no mention
    assert "★ 4.0/5 (8.0/10) from 1 rating" in first.stdout

    second = console(tmp_path, "/review e2e-basics\n/forget confirm\n/course\n")
    assert second.returncode == 0, second.stderr
    assert "Clear, @\u200ball see www.\u200bx.\u200bio" in second.stdout
    assert "No ratings yet" in second.stdout  # /forget took the rating with it
