"""Time zones and daily reminders, and claiming due reminders so that only one bot process sends each.

A reminder is claimed by moving its ``next_at`` on, with a compare-and-set on the moment it was due
(``UPDATE ... WHERE next_at = :due_at``): of several processes that saw it due, exactly one updates the
row, and only that one sends it. A crash after the claim loses that day's reminder rather than sending
it twice. On PostgreSQL, ``due`` also locks the rows it returns and skips rows other processes hold,
so concurrent schedulers mostly pick different reminders instead of racing for the same ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from bot.core.ports import DueReminder, ReminderSettings
from bot.store.models import ReminderRow
from bot.store.repositories.base import Repository


class SqlReminders(Repository):
    """The ``Reminders`` area over SQL."""

    async def get(self, learner_id: int) -> ReminderSettings:
        """Return the learner's time zone and reminder (UTC and off if never set)."""
        row = await self._session.scalar(
            select(ReminderRow)
            .where(ReminderRow.learner_id == learner_id)
            .execution_options(populate_existing=True)
        )
        return ReminderSettings() if row is None else _settings(row)

    async def save(self, learner_id: int, settings: ReminderSettings) -> None:
        """Insert or replace the learner's time zone and reminder."""
        values = {
            "time_zone": settings.time_zone,
            "minute": settings.minute,
            "platform": settings.platform,
            "user_id": settings.user_id,
            "next_at": settings.next_at if settings.minute is not None else None,
        }
        statement = self._insert(ReminderRow).values(learner_id=learner_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["learner_id"], set_=values)
        )

    async def due(self, now: datetime, platforms: Sequence[str], limit: int = 50) -> list[DueReminder]:
        """Return reminders on these platforms due at ``now``, the longest overdue first."""
        statement = (
            select(ReminderRow)
            .where(
                ReminderRow.next_at <= now,
                ReminderRow.minute.is_not(None),
                ReminderRow.platform.in_(list(platforms)),
            )
            .order_by(ReminderRow.next_at, ReminderRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        rows = await self._session.scalars(statement)
        return [DueReminder(row.learner_id, _settings(row)) for row in rows]

    async def claim(self, learner_id: int, due_at: datetime, next_at: datetime | None, at: datetime) -> bool:
        """Move a reminder due at ``due_at`` on to ``next_at`` (None: turn it off); True for one claimer."""
        values: dict[str, Any] = {"next_at": next_at, "last_sent_at": at}
        if next_at is None:
            values["minute"] = None
        result: Any = await self._session.execute(
            update(ReminderRow)
            .where(
                ReminderRow.learner_id == learner_id,
                ReminderRow.next_at == due_at,
                ReminderRow.minute.is_not(None),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)

    async def turn_off(self, learner_id: int) -> None:
        """Turn the learner's reminder off, keeping their time zone."""
        await self._session.execute(
            update(ReminderRow)
            .where(ReminderRow.learner_id == learner_id)
            .values(minute=None, next_at=None)
            .execution_options(synchronize_session=False)
        )


def _settings(row: ReminderRow) -> ReminderSettings:
    return ReminderSettings(
        time_zone=row.time_zone,
        minute=row.minute,
        platform=row.platform,
        user_id=row.user_id,
        next_at=row.next_at,
    )
