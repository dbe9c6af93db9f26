"""The store's server-admin part on each backend: members, statistics, uploaded lessons."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from bot.core.ports import PlatformUser, QuizAttempt, UploadedLesson
from bot.store import SqlStore
from tests.store.test_repository import progress

ALICE = PlatformUser(platform="discord", user_id="1001", display_name="Alice")
BOB = PlatformUser(platform="discord", user_id="1002", display_name="Bob")
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
UPLOAD = UploadedLesson("broadcasting", "id: broadcasting\n", "b.yaml", "discord:1", T0)


async def test_server_stats_count_members_per_lesson_and_missed_questions(store: SqlStore) -> None:
    async with store.session() as s:
        alice, bob = await s.learner(ALICE), await s.learner(BOB)
        await s.note_server_member("discord", "g1", alice.id, T0)
        await s.note_server_member("discord", "g1", alice.id, T0)  # seen again: still one member
        await s.note_server_member("discord", "g2", bob.id, T0)
        await s.save_progress(alice.id, progress("tensors", completed_at=T0))
        await s.save_progress(bob.id, progress("tensors"))
        for correct in (False, False, True):
            await s.add_quiz_attempt(alice.id, QuizAttempt("tensors", "shape", "1", correct, T0))
    async with store.session() as s:
        stats = await s.server_stats("discord", "g1")
    assert stats.learners == 1
    assert [(c.lesson_id, c.started, c.completed) for c in stats.lessons] == [("tensors", 1, 1)]
    assert [(m.question_id, m.wrong, m.answers) for m in stats.missed] == [("shape", 2, 3)]


async def test_forgetting_a_learner_removes_their_memberships(store: SqlStore) -> None:
    async with store.session() as s:
        alice = await s.learner(ALICE)
        await s.note_server_member("discord", "g1", alice.id, T0)
        await s.forget_learner(alice.id)
    async with store.session() as s:
        assert (await s.server_stats("discord", "g1")).learners == 0


async def test_uploaded_lesson_is_saved_replaced_and_listed(store: SqlStore) -> None:
    async with store.session() as s:
        await s.save_uploaded_lesson(UPLOAD)
        await s.save_uploaded_lesson(
            dataclasses.replace(UPLOAD, filename="b2.yaml", uploaded_at=T0 + timedelta(1))
        )
    async with store.session() as s:
        assert await s.uploaded_lessons() == [
            dataclasses.replace(UPLOAD, filename="b2.yaml", uploaded_at=T0 + timedelta(1))
        ]


async def test_uploaded_lesson_is_disabled_and_removed(store: SqlStore) -> None:
    async with store.session() as s:
        await s.save_uploaded_lesson(UPLOAD)
        assert await s.set_uploaded_lesson_enabled("broadcasting", False)
        assert not await s.set_uploaded_lesson_enabled("missing", False)
    async with store.session() as s:
        assert [u.enabled for u in await s.uploaded_lessons()] == [False]
        assert await s.remove_uploaded_lesson("broadcasting")
        assert not await s.remove_uploaded_lesson("broadcasting")
        assert await s.uploaded_lessons() == []
