"""Light Markdown to HTML: escaped first, only our own tags added."""

from __future__ import annotations

import pytest

from bot.dashboard.markdown import to_html


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("**bold** and *it*", "<p><strong>bold</strong> and <em>it</em></p>"),
        ("use `x<y`", "<p>use <code>x&lt;y</code></p>"),
        ("line one\nline two", "<p>line one<br>line two</p>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("```python\nx = 1 < 2\n```", '<pre><code class="language-python">x = 1 &lt; 2</code></pre>'),
        (
            "[docs](https://pytorch.org)",
            '<p><a href="https://pytorch.org" rel="noopener noreferrer">docs</a></p>',
        ),
    ],
)
def test_markdown_becomes_html(markdown: str, html: str) -> None:
    assert str(to_html(markdown)) == html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '[x](javascript:alert(1)) <img src=x onerror="alert(1)">',
        '**<b onclick="x">**',
        "`</code><script>`",
    ],
)
def test_no_text_becomes_markup(hostile: str) -> None:
    shown = str(to_html(hostile))

    assert "<script" not in shown and "<img" not in shown and "<b " not in shown
    assert "javascript:" not in shown or 'href="javascript' not in shown
