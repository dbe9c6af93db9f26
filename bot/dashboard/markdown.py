"""Light Markdown (the tutor's replies and lesson text) to HTML.

Everything is escaped first, then only our own tags are added, so nothing a lesson or a learner wrote can
become markup.

Blocks: paragraphs (lines kept apart with ``<br>``, as chat apps keep line breaks), bullet lists, and fenced
code. Inline: bold, italics, code spans and ``http(s)`` links written in Markdown.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from bot.core.markdown_blocks import Fenced, split_blocks

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s\"'<>]+)\)")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+")
_PLACEHOLDER = "\x00{}\x00"


def escape(text: str) -> str:
    """Escape text for HTML, quotes included (it may land in an attribute)."""
    return html.escape(text, quote=True)


def inline(line: str) -> str:
    """Convert one line of light Markdown to escaped HTML."""
    spans: list[str] = []

    def keep(fragment: str) -> str:
        spans.append(fragment)
        return _PLACEHOLDER.format(len(spans) - 1)

    text = line.replace("\x00", "")
    text = _CODE_SPAN.sub(lambda m: keep(f"<code>{escape(m[1])}</code>"), text)
    text = _LINK.sub(
        lambda m: keep(f'<a href="{escape(m[2])}" rel="noopener noreferrer">{escape(m[1])}</a>'), text
    )
    text = escape(text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC_STAR.sub(r"<em>\1</em>", text)
    text = _ITALIC_UNDERSCORE.sub(r"<em>\1</em>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m[1])], text)


def code_block(source: str, language: str | None = None) -> str:
    """Return source code escaped inside ``<pre><code>``."""
    kind = f' class="language-{escape(language)}"' if language else ""
    return f"<pre><code{kind}>{escape(source)}</code></pre>"


def to_html(markdown: str) -> Markup:
    """Convert light Markdown to safe HTML."""
    out: list[str] = []
    for block in split_blocks(markdown):
        if isinstance(block, Fenced):
            out.append(code_block(block.source, block.language))
        elif all(_BULLET.match(line) for line in block.lines):
            items = "".join(f"<li>{inline(_BULLET.sub('', line))}</li>" for line in block.lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(inline(line) for line in block.lines) + "</p>")
    return Markup("".join(out))  # every piece above was escaped
