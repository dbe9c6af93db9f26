"""Learners' notebooks: the cells kept from their free runs, in order, and when they last used them.

The order of cells is the order of their ids: a new cell always gets a higher id than every cell kept
(SQLite's rowids and PostgreSQL's sequences both only grow past the largest id present).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, func, select

from bot.core.ports import NotebookCell
from bot.store.models import NotebookCellRow, NotebookRow
from bot.store.repositories.base import Repository


class SqlNotebooks(Repository):
    """The ``Notebooks`` area over SQL."""

    async def cells(self, learner_id: int) -> list[NotebookCell]:
        """Return the learner's kept cells, oldest first."""
        rows = await self._session.scalars(
            select(NotebookCellRow)
            .where(NotebookCellRow.learner_id == learner_id)
            .order_by(NotebookCellRow.id)
            .execution_options(populate_existing=True)
        )
        return [NotebookCell(row.code, row.seed, row.cpu_ms, row.created_at) for row in rows]

    async def add(self, learner_id: int, cell: NotebookCell) -> None:
        """Keep one more cell, after the others."""
        self._session.add(
            NotebookCellRow(
                learner_id=learner_id,
                code=cell.code,
                seed=cell.seed,
                cpu_ms=cell.cpu_ms,
                created_at=cell.created_at,
            )
        )
        await self._session.flush()

    async def drop(self, learner_id: int, positions: Collection[int]) -> int:
        """Remove the cells at these 0-based positions of ``cells()``; return how many were removed."""
        ids = list(
            await self._session.scalars(
                select(NotebookCellRow.id)
                .where(NotebookCellRow.learner_id == learner_id)
                .order_by(NotebookCellRow.id)
            )
        )
        chosen = [ids[position] for position in set(positions) if 0 <= position < len(ids)]
        if chosen:
            await self._session.execute(delete(NotebookCellRow).where(NotebookCellRow.id.in_(chosen)))
        return len(chosen)

    async def clear(self, learner_id: int) -> int:
        """Remove every cell of the learner's notebook; return how many there were."""
        count = await self._session.scalar(
            select(func.count()).select_from(NotebookCellRow).where(NotebookCellRow.learner_id == learner_id)
        )
        await self._session.execute(delete(NotebookCellRow).where(NotebookCellRow.learner_id == learner_id))
        return int(count or 0)

    async def used_at(self, learner_id: int) -> datetime | None:
        """Return when the learner last ran code in their notebook; None if never."""
        found: datetime | None = await self._session.scalar(
            select(NotebookRow.used_at).where(NotebookRow.learner_id == learner_id)
        )
        return found

    async def touch(self, learner_id: int, at: datetime) -> None:
        """Record that the learner ran code in their notebook at ``at``."""
        await self._session.execute(
            self._insert(NotebookRow)
            .values(learner_id=learner_id, used_at=at)
            .on_conflict_do_update(index_elements=["learner_id"], set_={"used_at": at})
        )
