"""Lesson text must read well in chat: LaTeX is shown as typed, and every line break is kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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
