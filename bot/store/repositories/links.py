"""One learner across platforms: link codes, merging learners, detaching an account.

Merging walks every table that has a ``learner_id``, so a table added later
is merged too; where a unique key includes the learner (one progress row per lesson, one hint count per
exercise, one membership per server) the surviving learner's row is kept, after progress and hint counts
were first brought up to the better of the two. Two notebooks are not interleaved (their cells would not
replay together): the one used last is kept whole and the other one's cells are deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Table, UniqueConstraint, delete, exists, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ports import Learner, LinkCode, PlatformUser
from bot.store.models import (
    NAME_LENGTH,
    AccountRow,
    Base,
    HintSeenRow,
    LearnerRow,
    LinkCodeRow,
    NotebookCellRow,
    NotebookRow,
    ProgressRow,
)
from bot.store.repositories.activity import refresh_streak
from bot.store.repositories.base import Repository

COPIED_ON_UNLINK = frozenset(
    {
        "lesson_progress",
        "quiz_attempts",
        "submissions",
        "hints_seen",
        "notebooks",
        "notebook_cells",
        "practice_cards",
        "activity_days",
    }
)
"""The learning records both learners keep after ``/unlink``; runs (usage), memberships and codes are not.

Ratings, reviews and points stay with the learner alone, or they would count twice on the course card and
the boards; so do the reminder and the choice to hide from boards, which name one account.
"""
NOT_COPIED_ON_UNLINK = frozenset(
    {
        "accounts",
        "runs",
        "run_claims",
        "link_codes",
        "server_members",
        "lesson_ratings",
        "lesson_reviews",
        "activity_points",
        "leaderboard_hidden",
        "reminders",
    }
)


def learner_tables() -> list[Table]:
    """Return every table that refers to a learner, in dependency order."""
    return [
        table
        for table in Base.metadata.sorted_tables
        if "learner_id" in table.c and table.name != LearnerRow.__tablename__
    ]


class SqlLinks(Repository):
    """The ``Links`` area over SQL."""

    async def add_code(self, code: LinkCode) -> None:
        """Store a new one-time link code."""
        self._session.add(
            LinkCodeRow(
                code=code.code,
                learner_id=code.learner_id,
                platform=code.platform,
                created_at=code.created_at,
                expires_at=code.expires_at,
                used_at=code.used_at,
            )
        )
        await self._session.flush()

    async def code(self, code: str) -> LinkCode | None:
        """Return a link code, used or not, if it exists."""
        row = await self._session.scalar(
            select(LinkCodeRow).where(LinkCodeRow.code == code).execution_options(populate_existing=True)
        )
        if row is None:
            return None
        return LinkCode(row.code, row.learner_id, row.platform, row.created_at, row.expires_at, row.used_at)

    async def claim_code(self, code: str, at: datetime) -> bool:
        """Mark an unused code used; False if it was already used (by a concurrent command, say)."""
        result: Any = await self._session.execute(
            update(LinkCodeRow)
            .where(LinkCodeRow.code == code, LinkCodeRow.used_at.is_(None))
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)

    async def merge(self, source_id: int, into_id: int) -> None:
        """Move every account and record of ``source_id`` to ``into_id`` and delete ``source_id``."""
        session = self._session
        # Lock both in id order, so two merges of the same pair cannot deadlock.
        await session.execute(
            select(LearnerRow.id)
            .where(LearnerRow.id.in_((source_id, into_id)))
            .order_by(LearnerRow.id)
            .with_for_update()
        )
        await _best_progress(session, source_id, into_id)
        await _highest_hint_counts(session, source_id, into_id)
        await _one_notebook(session, source_id, into_id)
        for table in learner_tables():
            await _move_rows(session, table, source_id, into_id)
        await refresh_streak(session, into_id)  # the two learners' days may join into one run
        source = await session.get(LearnerRow, source_id, populate_existing=True)
        target = await session.get(LearnerRow, into_id, populate_existing=True)
        if source is None or target is None:
            raise LookupError(f"cannot merge learner {source_id} into {into_id}: one does not exist")
        await session.execute(
            update(LearnerRow)
            .where(LearnerRow.id == into_id)
            .values(
                locale=target.locale or source.locale,
                current_lesson=target.current_lesson or source.current_lesson,
            )
        )
        await session.execute(delete(LearnerRow).where(LearnerRow.id == source_id))
        session.expunge_all()  # rows loaded before now may describe the deleted learner

    async def detach(self, learner_id: int, user: PlatformUser) -> Learner:
        """Move this account off the learner to a new learner that starts with a copy of their records."""
        session = self._session
        old = await session.get(LearnerRow, learner_id, populate_existing=True)
        if old is None:
            raise LookupError(f"no learner {learner_id}")
        new_id = await session.scalar(
            insert(LearnerRow)
            .values(
                display_name=user.display_name[:NAME_LENGTH],
                locale=old.locale,
                current_lesson=old.current_lesson,
                created_at=datetime.now(UTC),
                streak_end=old.streak_end,  # the active days are copied below
                streak_days=old.streak_days,
            )
            .returning(LearnerRow.id)
        )
        if new_id is None:  # pragma: no cover - RETURNING always yields the new id
            raise RuntimeError("the new learner has no id")
        await session.execute(
            update(AccountRow)
            .where(AccountRow.platform == user.platform, AccountRow.platform_user_id == user.user_id)
            .values(learner_id=new_id)
        )
        for table in learner_tables():
            if table.name in COPIED_ON_UNLINK:
                await _copy_rows(session, table, learner_id, new_id)
        return Learner(new_id, user.display_name[:NAME_LENGTH], old.locale, old.current_lesson)


def _rank(row: ProgressRow) -> tuple[bool, int, datetime]:
    """Order progress: completed first, then the further step, then the more recent."""
    return (row.completed_at is not None, row.step_index, row.updated_at)


async def _best_progress(session: AsyncSession, source_id: int, into_id: int) -> None:
    """Give the surviving learner the more advanced progress of each lesson both started."""
    rows = await session.scalars(
        select(ProgressRow)
        .where(ProgressRow.learner_id.in_((source_id, into_id)))
        .execution_options(populate_existing=True)
    )
    by_lesson: dict[str, dict[int, ProgressRow]] = {}
    for row in rows:
        by_lesson.setdefault(row.lesson_id, {})[row.learner_id] = row
    for pair in by_lesson.values():
        if len(pair) < 2:
            continue
        theirs, ours = pair[source_id], pair[into_id]
        best = max(ours, theirs, key=_rank)
        await session.execute(
            update(ProgressRow)
            .where(ProgressRow.id == ours.id)
            .values(
                lesson_version=best.lesson_version,
                step_key=best.step_key,
                step_index=best.step_index,
                furthest_index=max(ours.furthest_index, theirs.furthest_index),
                updated_at=best.updated_at,
                completed_at=best.completed_at,
                started_at=min(ours.started_at, theirs.started_at),
            )
        )


async def _highest_hint_counts(session: AsyncSession, source_id: int, into_id: int) -> None:
    """Keep the higher count of hints seen for each exercise both learners asked hints for."""
    rows = await session.scalars(
        select(HintSeenRow)
        .where(HintSeenRow.learner_id.in_((source_id, into_id)))
        .execution_options(populate_existing=True)
    )
    counts: dict[tuple[str, str], dict[int, HintSeenRow]] = {}
    for row in rows:
        counts.setdefault((row.lesson_id, row.exercise_id), {})[row.learner_id] = row
    for pair in counts.values():
        if len(pair) == 2 and pair[source_id].count > pair[into_id].count:
            await session.execute(
                update(HintSeenRow)
                .where(HintSeenRow.id == pair[into_id].id)
                .values(count=pair[source_id].count)
            )


async def _one_notebook(session: AsyncSession, source_id: int, into_id: int) -> None:
    """Keep the notebook used last of the two, whole; delete the other one's cells."""
    used = {
        learner_id: at
        for learner_id, at in await session.execute(
            select(NotebookRow.learner_id, NotebookRow.used_at).where(
                NotebookRow.learner_id.in_((source_id, into_id))
            )
        )
    }
    if len(used) < 2:
        return  # at most one of them ever used a notebook: moving the rows keeps it
    loser = into_id if used[source_id] > used[into_id] else source_id
    await session.execute(delete(NotebookCellRow).where(NotebookCellRow.learner_id == loser))
    if loser == into_id:
        await session.execute(
            update(NotebookRow).where(NotebookRow.learner_id == into_id).values(used_at=used[source_id])
        )


async def _move_rows(session: AsyncSession, table: Table, source_id: int, into_id: int) -> None:
    """Re-point a table's rows to the surviving learner, dropping the ones its unique keys already hold."""
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint) or "learner_id" not in constraint.columns:
            continue
        others = [column.name for column in constraint.columns if column.name != "learner_id"]
        kept = table.alias("kept")
        duplicate = exists().where(
            kept.c.learner_id == into_id, *[kept.c[name] == table.c[name] for name in others]
        )
        await session.execute(delete(table).where(table.c.learner_id == source_id, duplicate))
    await session.execute(update(table).where(table.c.learner_id == source_id).values(learner_id=into_id))


async def _copy_rows(session: AsyncSession, table: Table, from_id: int, to_id: int) -> None:
    """Copy a learner's rows of one table to another learner."""
    columns = [column for column in table.c if not column.primary_key and column.name != "learner_id"]
    source = (
        select(literal(to_id, Integer), *columns)
        .where(table.c.learner_id == from_id)
        .order_by(*table.primary_key.columns)  # keeps the order of ordered rows (notebook cells)
    )
    await session.execute(table.insert().from_select(["learner_id", *(c.name for c in columns)], source))
