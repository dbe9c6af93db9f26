"""Ratings and reviews: one of each per learner and lesson, editable, moderated by id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.ports import LessonRating
from bot.store import SqlStore
from tests.store.contract.records import BOB, T0, new_learner


async def test_a_rating_is_kept_and_changed_by_rating_again(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reviews.rate(alice.id, "tensors", 3, T0)
        await session.reviews.rate(alice.id, "tensors", 5, T0 + timedelta(minutes=1))

    async with store.session() as session:
        assert await session.reviews.rating(alice.id, "tensors") == 5
        assert await session.reviews.rating(alice.id, "autograd") is None


@pytest.mark.parametrize("stars", [0, 6, -1])
async def test_a_rating_outside_one_to_five_is_refused(store: SqlStore, stars: int) -> None:
    alice = await new_learner(store)
    with pytest.raises(ValueError, match="1 to 5"):
        async with store.session() as session:
            await session.reviews.rate(alice.id, "tensors", stars, T0)


async def test_writing_again_edits_the_one_review(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        first = await session.reviews.write(alice.id, "tensors", "Good.", T0)
        edited = await session.reviews.write(alice.id, "tensors", "Very good.", T0 + timedelta(hours=1))

    assert edited.id == first.id
    assert edited.text == "Very good."
    assert edited.written_at == T0
    assert edited.updated_at == T0 + timedelta(hours=1)
    assert edited.author == "Alice"


async def test_a_review_carries_its_authors_rating(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reviews.rate(alice.id, "tensors", 4, T0)
        review = await session.reviews.write(alice.id, "tensors", "Nice", T0)
        other = await session.reviews.write(alice.id, "autograd", "Unrated", T0)

    assert review.stars == 4
    assert other.stars is None


async def test_review_text_is_stored_exactly_as_written(store: SqlStore) -> None:
    alice = await new_learner(store)
    text = "@everyone <@123> **bold** https://example.com 中文 \u200b"
    async with store.session() as session:
        await session.reviews.write(alice.id, "tensors", text, T0)
    async with store.session() as session:
        found = await session.reviews.review(alice.id, "tensors")
    assert found is not None and found.text == text


async def test_latest_lists_newest_first_and_may_leave_hidden_out(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        old = await session.reviews.write(alice.id, "tensors", "old", T0)
        new = await session.reviews.write(bob.id, "tensors", "new", T0 + timedelta(minutes=5))
        await session.reviews.set_hidden(new.id, True)

    async with store.session() as session:
        assert [r.id for r in await session.reviews.latest()] == [new.id, old.id]
        assert [r.id for r in await session.reviews.latest(include_hidden=False)] == [old.id]
        assert [r.id for r in await session.reviews.latest(1)] == [new.id]


async def test_featured_lists_featured_visible_reviews_latest_featured_first(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        a = await session.reviews.write(alice.id, "tensors", "a", T0)
        b = await session.reviews.write(bob.id, "tensors", "b", T0)
        c = await session.reviews.write(alice.id, "autograd", "c", T0)
        assert await session.reviews.featured() == []
        assert await session.reviews.set_featured(a.id, True, T0)
        assert await session.reviews.set_featured(b.id, True, T0 + timedelta(minutes=1))
        assert await session.reviews.set_featured(c.id, True, T0 + timedelta(minutes=2))

    async with store.session() as session:
        assert [r.id for r in await session.reviews.featured()] == [c.id, b.id, a.id]
        assert [r.id for r in await session.reviews.featured(2)] == [c.id, b.id]
        await session.reviews.set_featured(b.id, False, T0)
        await session.reviews.set_hidden(c.id, True)
        assert [r.id for r in await session.reviews.featured()] == [a.id]


async def test_hiding_unfeatures_and_featuring_unhides(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        review = await session.reviews.write(alice.id, "tensors", "text", T0)
        await session.reviews.set_featured(review.id, True, T0)
        await session.reviews.set_hidden(review.id, True)
        hidden = await session.reviews.get(review.id)
        await session.reviews.set_featured(review.id, True, T0)
        shown = await session.reviews.get(review.id)

    assert hidden is not None and hidden.hidden and hidden.featured_at is None
    assert shown is not None and not shown.hidden and shown.featured_at == T0


async def test_editing_a_featured_review_unfeatures_it_but_rewriting_the_same_text_does_not(
    store: SqlStore,
) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        review = await session.reviews.write(alice.id, "tensors", "text", T0)
        await session.reviews.set_featured(review.id, True, T0)
        same = await session.reviews.write(alice.id, "tensors", "text", T0 + timedelta(minutes=1))
        changed = await session.reviews.write(alice.id, "tensors", "new text", T0 + timedelta(minutes=2))

    assert same.featured_at == T0
    assert changed.featured_at is None


async def test_editing_a_hidden_review_keeps_it_hidden(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        review = await session.reviews.write(alice.id, "tensors", "rude", T0)
        await session.reviews.set_hidden(review.id, True)
        edited = await session.reviews.write(alice.id, "tensors", "still rude", T0)

    assert edited.hidden


async def test_moderating_an_unknown_review_says_so(store: SqlStore) -> None:
    async with store.session() as session:
        assert not await session.reviews.set_featured(999, True, T0)
        assert not await session.reviews.set_hidden(999, True)
        assert await session.reviews.get(999) is None


async def test_lesson_ratings_count_and_sum_per_lesson(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.reviews.rate(alice.id, "tensors", 5, T0)
        await session.reviews.rate(bob.id, "tensors", 2, T0)
        await session.reviews.rate(bob.id, "autograd", 4, T0)

    async with store.session() as session:
        ratings = await session.reviews.lesson_ratings()
    assert ratings == [LessonRating("autograd", 1, 4), LessonRating("tensors", 2, 7)]
    assert ratings[1].average == 3.5


async def test_a_merge_keeps_the_survivors_review_of_a_lesson_both_reviewed(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.reviews.write(alice.id, "tensors", "alice's", T0)
        await session.reviews.write(bob.id, "tensors", "bob's", T0)
        await session.reviews.write(bob.id, "autograd", "bob's other", T0)
        await session.links.merge(bob.id, into_id=alice.id)

    async with store.session() as session:
        kept = await session.reviews.review(alice.id, "tensors")
        moved = await session.reviews.review(alice.id, "autograd")
    assert kept is not None and kept.text == "alice's"
    assert moved is not None and moved.text == "bob's other"
