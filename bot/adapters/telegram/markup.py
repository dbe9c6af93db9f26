"""Light Markdown to Telegram HTML: everything is escaped first, then only our own tags are added.

Text is cut into blocks: paragraphs (inline HTML, converted line by line so no tag spans a line) and
preformatted code (kept raw until a message is assembled, so a long block can be cut on line boundaries and
every piece re-wrapped in its own ``<pre>``). Links become ``<a>`` only for ``http(s)`` URLs written in
Markdown by the tutor; text that came from a learner's run is only ever shown inside ``<pre>``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.core.markdown_blocks import Fenced, split_blocks

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_BACKTICK_RUN = re.compile(r"`{3,}")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_ITALIC_UNDERSCORE = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s\"'<>]+)\)")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*+][ \t]+")
_PLACEHOLDER = "\x00{}\x00"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of inline HTML (``pre`` is None) or one preformatted block of raw text."""

    html: str = ""
    pre: str | None = None
    language: str | None = None


def escape(text: str) -> str:
    """Escape text for Telegram HTML (``<``, ``>`` and ``&``; quotes matter only in attributes)."""
    return html.escape(text, quote=False)


def pre_html(text: str, language: str | None = None) -> str:
    """Return ``text`` escaped inside ``<pre>`` (with a language where given)."""
    body = escape(text)
    if language:
        return f'<pre><code class="language-{escape(language)}">{body}</code></pre>'
    return f"<pre>{body}</pre>"


def inline(line: str) -> str:
    """Convert one line of light Markdown (bold, italics, code, links, bullets) to escaped HTML."""
    spans: list[str] = []

    def keep(fragment: str) -> str:
        spans.append(fragment)
        return _PLACEHOLDER.format(len(spans) - 1)

    line = line.replace("\x00", "")
    # Three or more backticks in a sentence name the fence; they are never code markers here.
    line = _BACKTICK_RUN.sub(lambda m: keep(m[0]), line)
    text = _CODE_SPAN.sub(lambda m: keep(f"<code>{escape(m[1])}</code>"), line)
    text = _LINK.sub(lambda m: keep(f'<a href="{html.escape(m[2], quote=True)}">{escape(m[1])}</a>'), text)
    bullet = _BULLET.match(text)
    if bullet:
        text = f"{bullet['indent']}• {text[bullet.end() :]}"
    text = escape(text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC_STAR.sub(r"<i>\1</i>", text)
    text = _ITALIC_UNDERSCORE.sub(r"<i>\1</i>", text)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m[1])], text)


def plain(markdown: str) -> str:
    """Return Markdown without its markers, for places that take no markup (poll questions, options)."""
    text = _LINK.sub(r"\1 (\2)", markdown)
    text = _CODE_SPAN.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    return _ITALIC_STAR.sub(r"\1", text)


def blocks(markdown: str) -> list[Block]:
    """Cut Markdown into paragraphs and fenced code blocks."""
    return [
        Block(pre=block.source, language=block.language)
        if isinstance(block, Fenced)
        else Block(html="\n".join(inline(line) for line in block.lines))
        for block in split_blocks(markdown)
    ]
