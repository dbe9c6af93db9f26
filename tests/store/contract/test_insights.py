"""The dashboard's read model: learning in a scope, and nothing past its edge."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.calendar import streaks
from bot.core.ports import PlatformUser, QuizAttempt, RunRecord
from bot.core.ports.dashboard import FurthestStep, LessonState, RunHour, Scope
from bot.store import SqlStore
from tests.store.contract.records import ALICE, BOB, T0, progress

CAROL = PlatformUser("discord", "3003", "carol the 100%_sure")
G1 = Scope("discord", "g1")
G2 = Scope("discord", "g2")
EVERYONE = Scope()


async def seed(store: SqlStore) -> dict[str, int]:
    """Alice and Carol in server g1, Bob in g2; some progress, answers and runs."""
    async with store.session() as s:
        ids = {}
        for user in (ALICE, BOB, CAROL):
            ids[user.display_name.split()[0].lower()] = (await s.learners.get_or_create(user)).id
        await s.servers.note_member("discord", "g1", ids["alice"], T0)
        await s.servers.note_member("discord", "g1", ids["carol"], T0)
        await s.servers.note_member("discord", "g2", ids["bob"], T0)
    return ids


async def test_activity_counts_learners_active_today_and_this_week(store: SqlStore) -> None:
    ids = await seed(store)
    today = T0.date()
    week = today - timedelta(days=3)
    async with store.session() as s:
        await s.activity.note_day(ids["alice"], today)
        await s.activity.note_day(ids["alice"], today - timedelta(days=1))
        await s.activity.note_day(ids["carol"], today - timedelta(days=2))
        await s.activity.note_day(ids["bob"], today + timedelta(days=1))  # east of UTC: already tomorrow
        await s.activity.note_day(ids["carol"], today - timedelta(days=10))
    async with store.session() as s:
        everyone = await s.insights.activity(EVERYONE, today, week)
        g1 = await s.insights.activity(G1, today, week)

    assert (everyone.learners, everyone.active_today, everyone.active_week) == (3, 2, 3)
    assert (g1.learners, g1.active_today, g1.active_week) == (2, 1, 2)


async def test_activity_of_a_server_nobody_used_is_zero(store: SqlStore) -> None:
    await seed(store)
    async with store.session() as s:
        found = await s.insights.activity(Scope("telegram", "-1"), T0.date(), T0.date())

    assert (found.learners, found.active_today, found.active_week) == (0, 0, 0)


async def test_runs_are_counted_by_hour_and_status(store: SqlStore) -> None:
    ids = await seed(store)
    hour = datetime(2026, 1, 2, 3, tzinfo=UTC)
    async with store.session() as s:
        for minutes, status in ((0, "ok"), (59, "ok"), (30, "error"), (60, "ok"), (-61, "ok")):
            await s.runs.add(ids["alice"], RunRecord(status, 1.0, hour + timedelta(minutes=minutes)))
        await s.runs.add(ids["bob"], RunRecord("timeout", 1.0, hour))
    async with store.session() as s:
        g1 = await s.insights.runs_by_hour(G1, hour)
        everyone = await s.insights.runs_by_hour(EVERYONE, hour)

    assert g1 == [
        RunHour(hour, "error", 1),
        RunHour(hour, "ok", 2),
        RunHour(hour + timedelta(hours=1), "ok", 1),
    ]
    assert RunHour(hour, "timeout", 1) in everyone


async def test_lessons_count_starts_and_completions_in_scope(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.progress.save(ids["alice"], progress("tensors", completed_at=T0))
        await s.progress.save(ids["carol"], progress("tensors"))
        await s.progress.save(ids["bob"], progress("autograd"))
    async with store.session() as s:
        g1 = await s.insights.lessons(G1)
        everyone = await s.insights.lessons(EVERYONE)

    assert [(r.lesson_id, r.started, r.completed) for r in g1] == [("tensors", 2, 1)]
    assert [(r.lesson_id, r.started, r.completed) for r in everyone] == [
        ("autograd", 1, 0),
        ("tensors", 2, 1),
    ]


async def test_the_furthest_step_stays_when_a_learner_goes_back(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        for step in (0, 1, 2, 1):
            await s.progress.save(ids["alice"], progress(step_index=step))
        await s.progress.save(ids["carol"], progress(step_index=0))
        await s.progress.save(ids["bob"], progress(step_index=4, completed_at=T0))
    async with store.session() as s:
        g1 = await s.insights.furthest_steps(G1, "tensors")
        everyone = await s.insights.furthest_steps(EVERYONE, "tensors")
        alice = await s.insights.learner(G1, ids["alice"])

    assert g1 == [FurthestStep(0, 1, 0), FurthestStep(2, 1, 0)]
    assert everyone[-1] == FurthestStep(4, 1, 1)
    assert alice is not None
    assert alice.lessons == (LessonState("tensors", 1, 2, False, T0),)


async def test_merging_learners_keeps_the_further_of_their_furthest_steps(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.progress.save(ids["alice"], progress(step_index=5))
        await s.progress.save(ids["alice"], progress(step_index=1, updated_at=T0 + timedelta(hours=1)))
        await s.progress.save(ids["bob"], progress(step_index=3))
        await s.links.merge(ids["alice"], ids["bob"])
    async with store.session() as s:
        bob = await s.insights.learner(EVERYONE, ids["bob"])

    assert bob is not None
    assert [(state.step_index, state.furthest_index) for state in bob.lessons] == [(3, 5)]


async def test_questions_give_miss_rate_and_the_wrong_answer_chosen_most(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        for learner, answer in (("alice", "2"), ("alice", "1"), ("carol", "3"), ("carol", "2")):
            attempt = QuizAttempt("tensors", "q1", answer, answer == "1", T0)
            await s.progress.add_attempt(ids[learner], attempt)
        await s.progress.add_attempt(ids["carol"], QuizAttempt("tensors", "q2", "1", True, T0))
        await s.progress.add_attempt(ids["bob"], QuizAttempt("tensors", "q1", "3", False, T0))
        await s.progress.add_attempt(ids["bob"], QuizAttempt("tensors", "q1", "3", False, T0))
        await s.progress.add_attempt(ids["bob"], QuizAttempt("autograd", "q9", "4", False, T0))
    async with store.session() as s:
        g1 = await s.insights.questions(G1, "tensors")
        everyone = await s.insights.questions(EVERYONE, "tensors")
        every_lesson = await s.insights.questions(EVERYONE)

    q1, q2 = g1
    assert (q1.question_id, q1.answers, q1.wrong, q1.learners, q1.top_wrong, q1.top_wrong_count) == (
        "q1",
        4,
        3,
        2,
        "2",
        2,
    )
    assert (q2.question_id, q2.answers, q2.wrong, q2.top_wrong) == ("q2", 1, 0, None)
    assert (everyone[0].wrong, everyone[0].top_wrong, everyone[0].top_wrong_count) == (5, "3", 3)
    assert [(q.lesson_id, q.question_id) for q in every_lesson] == [
        ("autograd", "q9"),
        ("tensors", "q1"),
        ("tensors", "q2"),
    ]


async def test_learners_are_searched_by_name_within_the_scope(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.progress.save(ids["carol"], progress("tensors", step_index=2))
    async with store.session() as s:
        g1 = await s.insights.learners(G1, "", 0, 10)
        searched = await s.insights.learners(G1, "CAROL", 0, 10)
        outside = await s.insights.learners(G1, "bob", 0, 10)
        wildcard = await s.insights.learners(EVERYONE, "100%_", 0, 10)
        like_only = await s.insights.learners(EVERYONE, "%", 0, 10)

    assert [(p.display_name) for p in g1.learners] == ["Alice", "carol the 100%_sure"]
    assert g1.total == 2
    assert [p.learner_id for p in searched.learners] == [ids["carol"]]
    assert searched.learners[0].lessons[0].step_index == 2
    assert (outside.total, outside.learners) == (0, ())
    assert [p.learner_id for p in wildcard.learners] == [ids["carol"]]
    assert [p.learner_id for p in like_only.learners] == [ids["carol"]]


async def test_learners_come_a_page_at_a_time(store: SqlStore) -> None:
    await seed(store)
    async with store.session() as s:
        first = await s.insights.learners(EVERYONE, "", 0, 2)
        second = await s.insights.learners(EVERYONE, "", 2, 2)

    assert first.total == second.total == 3
    names = [p.display_name for p in first.learners + second.learners]
    assert names == ["Alice", "Bob", "carol the 100%_sure"]


async def test_a_learner_outside_the_scope_is_not_found(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        assert await s.insights.learner(G1, ids["bob"]) is None
        assert await s.insights.learner(G2, ids["bob"]) is not None
        assert await s.insights.learner(EVERYONE, 999_999) is None


async def test_every_learner_lists_the_scope_with_progress(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.progress.save(ids["alice"], progress("tensors"))
        await s.progress.save(ids["alice"], progress("autograd", started_at=T0 + timedelta(hours=1)))
        await s.progress.save(ids["bob"], progress("tensors"))
    async with store.session() as s:
        found = await s.insights.every_learner(G1)

    assert [(p.display_name, [state.lesson_id for state in p.lessons]) for p in found] == [
        ("Alice", ["tensors", "autograd"]),
        ("carol the 100%_sure", []),
    ]


async def test_a_forgotten_learner_leaves_every_view(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.progress.save(ids["alice"], progress("tensors", completed_at=T0))
        await s.progress.add_attempt(ids["alice"], QuizAttempt("tensors", "q1", "2", False, T0))
        await s.runs.add(ids["alice"], RunRecord("ok", 1.0, T0))
        await s.learners.forget(ids["alice"])
    async with store.session() as s:
        assert (await s.insights.activity(G1, T0.date(), T0.date())).learners == 1
        assert await s.insights.runs_by_hour(G1, T0 - timedelta(hours=1)) == []
        assert await s.insights.lessons(G1) == []
        assert await s.insights.questions(G1, "tensors") == []
        assert [p.display_name for p in (await s.insights.learners(G1, "", 0, 10)).learners] == [
            "carol the 100%_sure"
        ]
        assert await s.insights.learner(EVERYONE, ids["alice"]) is None


async def test_reviews_of_the_scope_come_newest_first_hidden_ones_too(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.reviews.rate(ids["alice"], "tensors", 4, T0)
        first = await s.reviews.write(ids["alice"], "tensors", "Clear <b>and</b> short", T0)
        hidden = await s.reviews.write(ids["carol"], "tensors", "meh", T0 + timedelta(minutes=1))
        await s.reviews.set_hidden(hidden.id, True)
        await s.reviews.write(ids["bob"], "tensors", "elsewhere", T0 + timedelta(minutes=2))
    async with store.session() as s:
        g1 = await s.insights.reviews(G1, 0, 10)
        second_page = await s.insights.reviews(G1, 1, 10)
        everyone = await s.insights.reviews(EVERYONE, 0, 10)

    assert g1.total == 2
    assert [(r.id, r.author, r.hidden, r.stars) for r in g1.reviews] == [
        (hidden.id, "carol the 100%_sure", True, None),
        (first.id, "Alice", False, 4),
    ]
    assert g1.reviews[1].text == "Clear <b>and</b> short"
    assert [r.id for r in second_page.reviews] == [first.id]
    assert everyone.total == 3


async def test_ratings_are_counted_per_lesson_within_the_scope(store: SqlStore) -> None:
    ids = await seed(store)
    async with store.session() as s:
        await s.reviews.rate(ids["alice"], "tensors", 5, T0)
        await s.reviews.rate(ids["carol"], "tensors", 2, T0)
        await s.reviews.rate(ids["bob"], "tensors", 1, T0)
        await s.reviews.rate(ids["bob"], "autograd", 3, T0)
    async with store.session() as s:
        g1 = await s.insights.ratings(G1)
        everyone = await s.insights.ratings(EVERYONE)

    assert [(r.lesson_id, r.ratings, r.stars) for r in g1] == [("tensors", 2, 7)]
    assert [(r.lesson_id, r.ratings, r.stars) for r in everyone] == [("autograd", 1, 3), ("tensors", 3, 8)]


async def test_streaks_count_consecutive_days_up_to_today_or_yesterday(store: SqlStore) -> None:
    ids = await seed(store)
    today = T0.date()
    days = {
        "alice": [today - timedelta(days=n) for n in (0, 1, 2, 4, 5, 6, 7)],  # 3: the gap ends it
        "carol": [today - timedelta(days=n) for n in (1, 2)],  # 2: today is not over yet
        "bob": [today - timedelta(days=n) for n in (2, 3, 4)],  # broken: nothing since the day before
    }
    async with store.session() as s:
        for name, dates in days.items():
            for day in dates:
                await s.activity.note_day(ids[name], day)
    async with store.session() as s:
        everyone = await s.insights.streaks(EVERYONE, today)
        g2 = await s.insights.streaks(G2, today)
        capped = await s.insights.streaks(G1, today, horizon=2)
        first = await s.insights.streaks(EVERYONE, today, top=1)

    assert everyone.on_streak == 2
    assert [(st.display_name, st.days) for st in everyone.longest] == [
        ("Alice", 3),
        ("carol the 100%_sure", 2),
    ]
    assert (g2.on_streak, g2.longest) == (0, ())
    assert [(st.display_name, st.days) for st in capped.longest] == [("Alice", 2), ("carol the 100%_sure", 1)]
    assert [st.display_name for st in first.longest] == ["Alice"] and first.on_streak == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_streaks_equal_the_python_count_over_each_learners_days(store: SqlStore, seed: int) -> None:
    rng = random.Random(seed)
    today = T0.date()
    days: dict[int, tuple[str, list[date]]] = {}
    async with store.session() as s:
        for n in range(25):
            name = f"Learner {n % 7}"  # shared names: ties fall back to the id
            learner = await s.learners.get_or_create(PlatformUser("discord", f"r{n}", name))
            drawn = [today + timedelta(days=rng.randint(-12, 1)) for _ in range(rng.randint(0, 14))]
            days[learner.id] = (name, drawn)
    noted = [(learner_id, day) for learner_id, (_, drawn) in days.items() for day in drawn]
    rng.shuffle(noted)  # days out of order and twice, across learners, as time zones and retries bring them
    for start in range(0, len(noted), 10):
        async with store.session() as s:
            for learner_id, day in noted[start : start + 10]:
                await s.activity.note_day(learner_id, day)

    for horizon in (2, 5, 90):
        async with store.session() as s:
            found = await s.insights.streaks(EVERYONE, today, top=100, horizon=horizon)
        current = {
            learner_id: streaks([d for d in drawn if d > today - timedelta(days=horizon)], today)[0]
            for learner_id, (_, drawn) in days.items()
        }
        expected = sorted(
            ((-length, days[learner_id][0], learner_id) for learner_id, length in current.items() if length),
        )
        assert found.on_streak == sum(1 for _, drawn in days.values() if streaks(drawn, today)[0])
        assert [(st.learner_id, st.display_name, st.days) for st in found.longest] == [
            (learner_id, name, -length) for length, name, learner_id in expected
        ]
