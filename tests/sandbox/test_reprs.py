"""Bounded ``repr`` for run values."""

from __future__ import annotations

from sandbox.reprs import bounded_repr, shorten


def test_short_values_are_plain_repr() -> None:
    assert bounded_repr([1, "a"]) == "[1, 'a']"


def test_long_text_is_cut_with_a_marker() -> None:
    text = shorten("x" * 10_000, 100)
    assert len(text) <= 100
    assert text.endswith("more characters]")


def test_huge_string_is_sliced_before_repr() -> None:
    value = bounded_repr("y" * 10**7)
    assert len(value) <= 4000
    assert value.startswith("'yyy")


def test_huge_container_is_summarised() -> None:
    value = bounded_repr(list(range(10**6)))
    assert len(value) <= 4000
    assert "..." in value


def test_huge_int_is_described_not_printed() -> None:
    assert bounded_repr(2**20000) == "<int with 20001 bits>"
