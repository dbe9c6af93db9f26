"""One learner across platforms: link codes, merging two learners, detaching an account."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import (
    LinkCode,
    PlatformUser,
    RunRecord,
)
from bot.core.ports.dashboard import Scope
from bot.store import SqlStore
from bot.store.models import AccountRow, LearnerRow
from bot.store.repositories.links import COPIED_ON_UNLINK, NOT_COPIED_ON_UNLINK, learner_tables
from tests.store.contract.records import (
    T0,
    attempt,
    count_rows,
    new_learner,
    progress,
    submission,
)

DISCORD = PlatformUser("discord", "d1", "Ada")
TELEGRAM = PlatformUser("telegram", "t1", "Ada on Telegram")


async def test_link_code_round_trips(store: SqlStore) -> None:
    learner = await new_learner(store, DISCORD)
    code = LinkCode("ABCDEFGH", learner.id, "discord", T0, T0 + timedelta(minutes=10))

    async with store.session() as session:
        await session.links.add_code(code)
    async with store.session() as session:
        assert await session.links.code("ABCDEFGH") == code
        assert await session.links.code("NOPE") is None


async def test_link_code_is_claimed_only_once(store: SqlStore) -> None:
    learner = await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.links.add_code(
            LinkCode("ABCDEFGH", learner.id, "discord", T0, T0 + timedelta(minutes=9))
        )

    async with store.session() as session:
        first = await session.links.claim_code("ABCDEFGH", T0)
    async with store.session() as session:
        second = await session.links.claim_code("ABCDEFGH", T0)

    assert (first, second) == (True, False)


async def test_merge_keeps_the_more_advanced_progress_of_each_lesson(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.progress.save(source.id, progress("tensors", 4, started_at=T0 - timedelta(days=1)))
        await session.progress.save(target.id, progress("tensors", 2))
        await session.progress.save(source.id, progress("autograd", 1))
        await session.progress.save(target.id, progress("autograd", 0, completed_at=T0))
        await session.progress.save(source.id, progress("only-source", 3))

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        merged = {p.lesson_id: p for p in await session.progress.all(target.id)}

    assert merged["tensors"].step_index == 4
    assert merged["tensors"].started_at == T0 - timedelta(days=1)
    assert merged["autograd"].completed_at == T0
    assert merged["only-source"].step_index == 3


async def test_merge_keeps_every_answer_submission_and_run(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.progress.add_attempt(source.id, attempt(answer="2"))
        await session.progress.add_attempt(target.id, attempt(answer="1", at=T0 + timedelta(seconds=1)))
        await session.progress.add_submission(source.id, submission())
        await session.runs.add(source.id, RunRecord("ok", 1.0, T0))

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        answers = [a.answer for a in await session.progress.attempts(target.id, "tensors")]
        submissions = await session.progress.submissions(target.id, "tensors", "ex1")
        runs = await session.runs.count_since(target.id, T0)

    assert (answers, len(submissions), runs) == (["2", "1"], 1, 1)


async def test_merge_moves_the_accounts_and_removes_the_merged_learner(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        found = await session.learners.get_or_create(TELEGRAM)
        accounts = await session.learners.accounts(target.id)

    assert found.id == target.id
    assert {a.platform for a in accounts} == {"discord", "telegram"}
    assert await count_rows(store, LearnerRow) == 1
    assert await count_rows(store, AccountRow) == 2


async def test_merge_keeps_the_higher_hint_count_and_one_server_membership(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        for _ in range(2):
            await session.progress.next_hint(source.id, "tensors", "ex1", 3)
        await session.progress.next_hint(target.id, "tensors", "ex1", 3)
        await session.servers.note_member("discord", "g1", source.id, T0)
        await session.servers.note_member("discord", "g1", target.id, T0)

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        shown = await session.progress.next_hint(target.id, "tensors", "ex1", 3)
        stats = await session.servers.stats("discord", "g1")

    assert shown == 2
    assert stats.learners == 1


async def test_merge_keeps_the_survivors_language_else_the_other_one(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.learners.set_locale(source.id, "zh")
        await session.learners.set_current_lesson(source.id, "tensors")

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        merged = await session.learners.get_or_create(DISCORD)

    assert (merged.locale, merged.current_lesson) == ("zh", "tensors")


async def test_detach_moves_only_this_account_and_copies_the_records(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.progress.save(target.id, progress("tensors", 2))
        await session.progress.add_attempt(target.id, attempt())
        await session.links.merge(source.id, into_id=target.id)

    async with store.session() as session:
        detached = await session.links.detach(target.id, TELEGRAM)
    async with store.session() as session:
        telegram = await session.learners.get_or_create(TELEGRAM)
        kept = await session.progress.all(target.id)
        copied = await session.progress.all(detached.id)
        copied_answers = await session.progress.attempts(detached.id, "tensors")

    assert telegram.id == detached.id != target.id
    assert [p.step_index for p in kept] == [p.step_index for p in copied] == [2]
    assert len(copied_answers) == 1


async def test_merge_joins_the_two_learners_active_days_into_one_streak(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    today = T0.date()
    async with store.session() as session:
        for back in (1, 2):
            await session.activity.note_day(source.id, today - timedelta(days=back))
        await session.activity.note_day(target.id, today)
        await session.activity.note_day(target.id, today - timedelta(days=5))
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        found = await session.insights.streaks(Scope(), today)

    assert (found.on_streak, [(st.learner_id, st.days) for st in found.longest]) == (1, [(target.id, 3)])


async def test_detach_gives_the_new_learner_the_same_streak(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    today = T0.date()
    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
        for back in (0, 1):
            await session.activity.note_day(target.id, today - timedelta(days=back))
    async with store.session() as session:
        detached = await session.links.detach(target.id, TELEGRAM)
    async with store.session() as session:
        found = await session.insights.streaks(Scope(), today)

    assert sorted((st.learner_id, st.days) for st in found.longest) == [(target.id, 2), (detached.id, 2)]


def test_every_learner_table_is_either_copied_or_not_on_unlink() -> None:
    names = {table.name for table in learner_tables()}

    assert names == COPIED_ON_UNLINK | NOT_COPIED_ON_UNLINK
