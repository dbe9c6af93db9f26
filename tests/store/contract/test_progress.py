"""Progress, answers, submissions and hints of a learner."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.core.ports import (
    Submission,
)
from bot.store import SqlStore
from tests.store.contract.records import (
    BOB,
    T0,
    attempt,
    new_learner,
    progress,
    submission,
)


async def test_progress_is_none_before_lesson_starts(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        assert await session.progress.get(learner.id, "tensors") is None


async def test_save_progress_inserts_first_time(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.progress.save(learner.id, progress())

    async with store.session() as session:
        assert await session.progress.get(learner.id, "tensors") == progress()


async def test_save_progress_updates_existing_row(store: SqlStore) -> None:
    learner = await new_learner(store)
    later = progress(step_index=3, lesson_version=2, updated_at=T0 + timedelta(minutes=5), completed_at=T0)
    async with store.session() as session:
        await session.progress.save(learner.id, progress())
    async with store.session() as session:
        await session.progress.save(learner.id, later)
        assert await session.progress.get(learner.id, "tensors") == later

    async with store.session() as session:
        assert await session.progress.all(learner.id) == [later]


async def test_progress_returns_aware_utc_datetimes(store: SqlStore) -> None:
    learner = await new_learner(store)
    tokyo = timezone(timedelta(hours=9))
    async with store.session() as session:
        await session.progress.save(learner.id, progress(started_at=T0.astimezone(tokyo)))

    async with store.session() as session:
        loaded = await session.progress.get(learner.id, "tensors")
    assert loaded is not None
    assert loaded.started_at == T0
    assert loaded.started_at.utcoffset() == timedelta(0)


async def test_save_progress_refuses_naive_datetime(store: SqlStore) -> None:
    learner = await new_learner(store)
    with pytest.raises(Exception, match="naive datetime"):
        async with store.session() as session:
            await session.progress.save(learner.id, progress(updated_at=datetime(2026, 1, 1)))


async def test_all_progress_lists_each_started_lesson_of_that_learner(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.progress.save(alice.id, progress("tensors"))
        await session.progress.save(alice.id, progress("autograd", started_at=T0 + timedelta(days=1)))
        await session.progress.save(bob.id, progress("nn-module"))

    async with store.session() as session:
        assert [p.lesson_id for p in await session.progress.all(alice.id)] == ["tensors", "autograd"]
        assert await session.progress.all(9999) == []


async def test_quiz_attempts_are_returned_oldest_first(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.progress.add_attempt(learner.id, attempt(answer="2", at=T0 + timedelta(seconds=1)))
        await session.progress.add_attempt(learner.id, attempt(answer="1", at=T0))
        await session.progress.add_attempt(learner.id, attempt("other-lesson"))

    async with store.session() as session:
        assert await session.progress.attempts(learner.id, "tensors") == [
            attempt(answer="1", at=T0),
            attempt(answer="2", at=T0 + timedelta(seconds=1)),
        ]


async def test_submissions_are_filtered_by_exercise_oldest_first(store: SqlStore) -> None:
    learner = await new_learner(store)
    failed = Submission("tensors", "ex1", status="error", passed=False, at=T0)
    async with store.session() as session:
        await session.progress.add_submission(learner.id, submission(at=T0 + timedelta(seconds=5)))
        await session.progress.add_submission(learner.id, failed)
        await session.progress.add_submission(learner.id, submission(exercise_id="ex2"))

    async with store.session() as session:
        assert await session.progress.submissions(learner.id, "tensors", "ex1") == [
            failed,
            submission(at=T0 + timedelta(seconds=5)),
        ]


async def test_next_hint_counts_up_then_stays_on_the_last(store: SqlStore) -> None:
    alice = await new_learner(store)
    shown = []
    for _ in range(4):
        async with store.session() as session:
            shown.append(await session.progress.next_hint(alice.id, "tensors", "make-mean", 3))
    assert shown == [0, 1, 2, 2]
