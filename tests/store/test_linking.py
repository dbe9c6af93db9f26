"""Linking accounts on each backend: link codes, merging two learners, detaching an account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.core.context import TutorSettings
from bot.core.ports import LinkCode, PlatformUser
from bot.core.tutor import Incoming, Tutor
from bot.store import SqlStore
from bot.store.linking import COPIED_ON_UNLINK, NOT_COPIED_ON_UNLINK, learner_tables
from bot.store.models import AccountRow, LearnerRow
from tests.core.conftest import autograd_lesson, tensor_lesson, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox
from tests.store.test_repository import T0, attempt, count_rows, new_learner, progress, submission

DISCORD = PlatformUser("discord", "d1", "Ada")
TELEGRAM = PlatformUser("telegram", "t1", "Ada on Telegram")


async def test_link_code_round_trips(store: SqlStore) -> None:
    learner = await new_learner(store, DISCORD)
    code = LinkCode("ABCDEFGH", learner.id, "discord", T0, T0 + timedelta(minutes=10))

    async with store.session() as session:
        await session.add_link_code(code)
    async with store.session() as session:
        assert await session.link_code("ABCDEFGH") == code
        assert await session.link_code("NOPE") is None


async def test_link_code_is_claimed_only_once(store: SqlStore) -> None:
    learner = await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.add_link_code(
            LinkCode("ABCDEFGH", learner.id, "discord", T0, T0 + timedelta(minutes=9))
        )

    async with store.session() as session:
        first = await session.claim_link_code("ABCDEFGH", T0)
    async with store.session() as session:
        second = await session.claim_link_code("ABCDEFGH", T0)

    assert (first, second) == (True, False)


async def test_merge_keeps_the_more_advanced_progress_of_each_lesson(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.save_progress(source.id, progress("tensors", 4, started_at=T0 - timedelta(days=1)))
        await session.save_progress(target.id, progress("tensors", 2))
        await session.save_progress(source.id, progress("autograd", 1))
        await session.save_progress(target.id, progress("autograd", 0, completed_at=T0))
        await session.save_progress(source.id, progress("only-source", 3))

    async with store.session() as session:
        await session.merge_learners(source.id, into_id=target.id)
    async with store.session() as session:
        merged = {p.lesson_id: p for p in await session.all_progress(target.id)}

    assert merged["tensors"].step_index == 4
    assert merged["tensors"].started_at == T0 - timedelta(days=1)
    assert merged["autograd"].completed_at == T0
    assert merged["only-source"].step_index == 3


async def test_merge_keeps_every_answer_submission_and_run(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.add_quiz_attempt(source.id, attempt(answer="2"))
        await session.add_quiz_attempt(target.id, attempt(answer="1", at=T0 + timedelta(seconds=1)))
        await session.add_submission(source.id, submission())
        await session.add_run(source.id, "ok", 1.0, T0)

    async with store.session() as session:
        await session.merge_learners(source.id, into_id=target.id)
    async with store.session() as session:
        answers = [a.answer for a in await session.quiz_attempts(target.id, "tensors")]
        submissions = await session.submissions(target.id, "tensors", "ex1")
        runs = await session.runs_since(target.id, T0)

    assert (answers, len(submissions), runs) == (["2", "1"], 1, 1)


async def test_merge_moves_the_accounts_and_removes_the_merged_learner(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)

    async with store.session() as session:
        await session.merge_learners(source.id, into_id=target.id)
    async with store.session() as session:
        found = await session.learner(TELEGRAM)
        accounts = await session.accounts(target.id)

    assert found.id == target.id
    assert {a.platform for a in accounts} == {"discord", "telegram"}
    assert await count_rows(store, LearnerRow) == 1
    assert await count_rows(store, AccountRow) == 2


async def test_merge_keeps_the_higher_hint_count_and_one_server_membership(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        for _ in range(2):
            await session.next_hint(source.id, "tensors", "ex1", 3)
        await session.next_hint(target.id, "tensors", "ex1", 3)
        await session.note_server_member("discord", "g1", source.id, T0)
        await session.note_server_member("discord", "g1", target.id, T0)

    async with store.session() as session:
        await session.merge_learners(source.id, into_id=target.id)
    async with store.session() as session:
        shown = await session.next_hint(target.id, "tensors", "ex1", 3)
        stats = await session.server_stats("discord", "g1")

    assert shown == 2
    assert stats.learners == 1


async def test_merge_keeps_the_survivors_language_else_the_other_one(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.set_locale(source.id, "zh")
        await session.set_current_lesson(source.id, "tensors")

    async with store.session() as session:
        await session.merge_learners(source.id, into_id=target.id)
    async with store.session() as session:
        merged = await session.learner(DISCORD)

    assert (merged.locale, merged.current_lesson) == ("zh", "tensors")


async def test_detach_moves_only_this_account_and_copies_the_records(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.save_progress(target.id, progress("tensors", 2))
        await session.add_quiz_attempt(target.id, attempt())
        await session.merge_learners(source.id, into_id=target.id)

    async with store.session() as session:
        detached = await session.detach_account(target.id, TELEGRAM)
    async with store.session() as session:
        telegram = await session.learner(TELEGRAM)
        kept = await session.all_progress(target.id)
        copied = await session.all_progress(detached.id)
        copied_answers = await session.quiz_attempts(detached.id, "tensors")

    assert telegram.id == detached.id != target.id
    assert [p.step_index for p in kept] == [p.step_index for p in copied] == [2]
    assert len(copied_answers) == 1


def test_every_learner_table_is_either_copied_or_not_on_unlink() -> None:
    names = {table.name for table in learner_tables()}

    assert names == COPIED_ON_UNLINK | NOT_COPIED_ON_UNLINK


# -- the commands on a real database ------------------------------------------------------------------------


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tutor(store: SqlStore, clock: FakeClock) -> Tutor:
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    settings = TutorSettings(commands_per_minute=1000, runs_per_minute=1000)
    return Tutor(store, catalog, FakeSandbox(), settings=settings, clock=clock)


async def say(tutor: Tutor, user: PlatformUser, text: str) -> str:
    return text_of(await tutor.handle(Incoming(user, text)))


async def new_code(tutor: Tutor, user: PlatformUser) -> str:
    match = re.search(r"\*\*([A-Z0-9-]{9})\*\*", await say(tutor, user, "/link"))
    assert match
    return match[1]


async def test_linked_accounts_see_one_progress_record(tutor: Tutor) -> None:
    await say(tutor, DISCORD, "/lesson tensor-basics")
    await say(tutor, DISCORD, "/next")
    await say(tutor, TELEGRAM, "/lesson autograd-basics")

    await say(tutor, TELEGRAM, f"/link {await new_code(tutor, DISCORD)}")

    both = await say(tutor, TELEGRAM, "/progress")
    assert "Tensors" in both and "Autograd" in both
    assert both == await say(tutor, DISCORD, "/progress")


async def test_expired_code_is_refused(tutor: Tutor, clock: FakeClock) -> None:
    code = await new_code(tutor, DISCORD)
    clock.advance(10 * 60 + 1)

    assert "expired" in await say(tutor, TELEGRAM, f"/link {code}")


async def test_reused_code_is_refused(tutor: Tutor) -> None:
    code = await new_code(tutor, DISCORD)
    await say(tutor, TELEGRAM, f"/link {code}")

    assert "used already" in await say(tutor, PlatformUser("console", "ada", "Ada"), f"/link {code}")


async def test_code_from_the_same_platform_is_refused(tutor: Tutor, store: SqlStore) -> None:
    code = await new_code(tutor, DISCORD)

    assert "made on Discord" in await say(tutor, PlatformUser("discord", "d2", "Eve"), f"/link {code}")
    assert await count_rows(store, LearnerRow) == 2


async def test_unlink_leaves_both_learners_their_progress(tutor: Tutor, store: SqlStore) -> None:
    await say(tutor, TELEGRAM, f"/link {await new_code(tutor, DISCORD)}")
    await say(tutor, TELEGRAM, "/lesson tensor-basics")

    assert "Unlinked" in await say(tutor, TELEGRAM, "/unlink")

    assert await count_rows(store, LearnerRow) == 2
    assert "Tensors" in await say(tutor, TELEGRAM, "/progress")
    assert "Tensors" in await say(tutor, DISCORD, "/progress")
