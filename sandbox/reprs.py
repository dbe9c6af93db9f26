"""Bounded ``repr``: a huge value must never blow up a run result."""

from __future__ import annotations

import reprlib
from typing import Any

from sandbox.bounds import PREVIEW_CHARS, VALUE_CHARS, shorten

VALUE_LIMIT = VALUE_CHARS
PREVIEW_LIMIT = PREVIEW_CHARS
_LONG_CONTAINER = 2000

_REPR = reprlib.Repr()
_REPR.maxlevel = 4
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxfrozenset = _REPR.maxdeque = 200
_REPR.maxdict = 100
_REPR.maxstring = VALUE_LIMIT
_REPR.maxlong = VALUE_LIMIT
_REPR.maxother = VALUE_LIMIT


def bounded_repr(value: Any, limit: int = VALUE_LIMIT) -> str:
    """Return ``repr(value)`` as a REPL shows it, cut to ``limit`` characters."""
    if isinstance(value, str | bytes | bytearray) and len(value) > limit:
        return shorten(repr(value[:limit]), limit)
    if isinstance(value, list | tuple | dict | set | frozenset) and len(value) > _LONG_CONTAINER:
        return shorten(_REPR.repr(value), limit)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        return f"<int with {value.bit_length()} bits>"
    return shorten(repr(value), limit)
