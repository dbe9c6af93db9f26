"""The course card's counts: learners who started and completed, ratings, per lesson; one query."""

from __future__ import annotations

from sqlalchemy import event

from bot.core.ports import LessonTally, PlatformUser
from bot.store import SqlStore
from tests.store.contract.records import ALICE, BOB, T0, new_learner, progress

CAROL = PlatformUser("console", "carol", "Carol")
COURSE = ("autograd", "tensors")


async def test_an_empty_course_counts_nothing(store: SqlStore) -> None:
    async with store.session() as session:
        counts = await session.course.counts(COURSE)

    assert (counts.started, counts.completed, counts.ratings, counts.average) == (0, 0, 0, None)
    assert counts.lessons == (LessonTally("autograd", 0, 0, 0, 0), LessonTally("tensors", 0, 0, 0, 0))


async def test_counts_learners_who_started_and_who_completed_every_lesson(store: SqlStore) -> None:
    alice, bob, carol = [await new_learner(store, user) for user in (ALICE, BOB, CAROL)]
    async with store.session() as session:
        for lesson in COURSE:  # Alice completed both
            await session.progress.save(alice.id, progress(lesson, completed_at=T0))
        await session.progress.save(bob.id, progress("tensors", completed_at=T0))  # one of two
        await session.progress.save(bob.id, progress("autograd"))
        await session.progress.save(carol.id, progress("retired-lesson", completed_at=T0))  # not in course

    async with store.session() as session:
        counts = await session.course.counts(COURSE)

    assert (counts.started, counts.completed) == (2, 1)
    assert counts.lessons == (LessonTally("autograd", 2, 1, 0, 0), LessonTally("tensors", 2, 2, 0, 0))


async def test_counts_ratings_per_lesson_and_over_the_course(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.reviews.rate(alice.id, "tensors", 5, T0)
        await session.reviews.rate(bob.id, "tensors", 4, T0)
        await session.reviews.rate(bob.id, "autograd", 3, T0)
        await session.reviews.rate(bob.id, "retired-lesson", 1, T0)

    async with store.session() as session:
        counts = await session.course.counts(COURSE)

    assert counts.lessons == (LessonTally("autograd", 0, 0, 1, 3), LessonTally("tensors", 0, 0, 2, 9))
    assert counts.ratings == 3
    assert counts.average == 4.0


async def test_counts_take_one_statement(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.progress.save(alice.id, progress("tensors"))
        await session.reviews.rate(alice.id, "tensors", 5, T0)
    statements: list[str] = []

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(store.engine.sync_engine, "before_cursor_execute", note)
    try:
        async with store.session() as session:
            statements.clear()
            await session.course.counts(COURSE)
            counted = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", note)

    assert len(counted) == 1, counted
