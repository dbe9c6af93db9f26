"""Active days, points earned once, weekly boards per server and ranks among everyone not hidden."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.ports import BoardEntry, PlatformUser, PointAward
from bot.core.ports.dashboard import Scope
from bot.store import SqlStore
from tests.store.contract.records import ALICE, BOB, T0, new_learner

CAROL = PlatformUser("discord", "3003", "Carol")
WEEK = T0 - timedelta(days=1)


def award(item: str, points: int = 1, at=T0, kind: str = "step") -> PointAward:
    return PointAward(kind, "tensors", item, points, at)


async def test_a_day_is_noted_once(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        for day in (date(2026, 1, 3), date(2026, 1, 1), date(2026, 1, 3)):
            await session.activity.note_day(alice.id, day)
        assert await session.activity.days(alice.id) == [date(2026, 1, 1), date(2026, 1, 3)]


async def test_a_day_noted_late_joins_the_runs_on_either_side(store: SqlStore) -> None:
    alice = await new_learner(store)
    today = T0.date()
    async with store.session() as session:
        for back in (0, 1, 3, 4, 2):  # the learner moved west: the day between comes last
            await session.activity.note_day(alice.id, today - timedelta(days=back))
        found = await session.insights.streaks(Scope(), today)
    assert [(st.learner_id, st.days) for st in found.longest] == [(alice.id, 5)]


async def test_points_are_earned_once_per_thing_done(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.activity.award(alice.id, award("s1"))
        assert not await session.activity.award(alice.id, award("s1", at=T0 + timedelta(days=1)))
        assert await session.activity.award(alice.id, award("s1", kind="answer"))
        rank = await session.activity.rank(alice.id, WEEK)
    assert rank == BoardEntry(alice.id, "Alice", 2, 1)


async def test_a_servers_board_ranks_its_members_by_points_since_the_week_began(store: SqlStore) -> None:
    alice, bob, carol = [await new_learner(store, user) for user in (ALICE, BOB, CAROL)]
    async with store.session() as session:
        for learner in (alice, bob):
            await session.servers.note_member("discord", "g1", learner.id, T0)
        await session.servers.note_member("discord", "g2", carol.id, T0)
        await session.activity.award(alice.id, award("a", 2))
        await session.activity.award(bob.id, award("b", 3))
        await session.activity.award(bob.id, award("old", 50, at=WEEK - timedelta(seconds=1)))
        await session.activity.award(carol.id, award("c", 9))

    async with store.session() as session:
        board = await session.activity.board("discord", "g1", WEEK)
    assert board == [BoardEntry(bob.id, "Bob", 3, 1), BoardEntry(alice.id, "Alice", 2, 2)]


async def test_equal_points_share_a_rank_and_the_earlier_comes_first(store: SqlStore) -> None:
    alice, bob, carol = [await new_learner(store, user) for user in (ALICE, BOB, CAROL)]
    async with store.session() as session:
        for learner in (alice, bob, carol):
            await session.servers.note_member("discord", "g1", learner.id, T0)
        await session.activity.award(alice.id, award("a", 2, at=T0 + timedelta(minutes=5)))
        await session.activity.award(bob.id, award("b", 2, at=T0))
        await session.activity.award(carol.id, award("c", 1))

    async with store.session() as session:
        board = await session.activity.board("discord", "g1", WEEK)
    assert [(e.name, e.rank) for e in board] == [("Bob", 1), ("Alice", 1), ("Carol", 3)]


async def test_a_board_shows_at_most_its_limit(store: SqlStore) -> None:
    learners = [await new_learner(store, PlatformUser("discord", str(n), f"L{n}")) for n in range(12)]
    async with store.session() as session:
        for n, learner in enumerate(learners):
            await session.servers.note_member("discord", "g1", learner.id, T0)
            await session.activity.award(learner.id, award(f"s{n}", n + 1))

    async with store.session() as session:
        board = await session.activity.board("discord", "g1", WEEK)
    assert [e.points for e in board] == list(range(12, 2, -1))


async def test_hidden_learners_are_left_off_boards_and_ranks(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        for learner in (alice, bob):
            await session.servers.note_member("discord", "g1", learner.id, T0)
        await session.activity.award(alice.id, award("a", 5))
        await session.activity.award(bob.id, award("b", 1))
        await session.activity.set_hidden(alice.id, True, T0)
        await session.activity.set_hidden(alice.id, True, T0)

    async with store.session() as session:
        assert await session.activity.is_hidden(alice.id)
        assert [e.name for e in await session.activity.board("discord", "g1", WEEK)] == ["Bob"]
        assert await session.activity.rank(alice.id, WEEK) is None
        assert await session.activity.rank(bob.id, WEEK) == BoardEntry(bob.id, "Bob", 1, 1)
        await session.activity.set_hidden(alice.id, False, T0)
        assert not await session.activity.is_hidden(alice.id)
        assert await session.activity.rank(bob.id, WEEK) == BoardEntry(bob.id, "Bob", 1, 2)


async def test_rank_is_none_without_points_this_week(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.activity.award(alice.id, award("old", 4, at=WEEK - timedelta(days=1)))
        assert await session.activity.rank(alice.id, WEEK) is None


async def test_rank_counts_everyone_not_hidden_across_servers(store: SqlStore) -> None:
    alice, bob, carol = [await new_learner(store, user) for user in (ALICE, BOB, CAROL)]
    async with store.session() as session:
        await session.activity.award(alice.id, award("a", 1))
        await session.activity.award(bob.id, award("b", 4))
        await session.activity.award(carol.id, award("c", 3))
        assert await session.activity.rank(alice.id, WEEK) == BoardEntry(alice.id, "Alice", 1, 3)
