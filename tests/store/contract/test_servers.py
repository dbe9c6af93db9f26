"""Server settings, members and the statistics their admins see."""

from __future__ import annotations

import dataclasses

from bot.core.ports import (
    QuizAttempt,
    ServerSettings,
)
from bot.store import SqlStore
from bot.store.models import Base
from tests.store.contract.records import (
    ALICE,
    BOB,
    T0,
    count_rows,
    progress,
)


async def test_server_settings_are_defaults_when_never_saved(store: SqlStore) -> None:
    async with store.session() as session:
        settings = await session.servers.settings("discord", "guild-1")

    assert settings == ServerSettings(platform="discord", server_id="guild-1")
    assert await count_rows(store, Base.metadata.tables["server_settings"]) == 0


async def test_save_server_settings_inserts_then_updates(store: SqlStore) -> None:
    first = ServerSettings("telegram", "-100123", locale="zh", allowed_channels=frozenset({"a", "b"}))
    second = dataclasses.replace(
        first, allowed_channels=frozenset(), sandbox_enabled=False, lessons_in_dm=True
    )
    async with store.session() as session:
        await session.servers.save_settings(first)
    async with store.session() as session:
        assert await session.servers.settings("telegram", "-100123") == first
        await session.servers.save_settings(second)

    async with store.session() as session:
        assert await session.servers.settings("telegram", "-100123") == second
        assert await session.servers.settings("discord", "-100123") == ServerSettings("discord", "-100123")


async def test_server_stats_count_members_per_lesson_and_missed_questions(store: SqlStore) -> None:
    async with store.session() as s:
        alice, bob = await s.learners.get_or_create(ALICE), await s.learners.get_or_create(BOB)
        await s.servers.note_member("discord", "g1", alice.id, T0)
        await s.servers.note_member("discord", "g1", alice.id, T0)  # seen again: still one member
        await s.servers.note_member("discord", "g2", bob.id, T0)
        await s.progress.save(alice.id, progress("tensors", completed_at=T0))
        await s.progress.save(bob.id, progress("tensors"))
        for correct in (False, False, True):
            await s.progress.add_attempt(alice.id, QuizAttempt("tensors", "shape", "1", correct, T0))
    async with store.session() as s:
        stats = await s.servers.stats("discord", "g1")
    assert stats.learners == 1
    assert [(c.lesson_id, c.started, c.completed) for c in stats.lessons] == [("tensors", 1, 1)]
    assert [(m.question_id, m.wrong, m.answers) for m in stats.missed] == [("shape", 2, 3)]


async def test_forgetting_a_learner_removes_their_memberships(store: SqlStore) -> None:
    async with store.session() as s:
        alice = await s.learners.get_or_create(ALICE)
        await s.servers.note_member("discord", "g1", alice.id, T0)
        await s.learners.forget(alice.id)
    async with store.session() as s:
        assert (await s.servers.stats("discord", "g1")).learners == 0
