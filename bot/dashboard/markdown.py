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

_FENCE = re.compile(r"^[ \t]*```[ \t]*(?P<language>[A-Za-z0-9_+.-]*)[ \t]*$")
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
    paragraph: list[str] = []
    code: list[str] | None = None
    language: str | None = None

    def flush() -> None:
        lines = [line for line in paragraph if line.strip()]
        paragraph.clear()
        if not lines:
            return
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{inline(_BULLET.sub('', line))}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append("<p>" + "<br>".join(inline(line) for line in lines) + "</p>")

    for line in markdown.split("\n"):
        fence = _FENCE.match(line)
        if code is not None:
            if fence is not None and not fence["language"]:
                out.append(code_block("\n".join(code), language))
                code = None
            else:
                code.append(line)
        elif fence is not None:
            flush()
            code, language = [], fence["language"] or None
        elif not line.strip():
            flush()
        else:
            paragraph.append(line)
    if code is not None:  # an unclosed fence still shows as code
        out.append(code_block("\n".join(code), language))
    flush()
    return Markup("".join(out))  # every piece above was escaped
