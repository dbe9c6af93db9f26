"""Finished runs for rate limits, and the claim that lets a learner run one at a time."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import (
    RunRecord,
)
from bot.store import SqlStore
from tests.store.contract.records import (
    BOB,
    T0,
    new_learner,
)


async def test_runs_since_counts_runs_at_or_after_the_moment(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        for seconds in (0, 30, 60, 90):
            await session.runs.add(alice.id, RunRecord("ok", 12.5, T0 + timedelta(seconds=seconds)))
        await session.runs.add(bob.id, RunRecord("timeout", 5000.0, T0 + timedelta(seconds=90)))

    async with store.session() as session:
        assert await session.runs.count_since(alice.id, T0 + timedelta(seconds=30)) == 3
        assert await session.runs.count_since(alice.id, T0 + timedelta(hours=1)) == 0


async def test_a_claim_holds_until_released(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.runs.claim(alice.id, "first", T0, T0 + timedelta(minutes=1))
    async with store.session() as session:
        assert not await session.runs.claim(alice.id, "second", T0, T0 + timedelta(minutes=1))
        assert await session.runs.release("first") == alice.id
    async with store.session() as session:
        assert await session.runs.claim(alice.id, "second", T0, T0 + timedelta(minutes=1))


async def test_an_expired_claim_is_taken_over(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.runs.claim(alice.id, "crashed", T0, T0 + timedelta(seconds=30))
    async with store.session() as session:
        assert not await session.runs.claim(
            alice.id, "early", T0 + timedelta(seconds=29), T0 + timedelta(minutes=1)
        )
        assert await session.runs.claim(
            alice.id, "late", T0 + timedelta(seconds=30), T0 + timedelta(minutes=1)
        )
        assert await session.runs.release("crashed") is None
        assert await session.runs.release("late") == alice.id


async def test_claims_of_different_learners_are_independent(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        assert await session.runs.claim(alice.id, "a", T0, T0 + timedelta(minutes=1))
        assert await session.runs.claim(bob.id, "b", T0, T0 + timedelta(minutes=1))


async def test_releasing_an_unknown_claim_finds_nobody(store: SqlStore) -> None:
    async with store.session() as session:
        assert await session.runs.release("never-claimed") is None


async def test_a_forgotten_learners_claim_is_gone(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.runs.claim(alice.id, "mine", T0, T0 + timedelta(minutes=1))
        await session.learners.forget(alice.id)
    async with store.session() as session:
        assert await session.runs.release("mine") is None


async def test_a_merge_moves_the_claim_to_the_surviving_learner(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.runs.claim(bob.id, "bobs", T0, T0 + timedelta(minutes=1))
        await session.links.merge(bob.id, into_id=alice.id)
    async with store.session() as session:
        assert not await session.runs.claim(alice.id, "alices", T0, T0 + timedelta(minutes=1))
        assert await session.runs.release("bobs") == alice.id


async def test_a_merge_of_two_running_learners_keeps_the_survivors_claim(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.runs.claim(alice.id, "alices", T0, T0 + timedelta(minutes=1))
        await session.runs.claim(bob.id, "bobs", T0, T0 + timedelta(minutes=1))
        await session.links.merge(bob.id, into_id=alice.id)
    async with store.session() as session:
        assert await session.runs.release("bobs") is None
        assert await session.runs.release("alices") == alice.id


async def test_count_since_counts_only_that_learners_runs(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.runs.add(alice.id, RunRecord("ok", 1.0, T0))
        await session.runs.add(bob.id, RunRecord("ok", 1.0, T0))
        assert await session.runs.count_since(alice.id, T0) == 1
