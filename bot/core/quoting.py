"""Make words a learner wrote (reviews, display names) safe to show to others.

Whatever the platform, such text must never mention anyone or link anywhere: ``defang`` drops invisible
and control characters, puts it on one line and breaks up what chat clients turn into mentions or links
(``@name``, ``<@123>``, ``https://``, ``example.com``) with a zero-width space, which readers do not see.
It comes back as a ``Quote`` reply, which each front end escapes for its own markup.
"""

from __future__ import annotations

import re
import unicodedata

ZWSP = "\u200b"
_AT = re.compile(r"@(?=\S)")
_SCHEME = re.compile(r"(?i)(?<=[a-z0-9+.-]):(?=//)")
_DOT = re.compile(r"(?<=\w)\.(?=\w)")


def visible(text: str) -> str:
    """Return ``text`` on one line without control or format characters (zero-width, bidi overrides)."""
    kept = "".join(
        " " if char in "\n\r\t" else char
        for char in text
        if char in "\n\r\t" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
    )
    return " ".join(kept.split())


def defang(text: str) -> str:
    """Return ``text`` visible and inert: no mention, link or domain a client could make clickable."""
    text = visible(text)
    text = _AT.sub("@" + ZWSP, text)
    text = _SCHEME.sub(":" + ZWSP, text)
    return _DOT.sub("." + ZWSP, text)


def length(text: str) -> int:
    """Return how many characters a review counts: what the learner typed, as shown (trimmed)."""
    return len(text.strip())
