"""Light Markdown to Telegram HTML, without a network."""

from __future__ import annotations

import pytest

from bot.adapters.telegram.markup import Block, blocks, inline, plain


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("**bold**", "<b>bold</b>"),
        ("*italic* and _this_", "<i>italic</i> and <i>this</i>"),
        ("`x < y`", "<code>x &lt; y</code>"),
        ("`**not bold**`", "<code>**not bold**</code>"),
        ("requires_grad and a_b_c", "requires_grad and a_b_c"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("- item", "• item"),
        ("[docs](https://pytorch.org/docs)", '<a href="https://pytorch.org/docs">docs</a>'),
        ("[bad](javascript:alert(1))", "[bad](javascript:alert(1))"),
        ("<b>raw</b> & co", "&lt;b&gt;raw&lt;/b&gt; &amp; co"),
    ],
)
def test_inline_markdown_becomes_escaped_html(markdown: str, html: str) -> None:
    assert inline(markdown) == html


def test_fenced_code_becomes_a_raw_block() -> None:
    found = blocks("Look:\n\n```python\nx = 1 < 2\n```\nAfter.")

    assert found == [
        Block(html="Look:"),
        Block(pre="x = 1 < 2", language="python"),
        Block(html="After."),
    ]


def test_unclosed_fence_still_shows_as_code() -> None:
    assert blocks("```\nprint(1)") == [Block(pre="print(1)")]


def test_plain_drops_markdown_markers_for_polls() -> None:
    assert plain("What does `x.grad` hold after **backward**?") == "What does x.grad hold after backward?"


@pytest.mark.parametrize(
    "markdown",
    ["put it in a ``` block", "open with ``` and close with ```", "```` four", "a ``` and `code`"],
)
def test_backticks_named_in_a_sentence_stay_literal(markdown: str) -> None:
    html = inline(markdown)
    assert "```" in html and "<code>```" not in html and "```</code>" not in html
    assert html.count("<code>") == markdown.count(" `code`")
