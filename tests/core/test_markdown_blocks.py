"""Cutting light Markdown into paragraphs and fenced code blocks."""

from __future__ import annotations

from bot.core.markdown_blocks import Fenced, Paragraph, split_blocks


def test_blank_lines_separate_paragraphs_and_fences_make_code() -> None:
    text = "one\ntwo\n\n```python\nx = 1\n```\nthree"
    assert split_blocks(text) == [
        Paragraph(("one", "two")),
        Fenced("x = 1", "python"),
        Paragraph(("three",)),
    ]


def test_a_fence_with_a_language_inside_code_does_not_close_it() -> None:
    assert split_blocks("```\n```python\n```") == [Fenced("```python", None)]


def test_an_unclosed_fence_is_code_to_the_end() -> None:
    assert split_blocks("intro\n```\nprint(1)") == [Paragraph(("intro",)), Fenced("print(1)", None)]
