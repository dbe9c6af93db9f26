"""One term per concept: the lessons say each thing the same way, in Chinese and in (US) English."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.resources import shipped_lessons_dir

# The term the lessons use, and the variants they avoid.
CHINESE_TERMS: dict[str, tuple[str, ...]] = {
    "沙箱": ("沙盒",),  # sandbox
    "批大小": ("批次大小", "批量大小", "批尺寸"),  # batch size
    "展平": ("拉平", "扁平化"),  # flatten
    "前向传播": ("前向计算", "正向传播"),  # forward pass
    "分数": ("得分",),  # a class score
    "权重": ("权值",),  # weight
    "偏置": ("偏置项",),  # bias
}

# British spellings, with the US spelling the lessons use.
BRITISH = re.compile(
    r"\b\w*(?:colour|centre|centred|behaviour|neighbour|favour|honour|flavour|labour|catalogue|licence)\w*\b"
    r"|\bgrey\w*\b|\blearnt\b|\bspelt\b|\bpractis(?:e|ed|es|ing)\b|\banalys(?:e|ed|es|ing)\b"
    r"|\b\w*(?:modell|labell|travell|cancell)\w*\b"
    r"|\b\w*(?:optimis|normalis|standardis|initialis|recognis|memoris|visualis|summaris|organis|minimis"
    r"|maximis|regularis|utilis|generalis|parametris|parameteris|randomis|serialis|vectoris|tokenis"
    r"|specialis|realis|categoris|finalis|characteris|emphasis)(?:e|es|ed|er|ers|ing|ation|ations)\b",
    re.IGNORECASE,
)

LESSONS = sorted(shipped_lessons_dir().glob("*.yaml"))


def strings(data: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield every text of a lesson (prose and code) with where it sits; ids are keys, not text."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "id":
                yield from strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, f"{where}.{index}")
    elif isinstance(data, str):
        yield where, data


def texts(path: Path) -> list[tuple[str, str]]:
    return list(strings(yaml.safe_load(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_chinese_uses_one_term_per_concept(path: Path) -> None:
    found = [
        f"{where}: '{variant}' (the lessons say '{term}')"
        for where, text in texts(path)
        for term, variants in CHINESE_TERMS.items()
        for variant in variants
        if variant in text
    ]

    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_english_uses_us_spelling(path: Path) -> None:
    found = [f"{where}: '{match}'" for where, text in texts(path) for match in BRITISH.findall(text)]

    assert not found, "use US spelling (color, center, -ize, behavior, gray, learned):\n" + "\n".join(found)


def test_the_authoring_guide_uses_us_spelling() -> None:
    guide = (shipped_lessons_dir() / "README.md").read_text(encoding="utf-8")

    assert BRITISH.findall(guide) == []


@pytest.mark.parametrize("word", ["colour", "normalised", "optimisation", "greyscale", "centred"])
def test_british_pattern_catches_common_spellings(word: str) -> None:
    assert BRITISH.search(f"a {word} here")


@pytest.mark.parametrize("word", ["exercise", "otherwise", "noise", "raise", "emphasis", "analysis"])
def test_british_pattern_spares_words_spelled_alike(word: str) -> None:
    assert BRITISH.search(f"a {word} here") is None
