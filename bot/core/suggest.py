"""Guess what a learner meant by an unknown name."""

from __future__ import annotations

from collections.abc import Iterable

from bot.similar import similar

MIN_PART = 3
"""Shortest typed text that suggests the names containing it (``tensor`` → ``tensor-basics``)."""


def closest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Return up to ``limit`` candidates plausibly meant: those containing ``word``, then look-alikes."""
    word = word.strip().lower()
    pool = list(dict.fromkeys(candidates))
    if not word:
        return []
    containing = [c for c in pool if word in c.lower()] if len(word) >= MIN_PART else []
    return list(dict.fromkeys(containing + similar(word, pool, limit)))[:limit]
