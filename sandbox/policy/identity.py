"""``id()`` and ``hash()`` as learner code sees them: per-run numbers, never addresses or the parent's seed.

Every child of one warm parent starts from the same memory layout and the same string-hash secret (the
secret cannot change after fork: dicts the parent built would stop working). So learner code gets
``id()`` as a number unique to each live object within the run, starting at a random value, and ``hash()``
mixed with a per-run key (except for numbers, whose hashes are fixed by the language and secret-free).
What stays per warm parent: the order in which sets and dicts of strings iterate.
"""

from __future__ import annotations

import builtins
import hashlib
import os
from typing import Any

_NUMBERS = (int, float, bool, complex)


class RunIdentity:
    """The per-run state behind the learner's ``id()`` and ``hash()``."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self._next = 0
        self._key = b""
        self.reset()

    def reset(self) -> None:
        """Start a new run: new numbers, new key."""
        seed = os.urandom(20)
        self._numbers = {}
        self._next = 10**9 + int.from_bytes(seed[:4], "little")
        self._key = seed[4:]

    def id(self, obj: object, /) -> int:
        """Return a number unique to ``obj`` among the run's live objects (never its address)."""
        address = builtins.id(obj)
        number = self._numbers.get(address)
        if number is None:
            number = self._numbers[address] = self._next
            self._next += 1
        return number

    def hash(self, obj: object, /) -> int:
        """Return ``obj``'s hash mixed with the run's key (numbers keep their language-defined hashes)."""
        value = builtins.hash(obj)
        if type(obj) in _NUMBERS:
            return value
        digest = hashlib.blake2b(value.to_bytes(8, "little", signed=True), key=self._key, digest_size=8)
        mixed = int.from_bytes(digest.digest(), "little", signed=True)
        return -2 if mixed == -1 else mixed


IDENTITY = RunIdentity()


def learner_id(obj: Any, /) -> int:
    """Return ``id(obj)`` for learner code."""
    return IDENTITY.id(obj)


def learner_hash(obj: Any, /) -> int:
    """Return ``hash(obj)`` for learner code."""
    return IDENTITY.hash(obj)
