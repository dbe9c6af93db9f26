"""Split Markdown into messages within Discord's limits without ever breaking a code fence.

A chunk that ends inside a code block gets a closing fence, and the next chunk opens the block again with
the same language, so every chunk renders on its own. Lines are kept whole where they fit.
"""

from __future__ import annotations

FENCE = "```"
MESSAGE_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
_CLOSE = "\n" + FENCE


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Return ``text`` in chunks of at most ``limit`` characters, each with balanced code fences."""
    if limit < 40:
        raise ValueError("limit too small to hold a code fence and some text")
    if len(text) <= limit and text.count(FENCE) % 2 == 0:
        return [text] if text else []
    chunks: list[str] = []
    current = ""
    opener: str | None = None  # the line that opened the code block we are in, if any
    for line in text.split("\n"):
        for piece in _pieces(line, limit - 2 * len(_CLOSE) - _opener_room(opener)):
            candidate = piece if not current else f"{current}\n{piece}"
            after = _after(opener, piece)
            room = limit - (len(_CLOSE) if after is not None else 0)
            if len(candidate) > room and current:
                chunks.append(current + (_CLOSE if opener is not None else ""))
                current = f"{opener}\n{piece}" if opener is not None else piece
            else:
                current = candidate
            opener = after
    if current:
        chunks.append(current + (_CLOSE if opener is not None else ""))
    return chunks


def _after(opener: str | None, line: str) -> str | None:
    """Return the opening line of the code block we are in after ``line``, or None outside blocks."""
    count = line.count(FENCE)
    if count % 2 == 0:
        return opener
    if opener is not None:
        return None
    tail = line[line.rfind(FENCE) :]
    # Reopen with the language only: the rest of a long opening line was content.
    language = tail[len(FENCE) :].split()[0][:20] if tail[len(FENCE) :].split() else ""
    return FENCE + language if language.isidentifier() or not language else FENCE


def _opener_room(opener: str | None) -> int:
    return len(opener) + 1 if opener is not None else 0


def _pieces(line: str, width: int) -> list[str]:
    """Cut a line longer than ``width`` into pieces, never inside a fence marker."""
    width = max(width, 20)
    if len(line) <= width:
        return [line]
    pieces: list[str] = []
    while len(line) > width:
        cut = width
        # Don't cut a ``` in two: move the cut before it.
        start = line.rfind(FENCE, max(0, cut - 2), cut + 2)
        if 0 < start < cut:
            cut = start
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces
