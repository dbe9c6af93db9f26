"""Python's "Did you mean" for a NameError, computed the way CPython's ``suggestions.c`` does.

CPython adds the suggestion when it prints a traceback, not to the exception, so a sandbox that reports
``str(exc)`` loses it. This reproduces it from the names the failing frame could see (its locals, then
its globals, then its builtins), leaving out names that start with ``_``: in the sandbox those are the
policy's own helpers, which learners can neither see nor use.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import FrameType, TracebackType

MOVE_COST = 2  # an insertion, a deletion or a substitution
CASE_COST = 1  # a substitution that only changes case
MAX_NAME = 40
MAX_CANDIDATES = 750


def name_error_suggestion(exc: BaseException) -> str | None:
    """Return the name a NameError's missing name is a likely typo of, or None."""
    name = getattr(exc, "name", None)
    if type(exc) is not NameError or not isinstance(name, str):
        return None
    frame = _last_frame(exc.__traceback__)
    if frame is None:
        return None
    for scope in (frame.f_locals, frame.f_globals, frame.f_builtins):
        found = closest(name, (key for key in scope if isinstance(key, str)))
        if found is not None:
            return found
    return None


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``name`` within CPython's bound, or None."""
    if len(name) > MAX_NAME:
        return None
    pool = [c for c in candidates if not c.startswith("_")]
    if len(pool) >= MAX_CANDIDATES:
        return None  # CPython gives up on a scope this large
    best: str | None = None
    best_distance = 0
    for candidate in pool:
        if candidate == name or len(candidate) > MAX_NAME:
            continue
        limit = (len(name) + len(candidate) + 3) * MOVE_COST // 6
        if best is not None:
            limit = min(limit, best_distance - 1)
        found = _distance(name, candidate)
        if found <= limit:
            best, best_distance = candidate, found
    return best


def _distance(a: str, b: str) -> int:
    previous = [j * MOVE_COST for j in range(len(b) + 1)]
    for i, char_a in enumerate(a, start=1):
        current = [i * MOVE_COST]
        for j, char_b in enumerate(b, start=1):
            substitution = (
                0 if char_a == char_b else CASE_COST if char_a.lower() == char_b.lower() else MOVE_COST
            )
            current.append(
                min(previous[j] + MOVE_COST, current[j - 1] + MOVE_COST, previous[j - 1] + substitution)
            )
        previous = current
    return previous[-1]


def _last_frame(tb: TracebackType | None) -> FrameType | None:
    frame: FrameType | None = None
    while tb is not None:
        frame, tb = tb.tb_frame, tb.tb_next
    return frame
