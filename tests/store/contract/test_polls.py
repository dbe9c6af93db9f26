"""Quiz polls sent, remembered so that a vote is understood by any process, however late it comes."""

from __future__ import annotations

from datetime import timedelta

from bot.store import SqlStore
from tests.store.contract.records import T0

ACTIONS = ("ans:tensors:shape:0", "ans:tensors:shape:1")


async def test_a_poll_is_remembered_across_sessions(store: SqlStore) -> None:
    async with store.session() as s:
        await s.polls.remember("telegram", "5001", ACTIONS, T0)
    async with store.session() as s:
        assert await s.polls.actions("telegram", "5001") == ACTIONS
        assert await s.polls.actions("telegram", "5002") is None
        assert await s.polls.actions("discord", "5001") is None


async def test_a_poll_id_seen_again_is_replaced(store: SqlStore) -> None:
    async with store.session() as s:
        await s.polls.remember("telegram", "5001", ACTIONS, T0)
        await s.polls.remember("telegram", "5001", ("next",), T0 + timedelta(1))
    async with store.session() as s:
        assert await s.polls.actions("telegram", "5001") == ("next",)


async def test_old_polls_are_forgotten(store: SqlStore) -> None:
    async with store.session() as s:
        await s.polls.remember("telegram", "old", ACTIONS, T0)
        await s.polls.remember("telegram", "new", ACTIONS, T0 + timedelta(days=2))
    async with store.session() as s:
        assert await s.polls.forget_before(T0 + timedelta(days=1)) == 1
    async with store.session() as s:
        assert await s.polls.actions("telegram", "old") is None
        assert await s.polls.actions("telegram", "new") == ACTIONS
