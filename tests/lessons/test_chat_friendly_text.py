"""Lesson text must read well in chat, where LaTeX is shown as typed."""

import re

import pytest

from bot.resources import shipped_lessons_dir

LATEX = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


@pytest.mark.parametrize("path", sorted(shipped_lessons_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_lesson_text_has_no_latex_math(path) -> None:
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if LATEX.search(line)
    ]
    assert not found, "write math as plain text or inline code, e.g. `∂out/∂x = 4.5`:\n" + "\n".join(found)
