"""Cut the tutor's light Markdown into paragraphs and fenced code blocks, for every renderer.

A paragraph is a run of non-blank lines; a fence opens with ```` ``` ```` (and an optional language) on a
line of its own and closes with a bare one. An unclosed fence still counts as code to the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*```[ \t]*(?P<language>[A-Za-z0-9_+.-]*)[ \t]*$")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Consecutive non-blank lines, as written."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Fenced:
    """A fenced code block: its source and the language named on the opening fence, if any."""

    source: str
    language: str | None


def split_blocks(markdown: str) -> list[Paragraph | Fenced]:
    """Return the paragraphs and fenced code blocks of ``markdown``, in order."""
    found: list[Paragraph | Fenced] = []
    paragraph: list[str] = []
    code: list[str] | None = None
    language: str | None = None

    def flush() -> None:
        if paragraph:
            found.append(Paragraph(tuple(paragraph)))
            paragraph.clear()

    for line in markdown.split("\n"):
        fence = _FENCE.match(line)
        if code is not None:
            if fence is not None and not fence["language"]:
                found.append(Fenced("\n".join(code), language))
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
    if code is not None:
        found.append(Fenced("\n".join(code), language))
    flush()
    return found
