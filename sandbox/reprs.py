"""Bounded ``repr``: a huge value must never blow up a run result."""

from __future__ import annotations

import reprlib
from typing import Any

VALUE_LIMIT = 4000
PREVIEW_LIMIT = 200
_LONG_CONTAINER = 2000

_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 200
_REPR.maxdict = 100
_REPR.maxstring = VALUE_LIMIT
_REPR.maxlong = VALUE_LIMIT
_REPR.maxother = VALUE_LIMIT


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    marker = f"… [{len(text) - limit + 1} more characters]"
    keep = max(limit - len(marker), limit // 2)
    return text[:keep] + marker


def bounded_repr(value: Any, limit: int = VALUE_LIMIT) -> str:
    """Return ``repr(value)`` as a REPL shows it, cut to ``limit`` characters."""
    if isinstance(value, str | bytes | bytearray) and len(value) > limit:
        return shorten(repr(value[:limit]), limit)
    if isinstance(value, list | tuple | dict | set | frozenset) and len(value) > _LONG_CONTAINER:
        return shorten(_REPR.repr(value), limit)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        return f"<int with {value.bit_length()} bits>"
    return shorten(repr(value), limit)
