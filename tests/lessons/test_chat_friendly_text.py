"""Lesson text must read well in chat: LaTeX is shown as typed, and every line break is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.curriculum.model import Lesson, NumericStep, TextStep
from bot.curriculum.typewalk import iter_localized
from bot.resources import shipped_lessons_dir

LATEX = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


@pytest.mark.parametrize("path", sorted(shipped_lessons_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_lesson_text_has_no_latex_math(path: Path) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if LATEX.search(line)
    ]
    assert not found, "write math as plain text or inline code, e.g. `∂out/∂x = 4.5`:\n" + "\n".join(found)


LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
INLINE_CODE = re.compile(r"`[^`]*`")


def lesson_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every learner-facing text of a lesson file, in every language."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for json_path, texts in iter_localized(data):
        if "starter" in json_path:
            continue  # code, not prose
        where = ".".join(str(part) for part in json_path)
        for language, text in texts.items():
            yield f"{path.name}: {where} ({language})", str(text)


def prose_lines(text: str) -> Iterator[tuple[str, str]]:
    """Yield each line outside ``` fences with the line before it in its paragraph ("" if first)."""
    previous = ""
    fenced = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            previous = ""
            continue
        if fenced:
            continue
        yield line, previous
        previous = line if line.strip() else ""


@pytest.mark.parametrize("path", sorted(shipped_lessons_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_paragraphs_have_no_hard_line_breaks(path: Path) -> None:
    found = [
        f"{where}: {line.strip()[:60]}"
        for where, text in lesson_texts(path)
        for line, previous in prose_lines(text)
        if previous and line.strip() and not LIST_ITEM.match(line)
    ]

    assert not found, "write each paragraph on one line (lists: one item per line):\n" + "\n".join(found)


@pytest.mark.parametrize("path", sorted(shipped_lessons_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_bold_spans_stay_on_one_line(path: Path) -> None:
    found = [
        f"{where}: {line.strip()[:60]}"
        for where, text in lesson_texts(path)
        for line, _ in prose_lines(text)
        if INLINE_CODE.sub("", line).count("**") % 2
    ]

    assert not found, "close every **bold** span on the line where it opens:\n" + "\n".join(found)


# Words that point down the page. In chat the next step is a message still to come, not below this one.
POINTS_DOWN = {
    # "the code below", "below:", "see below", a sentence that starts with it; not "far below zero".
    "en": re.compile(
        r"\b(?:the|this|these|those)\s+(?:[\w`-]+\s+){0,2}below\b|\bbelow\s*:|\b(?:see|shown|listed)\s+below\b"
        r"|(?:^|[.;!?]\s+)below\b",
        re.IGNORECASE | re.MULTILINE,
    ),
    "zh": re.compile(r"下面|下方"),
}
SHOWN_HERE = re.compile(r"\n\s*([-*+]|\d+[.)])\s|```")  # a list or code further down the same text


def pointers_down(text: str, language: str) -> list[str]:
    """Return the words of ``text`` that point down at something the text itself does not show."""
    pattern = POINTS_DOWN.get(language)
    if pattern is None:
        return []
    return [
        text[max(0, m.start() - 20) : m.end() + 20].replace("\n", " ")
        for m in pattern.finditer(text)
        if not SHOWN_HERE.search(text, m.end())
    ]


def codeless_texts(lesson: Lesson) -> Iterator[tuple[str, str, str]]:
    """Yield (step, language, text) for the steps that show no code: text, and numeric without code."""
    for index, step in enumerate(lesson.steps):
        where = step.id or f"step {index + 1}"
        if isinstance(step, TextStep):
            texts = step.text
        elif isinstance(step, NumericStep) and not step.numeric.code:
            texts = step.numeric.question
        else:
            continue  # shows code (or, for a quiz, its options) right with its text
        for language, text in texts.items():
            yield where, str(language), text


@pytest.mark.parametrize("path", sorted(shipped_lessons_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_text_never_points_below_at_the_next_step(path: Path) -> None:
    lesson = Lesson.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    found = [
        f"{path.name}: {where} ({language}): …{hit}…"
        for where, language, text in codeless_texts(lesson)
        for hit in pointers_down(text, language)
    ]

    assert not found, (
        "a step without code points 'below' / '下面' at the next step, which chat shows as a later "
        "message: say 'the next step' / '下一步'\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    ("text", "language", "flagged"),
    [
        ("Press the Run button below.", "en", True),
        ("The loss fell to below 0.1.", "en", False),
        ("Its bias is far below zero, so it is clearly below guessing.", "en", False),
        ("The original used tanh; below we use ReLU.", "en", True),
        ("How often the loop below runs depends on y.", "en", True),
        ("下面的循环要执行几次乘法。", "zh", True),
        ("必须满足下面之一：\n- 两者相等；\n- 其中一个是 1。", "zh", False),
        ("See the code below:\n```python\nx = 1\n```", "en", False),
    ],
)
def test_the_pointer_lint_tells_pointing_at_the_next_step_from_pointing_within(
    text: str, language: str, flagged: bool
) -> None:
    assert bool(pointers_down(text, language)) is flagged
