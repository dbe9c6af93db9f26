"""Write long lists of names as whitespace-separated text, one readable block instead of a tall list."""

from __future__ import annotations


def name_set(text: str) -> frozenset[str]:
    """Return the whitespace-separated names in ``text`` as a set."""
    return frozenset(text.split())


def name_tuple(text: str) -> tuple[str, ...]:
    """Return the whitespace-separated names in ``text``, in order."""
    return tuple(text.split())


def by_reason(groups: dict[str, str]) -> dict[str, str]:
    """Turn ``{reason: "name name ..."}`` into ``{name: reason}``."""
    return {name: reason for reason, text in groups.items() for name in text.split()}
