"""Learners' notebooks: kept cells in order, dropping and clearing them, when they were last used."""

from __future__ import annotations

from datetime import timedelta

from bot.core.ports import NotebookCell, PlatformUser
from bot.store import SqlStore
from bot.store.models import NotebookCellRow, NotebookRow
from tests.store.contract.records import BOB, T0, count_rows, new_learner


def cell(code: str, seed: int = 7, cpu_ms: float = 1.5, minutes: int = 0) -> NotebookCell:
    return NotebookCell(code, seed, cpu_ms, T0 + timedelta(minutes=minutes))


async def test_cells_come_back_in_the_order_they_were_kept_with_every_field(store: SqlStore) -> None:
    alice = await new_learner(store)
    kept = [cell("x = torch.randn(3)", seed=2**63 - 1, cpu_ms=0.25), cell("y = x * 2", seed=0, minutes=1)]
    async with store.session() as session:
        for item in kept:
            await session.notebooks.add(alice.id, item)

    async with store.session() as session:
        assert await session.notebooks.cells(alice.id) == kept


async def test_a_learner_without_cells_has_an_empty_notebook(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        assert await session.notebooks.cells(alice.id) == []
        assert await session.notebooks.used_at(alice.id) is None


async def test_two_learners_notebooks_never_mix(store: SqlStore) -> None:
    alice, bob = await new_learner(store), await new_learner(store, BOB)
    async with store.session() as session:
        await session.notebooks.add(alice.id, cell("a = 1"))
        await session.notebooks.add(bob.id, cell("b = 2"))
        await session.notebooks.add(alice.id, cell("a2 = a + 1"))
        await session.notebooks.clear(bob.id)

    async with store.session() as session:
        assert [c.code for c in await session.notebooks.cells(alice.id)] == ["a = 1", "a2 = a + 1"]
        assert await session.notebooks.cells(bob.id) == []


async def test_drop_removes_the_cells_at_those_positions_and_counts_them(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        for code in ("a = 1", "b = 2", "c = 3", "d = 4"):
            await session.notebooks.add(alice.id, cell(code))

    async with store.session() as session:
        assert await session.notebooks.drop(alice.id, [0, 2, 9]) == 2
        assert [c.code for c in await session.notebooks.cells(alice.id)] == ["b = 2", "d = 4"]


async def test_a_cell_added_after_a_drop_comes_last(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.notebooks.add(alice.id, cell("a = 1"))
        await session.notebooks.add(alice.id, cell("b = 2"))
        await session.notebooks.drop(alice.id, [1])
        await session.notebooks.add(alice.id, cell("c = 3"))

    async with store.session() as session:
        assert [c.code for c in await session.notebooks.cells(alice.id)] == ["a = 1", "c = 3"]


async def test_clear_removes_every_cell_and_says_how_many(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.notebooks.add(alice.id, cell("a = 1"))
        await session.notebooks.add(alice.id, cell("b = 2"))

    async with store.session() as session:
        assert await session.notebooks.clear(alice.id) == 2
        assert await session.notebooks.clear(alice.id) == 0
        assert await session.notebooks.cells(alice.id) == []


async def test_touch_records_the_latest_use(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.notebooks.touch(alice.id, T0)
    async with store.session() as session:
        await session.notebooks.touch(alice.id, T0 + timedelta(minutes=5))

    async with store.session() as session:
        assert await session.notebooks.used_at(alice.id) == T0 + timedelta(minutes=5)
    assert await count_rows(store, NotebookRow) == 1


async def test_forget_deletes_the_notebook(store: SqlStore) -> None:
    alice = await new_learner(store)
    async with store.session() as session:
        await session.notebooks.add(alice.id, cell("a = 1"))
        await session.notebooks.touch(alice.id, T0)
        await session.learners.forget(alice.id)

    assert await count_rows(store, NotebookCellRow) == 0
    assert await count_rows(store, NotebookRow) == 0


DISCORD = PlatformUser("discord", "d1", "Ada")
TELEGRAM = PlatformUser("telegram", "t1", "Ada on Telegram")


async def test_merge_keeps_the_notebook_used_last_whole(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.notebooks.add(target.id, cell("old = 1"))
        await session.notebooks.touch(target.id, T0)
        await session.notebooks.add(source.id, cell("x = 1"))
        await session.notebooks.add(source.id, cell("y = x + 1"))
        await session.notebooks.touch(source.id, T0 + timedelta(minutes=3))

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        cells = [c.code for c in await session.notebooks.cells(target.id)]
        used = await session.notebooks.used_at(target.id)

    assert cells == ["x = 1", "y = x + 1"]
    assert used == T0 + timedelta(minutes=3)


async def test_merge_keeps_the_survivors_notebook_when_it_was_used_last(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.notebooks.add(source.id, cell("x = 1"))
        await session.notebooks.touch(source.id, T0)
        await session.notebooks.add(target.id, cell("mine = 1"))
        await session.notebooks.touch(target.id, T0 + timedelta(minutes=1))

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        cells = [c.code for c in await session.notebooks.cells(target.id)]

    assert cells == ["mine = 1"]
    assert await count_rows(store, NotebookRow) == 1


async def test_merge_moves_the_only_notebook(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.notebooks.add(source.id, cell("x = 1"))
        await session.notebooks.touch(source.id, T0)

    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
    async with store.session() as session:
        assert [c.code for c in await session.notebooks.cells(target.id)] == ["x = 1"]
        assert await session.notebooks.used_at(target.id) == T0


async def test_unlink_gives_both_learners_a_copy_of_the_notebook_in_order(store: SqlStore) -> None:
    source, target = await new_learner(store, TELEGRAM), await new_learner(store, DISCORD)
    async with store.session() as session:
        await session.links.merge(source.id, into_id=target.id)
        for code in ("a = 1", "b = a", "c = b"):
            await session.notebooks.add(target.id, cell(code))
        await session.notebooks.touch(target.id, T0)

    async with store.session() as session:
        detached = await session.links.detach(target.id, TELEGRAM)
    async with store.session() as session:
        kept = [c.code for c in await session.notebooks.cells(target.id)]
        copied = [c.code for c in await session.notebooks.cells(detached.id)]
        used = await session.notebooks.used_at(detached.id)

    assert kept == copied == ["a = 1", "b = a", "c = b"]
    assert used == T0
