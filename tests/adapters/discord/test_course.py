"""The course's loops on Discord: card, stars after a lesson, the review modal, practice, habits, DMs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from simcord import SetupError

from bot.adapters.discord.reminders import send_reminder
from bot.core.reminders import Reminder
from bot.core.replies import Text
from bot.core.tutor import Tutor
from tests.adapters.discord.conftest import World, messages_of, text_of
from tests.adapters.discord.test_lessons import labels, with_buttons
from tests.fakes import FakeClock


async def finish(world: World) -> Any:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    for _ in range(5):
        result = await world.user.click(with_buttons(result), label="Next")
    return await world.user.click(with_buttons(result), label="Finish lesson")


async def test_finishing_offers_stars_and_a_star_rates_for_the_card(world: World) -> None:
    finished = await finish(world)
    stars = [m for m in messages_of(finished) if m.components and "★" in labels(m)[0]][-1]
    assert labels(stars) == [f"{n} ★" for n in range(1, 6)]

    rated = await world.user.click(stars, label="4 ★")

    assert "You rated **Tensors** ★★★★☆" in text_of(rated)
    card = text_of(await world.user.slash("course"))
    assert "★ 4.0/5 (8.0/10) from 1 rating" in card
    assert "No featured reviews yet." in card


async def test_review_without_text_opens_a_300_character_modal(world: World) -> None:
    await world.user.slash("lesson", lesson="tensor-basics")
    shown = await world.user.slash("review", lesson="tensor-basics")
    assert shown.modal is not None
    with pytest.raises(SetupError, match="max_length=300"):
        await world.user.submit_modal(shown, {"code": "x" * 301})

    shown = await world.user.slash("review", lesson="tensor-basics")
    saved = await world.user.submit_modal(shown, {"code": "Clear steps, <@1> and @everyone https://x.io"})

    text = text_of(saved)
    assert "Saved your review of **Tensors**" in text
    assert "\\<\\@" in text  # the mention is escaped, not rendered
    assert "https://x.io" not in text and "@everyone" not in text


async def test_review_typed_too_long_says_by_how_much(world: World) -> None:
    await world.user.slash("lesson", lesson="tensor-basics")
    refused = await world.user.slash("review", lesson="tensor-basics", text="y" * 301)
    assert "301/300 characters: shorten it by 1" in text_of(refused)


async def test_admin_reviews_feature_puts_a_review_on_the_card(world: World) -> None:
    await world.learner.slash(world.channel, "lesson", lesson="tensor-basics")
    await world.learner.slash(world.channel, "review", lesson="tensor-basics", text="**Loved** it")
    listing = text_of(await world.admin.slash(world.channel, "admin reviews"))
    assert "`#1`" in listing

    await world.admin.slash(world.channel, "admin reviews", action="feature", review=1)

    card = text_of(await world.learner.slash(world.channel, "course"))
    assert "\\*\\*Loved\\*\\* it" in card


async def test_practice_asks_a_missed_question_with_buttons(world: World, clock: FakeClock) -> None:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    for _ in range(2):
        result = await world.user.click(with_buttons(result), label="Next")
    await world.user.click(with_buttons(result), label="1. (4,)")
    clock.advance(61)

    asked = await world.user.slash("practice")
    assert "**Practice** · Tensors · 1 question due" in text_of(asked)
    answered = await world.user.click(with_buttons(asked), label="2. (2, 2)")

    assert "Correct!" in text_of(answered)
    assert "again in 10 minutes" in text_of(answered)


async def test_timezone_remind_and_leaderboard_answer_in_a_server(world: World) -> None:
    assert "now `Europe/Berlin`" in text_of(
        await world.learner.slash(world.channel, "timezone", zone="Europe/Berlin")
    )
    assert "There's no time zone" in text_of(
        await world.learner.slash(world.channel, "timezone", zone="Nowhere/X")
    )
    assert "every day at 19:00" in text_of(
        await world.learner.slash(world.channel, "remind", state="on", time="19:00")
    )
    assert "isn't a time of day" in text_of(
        await world.learner.slash(world.channel, "remind", state="on", time="25:00")
    )
    await world.learner.slash(world.channel, "lesson", lesson="tensor-basics")
    await world.learner.slash(world.channel, "next")

    board = text_of(await world.learner.slash(world.channel, "leaderboard"))

    assert "This week's leaderboard" in board and "1 point (you)" in board


async def test_a_reminder_arrives_as_a_direct_message(world: World, tutor: Tutor, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    await world.user.slash("remind", state="on", time="19:00")
    clock.now += timedelta(hours=1)

    class Service:
        async def send_reminder(self, reminder: Reminder) -> Any:
            return await send_reminder(world.env.bot, reminder)

    assert await tutor.send_reminders({"discord": Service()}) == 1
    dm = world.user.dm_channel.last_message
    assert dm is not None and "Time to practise" in "\n".join(e.description or "" for e in dm.embeds)


async def test_a_learner_who_closed_their_dms_is_reported_blocked(world: World) -> None:
    world.env.inject_error("POST", "/channels/*/messages", status=403, code=50007, message="Cannot send")
    reminder = Reminder(1, "discord", str(world.user.id), "en", (Text("hi"),))

    assert await send_reminder(world.env.bot, reminder) == "blocked"
