import pytest

from bot.similar import distance, plausible, similar


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [("", "", 0), ("base", "base", 0), ("bsae", "base", 1), ("basic", "basics", 1), ("exit", "next", 2)],
)
def test_distance_counts_edits_and_swaps(a: str, b: str, edits: int) -> None:
    assert distance(a, b) == distance(b, a) == edits


@pytest.mark.parametrize(
    ("typed", "candidate"),
    [
        ("tensor-basic", "tensor-basics"),
        ("solutoin", "solution"),
        ("optoins", "options"),
        ("lessn", "lesson"),
    ],
)
def test_typos_are_plausibly_meant(typed: str, candidate: str) -> None:
    assert plausible(typed, candidate)


@pytest.mark.parametrize(
    ("typed", "candidate"),
    [("exit", "next"), ("stop", "start"), ("basics", "tensor-basics"), ("tags", "steps"), ("q", "quit")],
)
def test_far_names_are_not_suggested(typed: str, candidate: str) -> None:
    assert not plausible(typed, candidate)


def test_similar_ranks_the_closest_first() -> None:
    assert similar("tensor-basic", ["tensor-shapes", "tensor-basics", "autograd-basics"]) == ["tensor-basics"]
