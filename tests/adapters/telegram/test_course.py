"""The course's loops through the fake Bot API: card, stars, reviews, practice, habits and reminders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.adapters.telegram.app import TelegramFrontend
from bot.core.context import TutorSettings
from bot.core.reminders import Reminder
from bot.core.replies import Text
from bot.core.tutor import Tutor
from bot.store import SqlStore
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.adapters.telegram.test_bot_api import button, with_keyboard
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox


@pytest.fixture
def tutor(store: SqlStore, sandbox: FakeSandbox, clock: FakeClock) -> Tutor:
    """The conftest's tutor, on a clock the test moves (reminders fall due)."""
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    settings = TutorSettings(commands_per_minute=1000, runs_per_minute=1000)
    return Tutor(store, catalog, sandbox, settings=settings, clock=clock)


async def say(api: FakeBotApi, text: str, expect: str, count: int = 1) -> str:
    await api.push_text(text)
    found = await api.wait_for("sendMessage", count=count, text=expect)
    return str(found[-1].params["text"])


async def test_course_card_and_stars_after_a_lesson(api: FakeBotApi, bot: TelegramFrontend) -> None:
    assert "No featured reviews yet." in await say(api, "/course", "Learn PyTorch in chat")
    await say(api, "/lesson tensor-basics", "step 1/6")
    for step in range(2, 7):
        await api.push_text("/next")
        if step == 3:
            await api.wait_for("sendPoll")
        else:
            await api.wait_for("sendMessage", text=f"step {step}/6")
    await say(api, "/next", "You've completed")
    stars = with_keyboard(api)
    assert button(stars, "5 ★") == "rate:tensor-basics:5"

    await api.press(stars, "rate:tensor-basics:5")
    await api.wait_for("sendMessage", text="You rated")

    assert "★ 5.0/5 (10.0/10) from 1 rating" in await say(api, "/course", "Learn PyTorch", count=2)


async def test_a_review_too_long_shows_n_of_300_and_a_good_one_is_escaped(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    await say(api, "/lesson tensor-basics", "step 1/6")
    too_long = await say(api, "/review tensor-basics " + "x" * 342, "characters")
    assert "342/300" in too_long and "shorten it by 42" in too_long

    saved = await say(api, "/review tensor-basics <b>Nice</b> @admin t.me/spam", "Saved your review")

    assert "&lt;b&gt;Nice&lt;/b&gt;" in saved  # escaped, not bold
    assert "@admin" not in saved and "t.me/spam" not in saved
    assert "@\u200badmin" in saved


async def test_practice_bad_rating_timezone_and_remind(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await say(api, "/lesson tensor-basics", "step 1/6")
    assert "1 to 5 stars, not 6" in await say(api, "/rate tensor-basics 6", "stars")
    assert "no time zone <code>Moon/Base</code>" in await say(api, "/timezone Moon/Base", "time zone")
    assert "<code>25:00</code> isn't a time of day" in await say(api, "/remind on 25:00", "time of day")
    assert "every day at 07:30" in await say(api, "/remind on 07:30", "every day")
    assert "Your practice deck is empty" in await say(api, "/practice", "practice deck")
    assert "no points this week" in await say(api, "/leaderboard", "points")


async def test_a_reminder_is_sent_to_the_private_chat_and_a_block_is_reported(
    api: FakeBotApi, bot: TelegramFrontend, tutor: Tutor
) -> None:
    reminder = Reminder(1, "telegram", "7", "en", (Text("**Time to practise**"),))

    assert await bot.send_reminder(reminder) == "sent"
    sent = await api.wait_for("sendMessage", text="Time to practise")
    assert sent[-1].params["chat_id"] in (7, "7")

    api.refuse_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    assert await bot.send_reminder(reminder) == "blocked"


async def test_the_tutor_sends_due_reminders_through_the_front_end(
    api: FakeBotApi, bot: TelegramFrontend, tutor: Tutor, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
    await say(api, "/remind on 19:00", "every day")
    clock.advance(3600)

    assert await tutor.send_reminders({"telegram": bot}) == 1
    await api.wait_for("sendMessage", text="Time to practise")
