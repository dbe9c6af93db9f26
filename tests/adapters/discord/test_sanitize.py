"""Untrusted output made safe: no fence escapes, no terminal escapes, no invisible characters."""

from __future__ import annotations

import pytest

from bot.adapters.discord.sanitize import code_safe, fenced, strip_controls


@pytest.mark.parametrize(
    "hostile",
    ["```", "`\u200b``", "``\u200d`", "`\u2060`\ufeff`", "````", "\u202e```"],
    ids=["plain", "zwsp", "zwj", "word-joiner-bom", "four", "bidi"],
)
def test_disguised_fences_cannot_close_the_block(hostile: str) -> None:
    inner = fenced(f"before{hostile}@everyone")[len("```\n") : -len("\n```")]
    assert "```" not in inner


def test_ansi_escapes_and_control_characters_are_stripped() -> None:
    assert strip_controls("\x1b[31mred\x1b[0m\x07\x00 ok\r\n\tend") == "red ok\n\tend"


def test_backticks_stay_visible() -> None:
    assert code_safe("a `b` c").replace("\u200b", "") == "a `b` c"
