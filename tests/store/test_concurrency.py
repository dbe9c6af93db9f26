"""Concurrent commands of one learner run one after the other and lose nothing, on each backend."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.core.ports import PlatformUser, Progress, QuizAttempt
from bot.store import SqlStore
from bot.store.models import AccountRow, LearnerRow

USER = PlatformUser(platform="console", user_id="carol", display_name="Carol")
TASKS = 20


async def count(store: SqlStore, model: type[LearnerRow] | type[AccountRow]) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def test_concurrent_commands_of_one_learner_lose_no_update(store: SqlStore) -> None:
    now = datetime.now(UTC)
    async with store.session() as session:
        learner = await session.learners.get_or_create(USER)
        await session.progress.save(learner.id, Progress("tensors", 1, "0", 0, now, now))

    async def next_step(n: int) -> None:
        async with store.session() as session:
            me = await session.learners.get_or_create(USER)
            current = await session.progress.get(me.id, "tensors")
            assert current is not None
            await asyncio.sleep(0.005)  # let the other commands interleave here if they can
            advanced = dataclasses.replace(current, step_index=current.step_index + 1, step_key=str(n))
            await session.progress.save(me.id, advanced)
            await session.progress.add_attempt(me.id, QuizAttempt("tensors", "q", str(n), True, now))

    await asyncio.gather(*(next_step(n) for n in range(TASKS)))

    async with store.session() as session:
        final = await session.progress.get(learner.id, "tensors")
        attempts = await session.progress.attempts(learner.id, "tensors")
    assert final is not None
    assert final.step_index == TASKS
    assert sorted(int(a.answer) for a in attempts) == list(range(TASKS))


async def test_concurrent_first_contact_creates_one_learner(store: SqlStore) -> None:
    async def first_contact() -> int:
        async with store.session() as session:
            learner = await session.learners.get_or_create(USER)
            await asyncio.sleep(0.005)  # hold the transaction open while the others arrive
            return learner.id

    ids = await asyncio.gather(*(first_contact() for _ in range(TASKS)))

    assert len(set(ids)) == 1
    assert await count(store, LearnerRow) == 1
    assert await count(store, AccountRow) == 1


async def test_concurrent_first_contacts_of_different_users_all_succeed(store: SqlStore) -> None:
    async def first_contact(n: int) -> int:
        async with store.session() as session:
            return (await session.learners.get_or_create(PlatformUser("telegram", str(n), f"user {n}"))).id

    ids = await asyncio.gather(*(first_contact(n) for n in range(TASKS)))

    assert len(set(ids)) == TASKS
    assert await count(store, LearnerRow) == TASKS
