"""Packing blocks into messages of at most 4096 characters without breaking a ``<pre>``."""

from __future__ import annotations

import re

import pytest

from bot.adapters.telegram.chunks import MESSAGE_LIMIT, pack, utf16_len
from bot.adapters.telegram.markup import Block


def _balanced(message: str) -> bool:
    depth: list[str] = []
    for closing, name in re.findall(r"<(/?)(pre|code|b|i|a)\b", message):
        if not closing:
            depth.append(name)
        elif not depth or depth.pop() != name:
            return False
    return not depth


def test_short_blocks_share_one_message() -> None:
    assert pack([Block(html="<b>Hi</b>"), Block(pre="x = 1")]) == ["<b>Hi</b>\n\n<pre>x = 1</pre>"]


@pytest.mark.parametrize("line", ["print(i) & <tag>", "x" * 9000, "😀" * 3000])
def test_long_code_is_cut_into_complete_pre_blocks(line: str) -> None:
    code = "\n".join(f"{n}: {line}" for n in range(300))

    messages = pack([Block(html="Output:"), Block(pre=code, language="python")])

    assert len(messages) > 1
    for message in messages:
        assert utf16_len(message) <= MESSAGE_LIMIT
        assert _balanced(message)
        assert message.count("<pre>") == message.count("</pre>")


def test_cutting_loses_no_character() -> None:
    code = "\n".join(f"line {n} <&>" for n in range(2000))

    messages = pack([Block(pre=code)])

    shown = "\n".join(re.sub(r"</?pre>", "", m) for m in messages)
    assert shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == code


def test_emoji_count_as_two_telegram_characters() -> None:
    messages = pack([Block(html="😀" * 3000)])

    assert all(utf16_len(m) <= MESSAGE_LIMIT for m in messages)
    assert len(messages) == 2
