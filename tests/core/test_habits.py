"""/timezone, /remind, /leaderboard and streaks in /progress, through the tutor on the real store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.ports import PlatformUser
from bot.core.tutor import ServerRef
from tests.core.conftest import Say, text_of
from tests.fakes import FakeClock

TG = PlatformUser("telegram", "42", "Tia")
BO = PlatformUser("discord", "7", "Bo")
CY = PlatformUser("discord", "8", "Cy <@1> @everyone")
GUILD = ServerRef("discord", "g1", "c1")


async def reminder_of(store, user: PlatformUser):
    async with store.session() as session:
        learner = await session.learners.get_or_create(user)
        return await session.reminders.get(learner.id)


async def test_timezone_is_utc_until_set_and_then_remembered(say: Say) -> None:
    assert "`UTC`" in text_of(await say("/timezone"))
    assert "now `Asia/Shanghai`" in text_of(await say("/timezone Asia/Shanghai"))
    assert "`Asia/Shanghai`" in text_of(await say("/timezone"))


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "Asia/"])
async def test_a_time_zone_that_does_not_exist_is_refused_and_changes_nothing(
    say: Say, store, name: str
) -> None:
    await say("/timezone Europe/Berlin")

    replies = await say(f"/timezone {name}")

    assert "There's no time zone" in text_of(replies) and "Nothing was changed" in text_of(replies)
    assert (await reminder_of(store, PlatformUser("console", "ada", "Ada"))).time_zone == "Europe/Berlin"


async def test_a_misspelt_time_zone_gets_suggestions(say: Say) -> None:
    assert "`Asia/Shanghai`" in text_of(await say("/timezone asia/shanghi"))


async def test_remind_on_sets_the_next_moment_in_the_learners_zone(say: Say, store, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    await say("/timezone Asia/Shanghai", user=TG)

    replies = await say("/remind on 19:00", user=TG)

    assert "every day at 19:00 (`Asia/Shanghai`)" in text_of(replies)
    found = await reminder_of(store, TG)
    assert (found.minute, found.platform, found.user_id) == (19 * 60, "telegram", "42")
    assert found.next_at == datetime(2026, 3, 3, 11, 0, tzinfo=UTC)  # 19:00 in Shanghai was 11:00 UTC


@pytest.mark.parametrize("time", ["25:00", "24:00", "19:60", "7pm", "1900"])
async def test_remind_at_an_impossible_time_is_refused_and_changes_nothing(
    say: Say, store, time: str
) -> None:
    await say("/remind on 08:30", user=TG)

    replies = await say(f"/remind on {time}", user=TG)

    assert f"`{time}` isn't a time of day" in text_of(replies)
    assert (await reminder_of(store, TG)).minute == 8 * 60 + 30


async def test_remind_off_turns_it_off(say: Say, store) -> None:
    await say("/remind on 08:30", user=TG)
    await say("/remind off", user=TG)
    assert (await reminder_of(store, TG)).minute is None
    assert "off" in text_of(await say("/remind", user=TG))


async def test_changing_the_time_zone_moves_the_reminder(say: Say, store, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    await say("/remind on 19:00", user=TG)
    assert (await reminder_of(store, TG)).next_at == datetime(2026, 3, 2, 19, 0, tzinfo=UTC)

    await say("/timezone America/New_York", user=TG)

    assert (await reminder_of(store, TG)).next_at == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


async def test_remind_does_not_exist_in_the_console(say: Say) -> None:
    assert "There's no /remind command" in text_of(await say("/remind on 19:00"))


async def test_streak_counts_local_days_of_activity(say: Say, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    await say("/timezone Asia/Shanghai")  # 23:00 local
    await say("/lesson tensor-basics")
    await say("/next")
    clock.advance(2 * 3600)  # 01:00 the next local day
    await say("/next")

    assert "Streak: 2 days (longest 2)" in text_of(await say("/progress"))
    clock.advance(3 * 24 * 3600)
    assert "Streak: 0 days (longest 2)" in text_of(await say("/progress"))


async def server_say(say: Say, text: str, user: PlatformUser) -> str:
    return text_of(await say(text, user=user, server=GUILD))


async def test_the_server_board_ranks_this_weeks_points_and_names_nobody_by_mention(
    say: Say, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
    for user, steps in ((BO, 2), (CY, 2)):
        await server_say(say, "/lesson tensor-basics", user)
        for _ in range(steps):
            await server_say(say, "/next", user)
    await server_say(say, "/answer 2", CY)  # the quiz, first-try right: 2 points

    board = await server_say(say, "/leaderboard", BO)

    lines = [line for line in board.splitlines() if line[:2] in ("1.", "2.")]
    assert lines[0].startswith("1. `Cy <@\u200b1> @\u200beveryone` · 4 points")
    assert lines[1] == "2. `Bo` · 2 points (you)"
    assert "Monday 00:00 UTC" in board


async def test_the_board_resets_on_monday_at_midnight_utc(say: Say, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 8, 23, 59, tzinfo=UTC)  # Sunday
    await server_say(say, "/lesson tensor-basics", BO)
    await server_say(say, "/next", BO)
    assert "1 point" in await server_say(say, "/leaderboard", BO)

    clock.now = datetime(2026, 3, 9, 0, 0, tzinfo=UTC)

    assert "Nobody in this server has earned points this week" in await server_say(say, "/leaderboard", BO)


async def test_in_direct_messages_the_board_shows_your_rank_and_hide_leaves_you_off(
    say: Say, clock: FakeClock
) -> None:
    for user, steps in ((BO, 1), (CY, 3)):
        await say("/lesson tensor-basics", user=user)
        for _ in range(steps):
            await say("/next", user=user)

    assert "**#2**" in text_of(await say("/leaderboard", user=BO))
    await say("/leaderboard hide", user=CY)
    assert "**#1**" in text_of(await say("/leaderboard", user=BO))
    assert "You're hidden" in text_of(await say("/leaderboard", user=CY))
    assert "Cy" not in await server_say(say, "/leaderboard", BO)
    await say("/leaderboard show", user=CY)
    assert "**#1**" in text_of(await say("/leaderboard", user=CY))


async def test_points_are_earned_once_per_step(say: Say) -> None:
    await say("/lesson tensor-basics", user=BO)
    await say("/next", user=BO)
    await say("/back", user=BO)
    await say("/next", user=BO)

    assert "with 1 point" in text_of(await say("/leaderboard", user=BO))
