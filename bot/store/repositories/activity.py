"""Active days (streaks), points earned once per thing done (weekly boards) and who hides from boards.

Each learner's latest run of consecutive active days is kept on the learner (``streak_end``,
``streak_days``) as days are noted, so that the dashboard counts current streaks without reading days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.ports import BoardEntry, PointAward
from bot.store.models import (
    ActivityDayRow,
    ActivityPointRow,
    LeaderboardHiddenRow,
    LearnerRow,
    ServerMemberRow,
)
from bot.store.repositories.base import Repository


class SqlActivity(Repository):
    """The ``Activity`` area over SQL."""

    async def note_day(self, learner_id: int, day: date) -> None:
        """Record that the learner was active on ``day`` (their local date); once per day."""
        noted: Any = await self._session.execute(
            self._insert(ActivityDayRow)
            .values(learner_id=learner_id, day=day)
            .on_conflict_do_nothing(index_elements=["learner_id", "day"])
        )
        if noted.rowcount != 1:
            return
        # A day after the latest one extends the run or starts a new one; one statement, so that
        # PostgreSQL re-reads the row if a concurrent transaction moved the run meanwhile.
        moved: Any = await self._session.execute(
            update(LearnerRow)
            .where(
                LearnerRow.id == learner_id,
                or_(LearnerRow.streak_end.is_(None), LearnerRow.streak_end < day),
            )
            .values(
                streak_days=case(
                    (LearnerRow.streak_end == day - timedelta(days=1), LearnerRow.streak_days + 1), else_=1
                ),
                streak_end=day,
            )
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # an earlier day (the learner moved west) may join runs: count again
            await refresh_streak(self._session, learner_id)

    async def days(self, learner_id: int) -> list[date]:
        """Return the learner's active days, earliest first."""
        rows = await self._session.scalars(
            select(ActivityDayRow.day)
            .where(ActivityDayRow.learner_id == learner_id)
            .order_by(ActivityDayRow.day)
        )
        return list(rows)

    async def award(self, learner_id: int, award: PointAward) -> bool:
        """Give the learner points for one thing done; False (and nothing given) if it earned them before."""
        result: Any = await self._session.execute(
            self._insert(ActivityPointRow)
            .values(
                learner_id=learner_id,
                kind=award.kind,
                lesson_id=award.lesson_id,
                item_id=award.item_id,
                points=award.points,
                at=award.at,
            )
            .on_conflict_do_nothing(index_elements=["learner_id", "kind", "lesson_id", "item_id"])
        )
        return bool(result.rowcount == 1)

    async def board(
        self, platform: str, server_id: str, since: datetime, limit: int = 10
    ) -> list[BoardEntry]:
        """Return a server's top ``limit`` learners by points earned since ``since``, hidden ones left out."""
        total = func.sum(ActivityPointRow.points)
        rows = await self._session.execute(
            select(ActivityPointRow.learner_id, LearnerRow.display_name, total)
            .join(LearnerRow, LearnerRow.id == ActivityPointRow.learner_id)
            .join(
                ServerMemberRow,
                (ServerMemberRow.learner_id == ActivityPointRow.learner_id)
                & (ServerMemberRow.platform == platform)
                & (ServerMemberRow.server_id == server_id),
            )
            .where(ActivityPointRow.at >= since, ActivityPointRow.learner_id.not_in(_hidden()))
            .group_by(ActivityPointRow.learner_id, LearnerRow.display_name)
            # On equal points, whoever got there first comes first.
            .order_by(total.desc(), func.max(ActivityPointRow.at), ActivityPointRow.learner_id)
            .limit(limit)
        )
        entries: list[BoardEntry] = []
        for position, (learner_id, name, points) in enumerate(rows, start=1):
            tied = entries and entries[-1].points == points
            entries.append(BoardEntry(learner_id, name, int(points), entries[-1].rank if tied else position))
        return entries

    async def rank(self, learner_id: int, since: datetime) -> BoardEntry | None:
        """Return the learner's place among every learner not hidden, by points since ``since``."""
        if await self.is_hidden(learner_id):
            return None
        mine = await self._session.execute(
            select(LearnerRow.display_name, func.sum(ActivityPointRow.points))
            .join(LearnerRow, LearnerRow.id == ActivityPointRow.learner_id)
            .where(ActivityPointRow.learner_id == learner_id, ActivityPointRow.at >= since)
            .group_by(LearnerRow.display_name)
        )
        found = mine.first()
        if found is None or not found[1]:
            return None
        name, points = found[0], int(found[1])
        ahead = (
            select(ActivityPointRow.learner_id)
            .where(ActivityPointRow.at >= since, ActivityPointRow.learner_id.not_in(_hidden()))
            .group_by(ActivityPointRow.learner_id)
            .having(func.sum(ActivityPointRow.points) > points)
            .subquery()
        )
        count = await self._session.scalar(select(func.count()).select_from(ahead))
        return BoardEntry(learner_id, name, points, int(count or 0) + 1)

    async def set_hidden(self, learner_id: int, hidden: bool, at: datetime) -> None:
        """Leave the learner out of every board (hidden) or put them back."""
        if hidden:
            await self._session.execute(
                self._insert(LeaderboardHiddenRow)
                .values(learner_id=learner_id, since=at)
                .on_conflict_do_nothing(index_elements=["learner_id"])
            )
        else:
            await self._session.execute(
                delete(LeaderboardHiddenRow)
                .where(LeaderboardHiddenRow.learner_id == learner_id)
                .execution_options(synchronize_session=False)
            )

    async def is_hidden(self, learner_id: int) -> bool:
        """Tell whether the learner chose to be left out of boards."""
        found = await self._session.scalar(
            select(LeaderboardHiddenRow.id).where(LeaderboardHiddenRow.learner_id == learner_id)
        )
        return found is not None


async def refresh_streak(session: AsyncSession, learner_id: int) -> None:
    """Set the learner's latest run of active days from the days recorded (after a merge, say)."""
    days = await session.scalars(
        select(ActivityDayRow.day)
        .where(ActivityDayRow.learner_id == learner_id)
        .order_by(ActivityDayRow.day.desc())
    )
    end, length = latest_run(days)
    await session.execute(
        update(LearnerRow)
        .where(LearnerRow.id == learner_id)
        .values(streak_end=end, streak_days=length)
        .execution_options(synchronize_session=False)
    )


def latest_run(days: Iterable[date]) -> tuple[date | None, int]:
    """Return the last day and the length of the latest run of consecutive days (``None, 0`` for none)."""
    ordered = sorted(set(days), reverse=True)
    if not ordered:
        return None, 0
    length = 1
    while length < len(ordered) and ordered[length] == ordered[0] - timedelta(days=length):
        length += 1
    return ordered[0], length


def _hidden() -> Any:
    return select(LeaderboardHiddenRow.learner_id)
