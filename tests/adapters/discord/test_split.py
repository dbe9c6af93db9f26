"""Splitting messages: never over Discord's limits, never a broken code fence (property-based)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord.sanitize import code_safe, fenced
from bot.adapters.discord.split import FENCE, split_message

prose = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
code = st.text(alphabet=st.sampled_from("ab `\n\t{}()=+@<>#*_~|\u200b"), max_size=600)
documents = st.lists(st.one_of(prose, code.map(lambda c: fenced(c, "python"))), max_size=12).map("\n".join)
limits = st.integers(min_value=60, max_value=2000)


@settings(max_examples=300, deadline=None)
@given(documents, limits)
def test_chunks_never_exceed_the_limit(text: str, limit: int) -> None:
    assert all(len(chunk) <= limit for chunk in split_message(text, limit))


@settings(max_examples=300, deadline=None)
@given(documents, limits)
def test_every_chunk_has_balanced_code_fences(text: str, limit: int) -> None:
    assert all(chunk.count(FENCE) % 2 == 0 for chunk in split_message(text, limit))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000), limits)
def test_arbitrary_text_is_cut_within_the_limit_and_keeps_its_characters(text: str, limit: int) -> None:
    chunks = split_message(text, limit)
    assert all(len(chunk) <= limit for chunk in chunks)
    kept = "".join(chunks).replace(FENCE, "").replace("\n", "")
    for char in set(text) - {"`", "\n"}:
        assert kept.count(char) >= text.count(char)


@given(code)
def test_sanitised_code_never_contains_a_fence(text: str) -> None:
    assert FENCE not in code_safe(text)


def test_short_text_is_one_chunk() -> None:
    assert split_message("hello", 2000) == ["hello"]


def test_a_long_code_block_is_closed_and_reopened_with_its_language() -> None:
    block = fenced("\n".join(f"print({n})" for n in range(400)), "python")
    chunks = split_message(block, 500)
    assert len(chunks) > 1
    assert all(chunk.startswith("```python\n") and chunk.endswith("\n```") for chunk in chunks)
