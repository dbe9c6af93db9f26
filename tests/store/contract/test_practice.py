"""Practice decks: one card per missed question, due ones first, schedules saved, asked cards found."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.store import SqlStore
from tests.store.contract.records import ALICE, BOB, T0, card, new_learner


async def test_a_question_enters_the_deck_once(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.practice.add(alice.id, card())
        assert not await session.practice.add(alice.id, card(due=T0 + timedelta(days=3)))
        assert await session.practice.size(alice.id) == 1
        assert await session.practice.get(alice.id, "tensors", "q1") == card()


async def test_due_lists_cards_due_now_longest_overdue_first(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.practice.add(alice.id, card(question_id="later", due=T0 + timedelta(hours=1)))
        await session.practice.add(alice.id, card(question_id="recent", due=T0 - timedelta(minutes=1)))
        await session.practice.add(alice.id, card(question_id="oldest", due=T0 - timedelta(days=2)))
        await session.practice.add(bob.id, card(question_id="bobs", due=T0 - timedelta(days=9)))

    async with store.session() as session:
        due = await session.practice.due(alice.id, T0, limit=5)
        assert [c.question_id for c in due] == ["oldest", "recent"]
        assert [c.question_id for c in await session.practice.due(alice.id, T0)] == ["oldest"]
        assert await session.practice.due_count(alice.id, T0) == 2
        assert await session.practice.due_count(alice.id, T0 + timedelta(hours=1)) == 3
        assert await session.practice.next_due(alice.id) == T0 - timedelta(days=2)


async def test_next_due_of_an_empty_deck_is_none(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.practice.next_due(alice.id) is None


async def test_save_updates_the_schedule(store: SqlStore) -> None:
    alice = await new_learner(store)
    rescheduled = card(
        due=T0 + timedelta(days=4),
        state=2,
        step=None,
        stability=3.2,
        difficulty=5.5,
        last_review=T0,
        reviews=2,
        lapses=1,
    )
    async with store.session() as session:
        await session.practice.add(alice.id, card())
        await session.practice.save(alice.id, rescheduled)

    async with store.session() as session:
        assert await session.practice.get(alice.id, "tensors", "q1") == rescheduled


async def test_asked_finds_the_card_asked_last_until_it_is_answered(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.practice.add(alice.id, card(question_id="a"))
        await session.practice.add(alice.id, card(question_id="b"))
        assert await session.practice.asked(alice.id) is None
        await session.practice.save(alice.id, card(question_id="a", asked_at=T0))
        await session.practice.save(alice.id, card(question_id="b", asked_at=T0 + timedelta(seconds=5)))
        asked = await session.practice.asked(alice.id)
        assert asked is not None and asked.question_id == "b"
        await session.practice.save(alice.id, dataclasses.replace(asked, asked_at=None))
        asked = await session.practice.asked(alice.id)
        assert asked is not None and asked.question_id == "a"


async def test_remove_takes_one_question_out(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.practice.add(alice.id, card(question_id="a"))
        await session.practice.add(alice.id, card(question_id="b"))
        await session.practice.remove(alice.id, "tensors", "a")
        assert await session.practice.get(alice.id, "tensors", "a") is None
        assert await session.practice.size(alice.id) == 1


async def test_unlink_gives_both_learners_the_deck(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.practice.add(alice.id, card())
        moved = await session.links.detach(alice.id, ALICE)
        assert await session.practice.size(alice.id) == 1
        assert await session.practice.size(moved.id) == 1
