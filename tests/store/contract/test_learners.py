"""Learners and accounts: first contact, locking, language, current lesson, forgetting."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from bot.core.ports import (
    Learner,
    LinkCode,
    NotebookCell,
    PlatformUser,
    PointAward,
    ReminderSettings,
    RunRecord,
)
from bot.store import SqlStore
from bot.store.models import AccountRow, Base, LearnerRow
from tests.store.contract.records import (
    ALICE,
    BOB,
    T0,
    attempt,
    card,
    count_rows,
    new_learner,
    progress,
    submission,
)


async def test_learner_creates_learner_and_account_on_first_contact(store: SqlStore) -> None:
    learner = await new_learner(store)

    assert learner == Learner(id=learner.id, display_name="Alice", locale=None, current_lesson=None)
    assert await count_rows(store, LearnerRow) == 1
    assert await count_rows(store, AccountRow) == 1


async def test_learner_is_idempotent_for_one_platform_user(store: SqlStore) -> None:
    first = await new_learner(store)
    again = await new_learner(store, dataclasses.replace(ALICE, display_name="Alice (renamed)"))

    assert again.id == first.id
    assert await count_rows(store, LearnerRow) == 1


async def test_learner_twice_in_one_session_returns_same_learner(store: SqlStore) -> None:
    async with store.session() as session:
        first = await session.learners.get_or_create(ALICE)
        second = await session.learners.get_or_create(ALICE)

    assert first == second


async def test_learner_keeps_platforms_apart(store: SqlStore) -> None:
    on_discord = await new_learner(store, PlatformUser("discord", "42", "X"))
    on_telegram = await new_learner(store, PlatformUser("telegram", "42", "X"))

    assert on_discord.id != on_telegram.id


async def test_learner_returns_frozen_record_not_orm_object(store: SqlStore) -> None:
    learner = await new_learner(store)

    assert type(learner) is Learner
    with pytest.raises(dataclasses.FrozenInstanceError):
        learner.locale = "zh"  # type: ignore[misc]


async def test_set_locale_is_remembered(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.learners.set_locale(learner.id, "zh")

    assert (await new_learner(store)).locale == "zh"


async def test_set_locale_none_forgets_choice(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.learners.set_locale(learner.id, "zh")
        await session.learners.set_locale(learner.id, None)

    assert (await new_learner(store)).locale is None


async def test_set_locale_is_visible_to_learner_in_same_session(store: SqlStore) -> None:
    async with store.session() as session:
        learner = await session.learners.get_or_create(ALICE)
        await session.learners.set_locale(learner.id, "en")
        assert (await session.learners.get_or_create(ALICE)).locale == "en"


async def test_set_current_lesson_is_remembered(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.learners.set_current_lesson(learner.id, "autograd-basics")

    assert (await new_learner(store)).current_lesson == "autograd-basics"


async def test_reset_lesson_forgets_that_lesson_only(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        for lesson in ("tensors", "autograd"):
            await session.progress.save(learner.id, progress(lesson))
            await session.progress.add_attempt(learner.id, attempt(lesson))
            await session.progress.add_submission(learner.id, submission(lesson))

    async with store.session() as session:
        await session.progress.reset_lesson(learner.id, "tensors")

    async with store.session() as session:
        assert await session.progress.get(learner.id, "tensors") is None
        assert await session.progress.attempts(learner.id, "tensors") == []
        assert await session.progress.submissions(learner.id, "tensors", "ex1") == []
        assert await session.progress.get(learner.id, "autograd") == progress("autograd")
        assert len(await session.progress.attempts(learner.id, "autograd")) == 1
        assert len(await session.progress.submissions(learner.id, "autograd", "ex1")) == 1


async def test_forget_learner_deletes_everything_about_them(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        for learner in (alice, bob):
            await session.progress.save(learner.id, progress())
            await session.progress.add_attempt(learner.id, attempt())
            await session.progress.add_submission(learner.id, submission())
            await session.runs.add(learner.id, RunRecord("ok", 1.0, T0))
            await session.progress.next_hint(learner.id, "tensors", "make-mean", 2)
            await session.servers.note_member("discord", "g1", learner.id, T0)
            await session.links.add_code(LinkCode(f"code{learner.id}", learner.id, "discord", T0, T0))
            await session.runs.claim(learner.id, f"claim{learner.id}", T0, T0)
            await session.notebooks.add(learner.id, NotebookCell("x = 1", 5, 1.0, T0))
            await session.notebooks.touch(learner.id, T0)
            await session.reviews.rate(learner.id, "tensors", 4, T0)
            await session.reviews.write(learner.id, "tensors", "Clear.", T0)
            await session.practice.add(learner.id, card())
            await session.activity.note_day(learner.id, T0.date())
            await session.activity.award(learner.id, PointAward("step", "tensors", "s1", 1, T0))
            await session.activity.set_hidden(learner.id, True, T0)
            await session.reminders.save(learner.id, ReminderSettings("UTC", 600, "discord", "1", T0))

    async with store.session() as session:
        await session.learners.forget(alice.id)

    for table in Base.metadata.sorted_tables:
        if "learner_id" in table.columns:
            async with store.engine.connect() as connection:
                owners = set((await connection.execute(select(table.c.learner_id))).scalars())
            assert owners == {bob.id}, table.name
    assert await count_rows(store, LearnerRow) == 1


async def test_forget_learner_then_next_contact_starts_afresh(store: SqlStore) -> None:
    async with store.session() as session:
        forgotten = await session.learners.get_or_create(ALICE)
        await session.learners.set_locale(forgotten.id, "zh")
        await session.progress.save(forgotten.id, progress())
        await session.learners.forget(forgotten.id)
        fresh = await session.learners.get_or_create(ALICE)
        assert await session.progress.get(fresh.id, "tensors") is None

    assert fresh.id != forgotten.id
    assert fresh.locale is None


async def test_reset_lesson_forgets_hints_seen(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.progress.next_hint(alice.id, "tensors", "make-mean", 3)
        await session.progress.reset_lesson(alice.id, "tensors")
        assert await session.progress.next_hint(alice.id, "tensors", "make-mean", 3) == 0


async def test_learner_without_lock_finds_and_creates_like_with_it(store: SqlStore) -> None:
    async with store.session() as session:
        created = await session.learners.get_or_create(ALICE, lock=False)
    async with store.session() as session:
        assert await session.learners.get_or_create(ALICE, lock=False) == created
        assert await session.learners.get_or_create(ALICE) == created


async def test_by_id_returns_the_learner_or_none(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.learners.by_id(alice.id) == alice
        assert await session.learners.by_id(alice.id, lock=False) == alice
        assert await session.learners.by_id(alice.id + 1000) is None


async def test_accounts_lists_the_learners_platform_accounts(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert [(a.platform, a.user_id) for a in await session.learners.accounts(alice.id)] == [
            ("discord", "1001")
        ]
