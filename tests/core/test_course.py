"""The course card, ratings, reviews and their moderation, through the tutor on the real store."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.core.ports import PlatformUser
from bot.core.replies import Buttons, Notice, Quote, Text
from bot.store import SqlStore
from bot.store.models import LessonRatingRow, LessonReviewRow
from tests.core.conftest import Say, of_type, text_of
from tests.fakes import FakeClock

BO = PlatformUser("discord", "7", "Bo")


async def finish_tensors(say: Say, user: PlatformUser | None = None) -> list:
    kwargs = {"user": user} if user else {}
    await say("/lesson tensor-basics", **kwargs)
    for _ in range(5):
        await say("/next", **kwargs)
    return await say("/next", **kwargs)


async def count(store: SqlStore, model: type) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


async def test_finishing_a_lesson_offers_five_star_buttons(say: Say) -> None:
    replies = await finish_tensors(say)

    stars = next(b for b in of_type(replies, Buttons) if b.buttons[0].action.startswith("rate:"))
    assert [b.action for b in stars.buttons] == [f"rate:tensor-basics:{n}" for n in range(1, 6)]
    assert [b.command for b in stars.buttons][-1] == "/rate tensor-basics 5"
    assert "/review tensor-basics" in text_of(replies)


async def test_the_course_card_counts_lessons_minutes_learners_and_has_no_featured_reviews(say: Say) -> None:
    card = text_of(await say("/course"))

    assert "Learn PyTorch in chat" in card
    assert "2 lessons" in card
    assert "0 learners started · 0 completed every lesson" in card
    assert "No ratings yet" in card
    assert "No featured reviews yet." in card


async def test_a_rating_shows_on_the_card_on_both_scales(say: Say, tutor) -> None:
    await finish_tensors(say)
    await finish_tensors(say, BO)
    await say("/rate tensor-basics 5")
    replies = await say("/rate tensor-basics 4", user=BO)

    assert "★★★★☆" in text_of(replies)
    card = text_of(await say("/course"))
    assert "2 learners started" in card
    assert "★ 4.5/5 (9.0/10) from 2 ratings" in card


async def test_a_rating_button_rates(say: Say, tutor) -> None:
    await finish_tensors(say)
    from tests.core.conftest import USER

    await tutor.action(USER, "rate:tensor-basics:3")

    assert "★ 3.0/5 (6.0/10) from 1 rating" in text_of(await say("/course"))


@pytest.mark.parametrize("stars", ["0", "6", "-1"])
async def test_a_rating_outside_one_to_five_is_refused_and_changes_nothing(
    say: Say, store: SqlStore, stars: str
) -> None:
    await finish_tensors(say)
    await say("/rate tensor-basics 4")

    replies = await say(f"/rate tensor-basics {stars}")

    assert of_type(replies, Notice)[0].kind == "warning"
    assert f"A rating is 1 to 5 stars, not {stars}" in text_of(replies)
    assert "★ 4.0/5" in text_of(await say("/course"))


async def test_a_forged_rating_button_of_six_is_refused(say: Say, tutor, store: SqlStore) -> None:
    from tests.core.conftest import USER

    await finish_tensors(say)
    answer = await tutor.action(USER, "rate:tensor-basics:6")

    assert "1 to 5 stars" in text_of(answer)
    assert await count(store, LessonRatingRow) == 0


async def test_rating_or_reviewing_a_lesson_never_started_is_refused(say: Say, store: SqlStore) -> None:
    for line in ("/rate autograd-basics 5", "/review autograd-basics Great"):
        replies = await say(line)
        assert "You haven't started **Autograd** yet" in text_of(replies)
    assert await count(store, LessonRatingRow) == await count(store, LessonReviewRow) == 0


async def test_a_review_is_saved_shown_back_and_edited(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    saved = await say("/review tensor-basics Short and clear.")
    edited = await say("/review tensor-basics Short, clear, and fun.")

    assert of_type(saved, Quote)[0].text == "Short and clear."
    assert of_type(edited, Quote)[0].text == "Short, clear, and fun."
    assert await count(store, LessonReviewRow) == 1
    assert "Short, clear, and fun." in text_of(await say("/review tensor-basics"))


async def test_a_review_of_300_characters_is_fine_but_301_are_refused(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    assert of_type(await say("/review tensor-basics " + "字" * 300), Notice)[0].kind == "success"

    replies = await say("/review tensor-basics " + "x" * 301)

    assert "301/300 characters: shorten it by 1" in text_of(replies)
    assert "字" * 300 in text_of(await say("/review tensor-basics"))


async def test_a_review_is_shown_defanged_never_as_a_mention_or_link(say: Say) -> None:
    await say("/lesson tensor-basics")
    replies = await say("/review tensor-basics @everyone see https://evil.example/x **now**")

    quote = of_type(replies, Quote)[0]
    assert "@everyone" not in quote.text
    assert "https://" not in quote.text
    assert "evil.example" not in quote.text
    assert quote.text.replace("\u200b", "") == "@everyone see https://evil.example/x **now**"
    assert not any(isinstance(r, Text) and "@everyone" in r.markdown for r in replies)


async def test_admins_list_feature_and_hide_reviews_and_the_card_follows(say: Say, clock: FakeClock) -> None:
    await say("/lesson tensor-basics")
    await say("/review tensor-basics First!")
    await say("/lesson tensor-basics", user=BO)
    await say("/review tensor-basics Second.", user=BO)

    assert "Only admins" in text_of(await say("/admin reviews"))
    listing = text_of(await say("/admin reviews", is_admin=True))
    assert "`#1`" in listing and "`#2`" in listing
    assert "Review #1 is featured" in text_of(await say("/admin reviews feature 1", is_admin=True))
    card = await say("/course")
    assert [q.text for q in of_type(card, Quote)] == ["First!"]

    await say("/admin reviews hide 1", is_admin=True)
    assert "No featured reviews yet." in text_of(await say("/course"))
    assert "hidden" in text_of(await say("/admin reviews", is_admin=True))
    assert "There's no review #9" in text_of(await say("/admin reviews feature 9", is_admin=True))
    assert "Which review" in text_of(await say("/admin reviews hide", is_admin=True))


async def test_the_card_is_kept_a_minute_when_another_process_changes_the_counts(
    say: Say, tutor, store: SqlStore, clock: FakeClock, catalog
) -> None:
    from bot.core.tutor import Tutor
    from tests.fakes import FakeSandbox

    other = Tutor(store, catalog, FakeSandbox(), settings=tutor.settings, clock=clock)
    assert "0 learners started" in text_of(await say("/course"))
    from bot.core.exchange import Incoming

    await other.handle(Incoming(BO, "/lesson tensor-basics"))

    assert "0 learners started" in text_of(await say("/course"))
    clock.advance(61)
    assert "1 learner started" in text_of(await say("/course"))


async def test_lessons_and_about_start_with_the_card(say: Say) -> None:
    await finish_tensors(say)
    await say("/rate tensor-basics 5")

    lessons = text_of(await say("/lessons"))
    assert lessons.startswith("**Learn PyTorch in chat**")
    assert "1 learner · ★5.0 (1)" in lessons
    assert text_of(await say("/about")).startswith("**Learn PyTorch in chat**")


async def test_forget_removes_ratings_and_reviews(say: Say, store: SqlStore) -> None:
    await finish_tensors(say)
    await say("/rate tensor-basics 5")
    await say("/review tensor-basics Good")

    await say("/forget confirm")

    assert await count(store, LessonRatingRow) == await count(store, LessonReviewRow) == 0


async def test_forget_removes_ratings_reviews_deck_reminder_days_and_board_entries(
    say: Say, store: SqlStore
) -> None:
    from bot.store.models import (
        ActivityDayRow,
        ActivityPointRow,
        LeaderboardHiddenRow,
        PracticeCardRow,
        ReminderRow,
    )

    await say("/lesson tensor-basics", user=BO)
    await say("/next", user=BO)
    await say("/next", user=BO)
    await say("/answer 1", user=BO)
    await say("/rate tensor-basics 5", user=BO)
    await say("/review tensor-basics Good", user=BO)
    await say("/remind on 19:00", user=BO)
    await say("/leaderboard hide", user=BO)
    tables = (
        LessonRatingRow,
        LessonReviewRow,
        PracticeCardRow,
        ReminderRow,
        ActivityDayRow,
        ActivityPointRow,
        LeaderboardHiddenRow,
    )
    assert all([await count(store, table) for table in tables])

    await say("/forget confirm", user=BO)

    assert [await count(store, table) for table in tables] == [0] * len(tables)
