"""Time zones and reminders: saved, found when due, claimed by exactly one claimer."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.core.ports import PlatformUser, ReminderSettings
from bot.store import SqlStore
from tests.store.contract.records import ALICE, BOB, T0, new_learner

ON = ReminderSettings("Asia/Shanghai", 19 * 60, "telegram", "2002", T0)


async def test_a_learner_without_settings_is_in_utc_with_reminders_off(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.reminders.get(alice.id) == ReminderSettings()


async def test_settings_are_saved_and_replaced(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reminders.save(alice.id, ON)
        assert await session.reminders.get(alice.id) == ON
        await session.reminders.save(alice.id, ReminderSettings("Europe/Berlin"))
        assert await session.reminders.get(alice.id) == ReminderSettings("Europe/Berlin")


async def test_turn_off_keeps_the_time_zone(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reminders.save(alice.id, ON)
        await session.reminders.turn_off(alice.id)
        found = await session.reminders.get(alice.id)
    assert (found.time_zone, found.minute, found.next_at) == ("Asia/Shanghai", None, None)


async def test_due_finds_reminders_due_on_the_given_platforms(store: SqlStore) -> None:
    alice, bob = await new_learner(store, ALICE), await new_learner(store, BOB)
    carol = await new_learner(store, PlatformUser("telegram", "3", "Carol"))
    async with store.session() as session:
        await session.reminders.save(alice.id, dataclasses.replace(ON, platform="discord"))
        await session.reminders.save(bob.id, dataclasses.replace(ON, next_at=T0 - timedelta(hours=1)))
        await session.reminders.save(carol.id, dataclasses.replace(ON, next_at=T0 + timedelta(seconds=1)))

    async with store.session() as session:
        due = await session.reminders.due(T0, ["telegram"])
        both = await session.reminders.due(T0, ["telegram", "discord"])
    assert [d.learner_id for d in due] == [bob.id]
    assert [d.learner_id for d in both] == [bob.id, alice.id]


async def test_a_due_reminder_is_claimed_once(store: SqlStore) -> None:
    alice = await new_learner(store)
    tomorrow = T0 + timedelta(days=1)
    async with store.session() as session:
        await session.reminders.save(alice.id, ON)
    async with store.session() as session:
        assert await session.reminders.claim(alice.id, T0, tomorrow, T0)
    async with store.session() as session:
        assert not await session.reminders.claim(alice.id, T0, tomorrow, T0)
        assert await session.reminders.due(T0, ["telegram"]) == []
        assert (await session.reminders.get(alice.id)).next_at == tomorrow


async def test_a_reminder_turned_off_meanwhile_is_not_claimed(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reminders.save(alice.id, ON)
        await session.reminders.turn_off(alice.id)
        assert not await session.reminders.claim(alice.id, T0, T0 + timedelta(days=1), T0)


async def test_claiming_with_no_next_moment_turns_the_reminder_off(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reminders.save(alice.id, ON)
        assert await session.reminders.claim(alice.id, T0, None, T0)
        assert (await session.reminders.get(alice.id)).minute is None


async def test_saving_a_reminder_that_is_off_clears_its_next_moment(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.reminders.save(alice.id, dataclasses.replace(ON, minute=None))
        assert (await session.reminders.get(alice.id)).next_at is None
        assert await session.reminders.due(T0 + timedelta(days=9), ["telegram"]) == []
