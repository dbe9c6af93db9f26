"""``id()`` and ``hash()`` as learner code sees them: never a memory address, never the process's secret.

Every child of one warm parent shares that parent's memory layout and string-hash secret, so raw ``id()``
values (addresses) and ``hash()`` values would be the same in every run, which is what makes a
memory-corruption exploit easy to aim. Learners get instead, per run: ``id()`` numbers counting from 1 (the
same object keeps its number, live objects never share one, like Python's own), and ``hash()`` values
passed through a keyed BLAKE2 hash with a key drawn for the run, stable within the run and different in the
next. (Python's real secret cannot change in a forked child: dictionaries built by the warm parent depend
on it.)
"""

from __future__ import annotations

import hashlib
import os
from typing import Any


class _Run:
    def __init__(self) -> None:
        self.key = os.urandom(16)
        self.numbers: dict[int, int] = {}


_current = _Run()


def reset() -> None:
    """Start a new run: new numbers, a new hash key."""
    global _current  # noqa: PLW0603 - one run at a time per process
    _current = _Run()


def run_id(obj: Any) -> int:
    """Return the number of ``obj`` in this run (what learner code sees as ``id(obj)``)."""
    numbers = _current.numbers
    return numbers.setdefault(id(obj), len(numbers) + 1)


def run_hash(obj: Any) -> int:
    """Return ``hash(obj)`` keyed for this run (what learner code sees as ``hash(obj)``)."""
    real = hash(obj)
    digest = hashlib.blake2b(real.to_bytes(8, "little", signed=True), key=_current.key, digest_size=8)
    return int.from_bytes(digest.digest(), "little", signed=True)
