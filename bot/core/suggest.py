"""Guess what a learner meant by an unknown name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Return up to ``limit`` candidates close to ``word``: those containing it first, then look-alikes."""
    word = word.strip().lower()
    pool = list(dict.fromkeys(candidates))
    if not word:
        return []
    containing = [c for c in pool if word in c.lower()]
    alike = difflib.get_close_matches(word, pool, n=limit, cutoff=0.6)
    return list(dict.fromkeys(containing + alike))[:limit]
