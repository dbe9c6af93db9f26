"""Sandbox runs: finished ones for rate limits and statistics, and the per-learner run claim.

The claim is a row per learner (unique ``learner_id``) naming the run that holds it by a random token, until
an expiry. Claiming inserts the row, or takes over an expired one, in the transaction that also locks the
learner; the run itself then happens with no transaction open, and a second short transaction releases
the claim by its token. Merging learners moves claims like every other learner row, so the token finds the
learner a late result belongs to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from bot.core.ports import RunRecord
from bot.store.models import RunClaimRow, RunRow
from bot.store.repositories.base import Repository


class SqlRuns(Repository):
    """The ``Runs`` area over SQL."""

    async def add(self, learner_id: int, run: RunRecord) -> None:
        """Record one finished run (for rate limits and statistics)."""
        self._session.add(
            RunRow(learner_id=learner_id, status=run.status, duration_ms=run.duration_ms, at=run.at)
        )
        await self._session.flush()

    async def count_since(self, learner_id: int, since: datetime) -> int:
        """Count the learner's runs since a moment (inclusive)."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(RunRow)
            .where(RunRow.learner_id == learner_id, RunRow.at >= since)
        )
        return int(count or 0)

    async def claim(self, learner_id: int, token: str, now: datetime, until: datetime) -> bool:
        """Claim the right to run code for the learner until ``until``; False while another claim holds."""
        values = {"token": token, "started_at": now, "expires_at": until}
        statement = (
            self._insert(RunClaimRow)
            .values(learner_id=learner_id, **values)
            .on_conflict_do_update(
                index_elements=["learner_id"], set_=values, where=RunClaimRow.expires_at <= now
            )
            .returning(RunClaimRow.token)
        )
        holder: str | None = await self._session.scalar(statement)
        return holder == token

    async def release(self, token: str) -> int | None:
        """End a claim and return the learner holding it now; None if it is gone."""
        learner_id: int | None = await self._session.scalar(
            delete(RunClaimRow).where(RunClaimRow.token == token).returning(RunClaimRow.learner_id)
        )
        return learner_id
