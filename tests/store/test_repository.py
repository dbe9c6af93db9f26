"""Every `StoreSession` method, on each backend: one behaviour per test."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Table, func, select

from bot.core.ports import (
    Learner,
    LinkCode,
    PlatformUser,
    Progress,
    QuizAttempt,
    ServerSettings,
    Submission,
)
from bot.store import SqlStore
from bot.store.models import AccountRow, Base, LearnerRow

ALICE = PlatformUser(platform="discord", user_id="1001", display_name="Alice", locale_hint="en-US")
BOB = PlatformUser(platform="telegram", user_id="2002", display_name="Bob")
T0 = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def progress(lesson_id: str = "tensors", step_index: int = 0, **changes: object) -> Progress:
    base = Progress(
        lesson_id=lesson_id,
        lesson_version=1,
        step_key=f"step-{step_index}",
        step_index=step_index,
        started_at=T0,
        updated_at=T0,
    )
    return dataclasses.replace(base, **changes)


def attempt(
    lesson_id: str = "tensors", answer: str = "1", at: datetime = T0, **changes: object
) -> QuizAttempt:
    base = QuizAttempt(lesson_id=lesson_id, question_id="q1", answer=answer, correct=answer == "1", at=at)
    return dataclasses.replace(base, **changes)


def submission(lesson_id: str = "tensors", exercise_id: str = "ex1", at: datetime = T0) -> Submission:
    return Submission(lesson_id=lesson_id, exercise_id=exercise_id, status="ok", passed=True, at=at)


async def new_learner(store: SqlStore, user: PlatformUser = ALICE) -> Learner:
    async with store.session() as session:
        return await session.learner(user)


async def count_rows(store: SqlStore, model: type[Base] | Table) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


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
        first = await session.learner(ALICE)
        second = await session.learner(ALICE)

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
        await session.set_locale(learner.id, "zh")

    assert (await new_learner(store)).locale == "zh"


async def test_set_locale_none_forgets_choice(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.set_locale(learner.id, "zh")
        await session.set_locale(learner.id, None)

    assert (await new_learner(store)).locale is None


async def test_set_locale_is_visible_to_learner_in_same_session(store: SqlStore) -> None:
    async with store.session() as session:
        learner = await session.learner(ALICE)
        await session.set_locale(learner.id, "en")
        assert (await session.learner(ALICE)).locale == "en"


async def test_set_current_lesson_is_remembered(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.set_current_lesson(learner.id, "autograd-basics")

    assert (await new_learner(store)).current_lesson == "autograd-basics"


async def test_progress_is_none_before_lesson_starts(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        assert await session.progress(learner.id, "tensors") is None


async def test_save_progress_inserts_first_time(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.save_progress(learner.id, progress())

    async with store.session() as session:
        assert await session.progress(learner.id, "tensors") == progress()


async def test_save_progress_updates_existing_row(store: SqlStore) -> None:
    learner = await new_learner(store)
    later = progress(step_index=3, lesson_version=2, updated_at=T0 + timedelta(minutes=5), completed_at=T0)
    async with store.session() as session:
        await session.save_progress(learner.id, progress())
    async with store.session() as session:
        await session.save_progress(learner.id, later)
        assert await session.progress(learner.id, "tensors") == later

    async with store.session() as session:
        assert await session.all_progress(learner.id) == [later]


async def test_progress_returns_aware_utc_datetimes(store: SqlStore) -> None:
    learner = await new_learner(store)
    tokyo = timezone(timedelta(hours=9))
    async with store.session() as session:
        await session.save_progress(learner.id, progress(started_at=T0.astimezone(tokyo)))

    async with store.session() as session:
        loaded = await session.progress(learner.id, "tensors")
    assert loaded is not None
    assert loaded.started_at == T0
    assert loaded.started_at.utcoffset() == timedelta(0)


async def test_save_progress_refuses_naive_datetime(store: SqlStore) -> None:
    learner = await new_learner(store)
    with pytest.raises(Exception, match="naive datetime"):
        async with store.session() as session:
            await session.save_progress(learner.id, progress(updated_at=datetime(2026, 1, 1)))


async def test_all_progress_lists_each_started_lesson_of_that_learner(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.save_progress(alice.id, progress("tensors"))
        await session.save_progress(alice.id, progress("autograd", started_at=T0 + timedelta(days=1)))
        await session.save_progress(bob.id, progress("nn-module"))

    async with store.session() as session:
        assert [p.lesson_id for p in await session.all_progress(alice.id)] == ["tensors", "autograd"]
        assert await session.all_progress(9999) == []


async def test_reset_lesson_forgets_that_lesson_only(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        for lesson in ("tensors", "autograd"):
            await session.save_progress(learner.id, progress(lesson))
            await session.add_quiz_attempt(learner.id, attempt(lesson))
            await session.add_submission(learner.id, submission(lesson))

    async with store.session() as session:
        await session.reset_lesson(learner.id, "tensors")

    async with store.session() as session:
        assert await session.progress(learner.id, "tensors") is None
        assert await session.quiz_attempts(learner.id, "tensors") == []
        assert await session.submissions(learner.id, "tensors", "ex1") == []
        assert await session.progress(learner.id, "autograd") == progress("autograd")
        assert len(await session.quiz_attempts(learner.id, "autograd")) == 1
        assert len(await session.submissions(learner.id, "autograd", "ex1")) == 1


async def test_quiz_attempts_are_returned_oldest_first(store: SqlStore) -> None:
    learner = await new_learner(store)
    async with store.session() as session:
        await session.add_quiz_attempt(learner.id, attempt(answer="2", at=T0 + timedelta(seconds=1)))
        await session.add_quiz_attempt(learner.id, attempt(answer="1", at=T0))
        await session.add_quiz_attempt(learner.id, attempt("other-lesson"))

    async with store.session() as session:
        assert await session.quiz_attempts(learner.id, "tensors") == [
            attempt(answer="1", at=T0),
            attempt(answer="2", at=T0 + timedelta(seconds=1)),
        ]


async def test_submissions_are_filtered_by_exercise_oldest_first(store: SqlStore) -> None:
    learner = await new_learner(store)
    failed = Submission("tensors", "ex1", status="error", passed=False, at=T0)
    async with store.session() as session:
        await session.add_submission(learner.id, submission(at=T0 + timedelta(seconds=5)))
        await session.add_submission(learner.id, failed)
        await session.add_submission(learner.id, submission(exercise_id="ex2"))

    async with store.session() as session:
        assert await session.submissions(learner.id, "tensors", "ex1") == [
            failed,
            submission(at=T0 + timedelta(seconds=5)),
        ]


async def test_runs_since_counts_runs_at_or_after_the_moment(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        for seconds in (0, 30, 60, 90):
            await session.add_run(alice.id, "ok", 12.5, T0 + timedelta(seconds=seconds))
        await session.add_run(bob.id, "timeout", 5000.0, T0 + timedelta(seconds=90))

    async with store.session() as session:
        assert await session.runs_since(alice.id, T0 + timedelta(seconds=30)) == 3
        assert await session.runs_since(alice.id, T0 + timedelta(hours=1)) == 0


async def test_server_settings_are_defaults_when_never_saved(store: SqlStore) -> None:
    async with store.session() as session:
        settings = await session.server_settings("discord", "guild-1")

    assert settings == ServerSettings(platform="discord", server_id="guild-1")
    assert await count_rows(store, Base.metadata.tables["server_settings"]) == 0


async def test_save_server_settings_inserts_then_updates(store: SqlStore) -> None:
    first = ServerSettings("telegram", "-100123", locale="zh", allowed_channels=frozenset({"a", "b"}))
    second = dataclasses.replace(
        first, allowed_channels=frozenset(), sandbox_enabled=False, lessons_in_dm=True
    )
    async with store.session() as session:
        await session.save_server_settings(first)
    async with store.session() as session:
        assert await session.server_settings("telegram", "-100123") == first
        await session.save_server_settings(second)

    async with store.session() as session:
        assert await session.server_settings("telegram", "-100123") == second
        assert await session.server_settings("discord", "-100123") == ServerSettings("discord", "-100123")


async def test_forget_learner_deletes_everything_about_them(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        for learner in (alice, bob):
            await session.save_progress(learner.id, progress())
            await session.add_quiz_attempt(learner.id, attempt())
            await session.add_submission(learner.id, submission())
            await session.add_run(learner.id, "ok", 1.0, T0)
            await session.next_hint(learner.id, "tensors", "make-mean", 2)
            await session.note_server_member("discord", "g1", learner.id, T0)
            await session.add_link_code(LinkCode(f"code{learner.id}", learner.id, "discord", T0, T0))

    async with store.session() as session:
        await session.forget_learner(alice.id)

    for table in Base.metadata.sorted_tables:
        if "learner_id" in table.columns:
            async with store.engine.connect() as connection:
                owners = set((await connection.execute(select(table.c.learner_id))).scalars())
            assert owners == {bob.id}, table.name
    assert await count_rows(store, LearnerRow) == 1


async def test_forget_learner_then_next_contact_starts_afresh(store: SqlStore) -> None:
    async with store.session() as session:
        forgotten = await session.learner(ALICE)
        await session.set_locale(forgotten.id, "zh")
        await session.save_progress(forgotten.id, progress())
        await session.forget_learner(forgotten.id)
        fresh = await session.learner(ALICE)
        assert await session.progress(fresh.id, "tensors") is None

    assert fresh.id != forgotten.id
    assert fresh.locale is None


async def test_session_rolls_back_when_command_fails(store: SqlStore) -> None:
    learner = await new_learner(store)
    with pytest.raises(RuntimeError):
        async with store.session() as session:
            await session.set_locale(learner.id, "zh")
            raise RuntimeError("command crashed")

    assert (await new_learner(store)).locale is None


async def test_next_hint_counts_up_then_stays_on_the_last(store: SqlStore) -> None:
    alice = await new_learner(store)
    shown = []
    for _ in range(4):
        async with store.session() as session:
            shown.append(await session.next_hint(alice.id, "tensors", "make-mean", 3))
    assert shown == [0, 1, 2, 2]


async def test_reset_lesson_forgets_hints_seen(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.next_hint(alice.id, "tensors", "make-mean", 3)
        await session.reset_lesson(alice.id, "tensors")
        assert await session.next_hint(alice.id, "tensors", "make-mean", 3) == 0


async def test_learner_without_lock_finds_and_creates_like_with_it(store: SqlStore) -> None:
    async with store.session() as session:
        created = await session.learner(ALICE, lock=False)
    async with store.session() as session:
        assert await session.learner(ALICE, lock=False) == created
        assert await session.learner(ALICE) == created
