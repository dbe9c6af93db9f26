"""What every repository shares: the SQLAlchemy session of one transaction and the dialect's INSERT."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Base


def utcnow() -> datetime:
    """Return the current moment in UTC."""
    return datetime.now(UTC)


class Repository:
    """Queries of one area, run in the session's single transaction."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self._session = session
        self._dialect = dialect

    def _insert(self, model: type[Base]) -> Any:
        """Return the dialect's INSERT, which offers ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
        if self._dialect == "postgresql":
            return postgresql.insert(model)
        return sqlite.insert(model)
