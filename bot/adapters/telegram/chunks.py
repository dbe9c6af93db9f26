"""Pack blocks into Telegram messages of at most 4096 characters, never cutting through a tag.

Lengths are counted in UTF-16 code units of the HTML source, which is never shorter than the text
Telegram counts after parsing the entities, so every message fits. A preformatted block too long for one
message is cut on line boundaries (a monster line on character boundaries) and each piece gets its own
``<pre>``; a paragraph too long is cut between lines, and a line too long loses its formatting.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.adapters.telegram.markup import Block, escape, pre_html

MESSAGE_LIMIT = 4096


def utf16_len(text: str) -> int:
    """Return the length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class _Atom:
    html: str
    separator: str  # what goes before it when it follows another atom in the same message


def pack(blocks: list[Block], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return the blocks as messages of balanced HTML, each at most ``limit`` long."""
    messages: list[str] = []
    current = ""
    for atom in _atoms(blocks, limit):
        joined = f"{current}{atom.separator}{atom.html}" if current else atom.html
        if utf16_len(joined) <= limit:
            current = joined
            continue
        messages.append(current)
        current = atom.html
    if current:
        messages.append(current)
    return messages


def _atoms(blocks: list[Block], limit: int) -> list[_Atom]:
    atoms: list[_Atom] = []
    for block in blocks:
        pieces = _pre_pieces(block, limit) if block.pre is not None else _paragraph_pieces(block.html, limit)
        for n, piece in enumerate(pieces):
            separator = "\n\n" if n == 0 else "\n"
            atoms.append(_Atom(piece, separator))
    return atoms


def _paragraph_pieces(paragraph: str, limit: int) -> list[str]:
    if utf16_len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    for line in paragraph.split("\n"):
        if utf16_len(line) <= limit:
            pieces.append(line)
        else:  # a single line this long is not prose: show it plainly, cut anywhere
            pieces += [escape(part) for part in _cut(_visible_text(line), limit)]
    return pieces


def _pre_pieces(block: Block, limit: int) -> list[str]:
    wrapper = utf16_len(pre_html("", block.language))
    budget = limit - wrapper
    pieces: list[str] = []
    lines: list[str] = []
    size = 0
    for line in (block.pre or "").split("\n"):
        cost = utf16_len(escape(line)) + (1 if lines else 0)
        if lines and size + cost > budget:
            pieces.append(pre_html("\n".join(lines), block.language))
            lines, size = [], 0
            cost -= 1
        if cost > budget:
            pieces += [pre_html(part, block.language) for part in _cut(line, budget)]
            continue
        lines.append(line)
        size += cost
    if lines or not pieces:
        pieces.append(pre_html("\n".join(lines), block.language))
    return pieces


def _cut(text: str, budget: int) -> list[str]:
    """Cut raw ``text`` into parts whose escaped form fits ``budget``."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        cost = utf16_len(escape(char))
        if current and size + cost > budget:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += cost
    if current:
        parts.append("".join(current))
    return parts


def _visible_text(line: str) -> str:
    """Return the visible text of one line of our HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", line))
