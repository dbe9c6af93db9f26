"""Quiz polls sent on a platform: which action each option stands for, so any process understands a vote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select

from bot.store.models import PollRow
from bot.store.repositories.base import Repository


class SqlPolls(Repository):
    """The ``Polls`` area over SQL."""

    async def remember(self, platform: str, poll_id: str, actions: Sequence[str], at: datetime) -> None:
        """Record the options' actions of a poll just sent (a poll id seen again is replaced)."""
        values = {"actions": list(actions), "sent_at": at}
        statement = self._insert(PollRow).values(platform=platform, poll_id=poll_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["platform", "poll_id"], set_=values)
        )

    async def actions(self, platform: str, poll_id: str) -> tuple[str, ...] | None:
        """Return the options' actions of a poll, or None if it is unknown (or forgotten)."""
        found = await self._session.scalar(
            select(PollRow.actions).where(PollRow.platform == platform, PollRow.poll_id == poll_id)
        )
        return tuple(found) if found is not None else None

    async def forget_before(self, moment: datetime) -> int:
        """Forget the polls sent before ``moment``; return how many."""
        result = await self._session.execute(
            delete(PollRow).where(PollRow.sent_at < moment).returning(PollRow.poll_id)
        )
        return len(result.all())
