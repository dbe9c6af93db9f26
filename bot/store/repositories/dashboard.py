"""The web dashboard's login links, sessions and signing key.

Only hashes of link tokens and session cookies are stored, so reading the database gives no way in.
Redeeming a link is one conditional UPDATE, so two processes (or two clicks) racing for the same link
cannot both win.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from bot.core.ports.dashboard import DashboardGrant, DashboardLogin, DashboardSession, Scope
from bot.store.models import NAME_LENGTH, DashboardKeyRow, DashboardLoginRow, DashboardSessionRow
from bot.store.repositories.base import Repository, utcnow

_KEY_NAME = "signing"
_KEY_BYTES = 32


class SqlDashboardAccess(Repository):
    """The ``DashboardAccess`` area over SQL."""

    async def signing_key(self) -> bytes:
        """Return the key that signs login links and forms, made once and shared by every process."""
        await self._session.execute(
            self._insert(DashboardKeyRow)
            .values(name=_KEY_NAME, secret=secrets.token_hex(_KEY_BYTES), created_at=utcnow())
            .on_conflict_do_nothing(index_elements=["name"])
        )
        secret = await self._session.scalar(
            select(DashboardKeyRow.secret).where(DashboardKeyRow.name == _KEY_NAME)
        )
        if secret is None:  # pragma: no cover - inserted just above unless another process did
            raise RuntimeError("the dashboard signing key vanished")
        return bytes.fromhex(secret)

    async def add_login(self, login: DashboardLogin) -> None:
        """Store a new login link."""
        self._session.add(
            DashboardLoginRow(
                token_hash=login.token_hash,
                **_grant_columns(login.grant),
                created_at=login.created_at,
                expires_at=login.expires_at,
                used_at=login.used_at,
            )
        )
        await self._session.flush()

    async def login(self, token_hash: str) -> DashboardLogin | None:
        """Return a login link, used or not, if it exists."""
        row = await self._session.scalar(
            select(DashboardLoginRow)
            .where(DashboardLoginRow.token_hash == token_hash)
            .execution_options(populate_existing=True)
        )
        return None if row is None else _login(row)

    async def redeem_login(self, token_hash: str, at: datetime) -> DashboardLogin | None:
        """Mark an unused, unexpired link used and return it; None if it is used, expired or unknown."""
        result: Any = await self._session.execute(
            update(DashboardLoginRow)
            .where(
                DashboardLoginRow.token_hash == token_hash,
                DashboardLoginRow.used_at.is_(None),
                DashboardLoginRow.expires_at > at,
            )
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None
        return await self.login(token_hash)

    async def open_session(self, session: DashboardSession) -> None:
        """Store a new session."""
        self._session.add(
            DashboardSessionRow(
                session_hash=session.session_hash,
                **_grant_columns(session.grant),
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )
        await self._session.flush()

    async def session(self, session_hash: str, at: datetime) -> DashboardSession | None:
        """Return the session if it exists and has not expired at ``at``."""
        row = await self._session.scalar(
            select(DashboardSessionRow)
            .where(DashboardSessionRow.session_hash == session_hash, DashboardSessionRow.expires_at > at)
            .execution_options(populate_existing=True)
        )
        if row is None:
            return None
        scope = Scope.parse(row.scope)
        if scope is None:  # pragma: no cover - only this module writes scopes
            return None
        grant = DashboardGrant(scope, row.admin, row.admin_name, row.locale, row.moderate)
        return DashboardSession(row.session_hash, grant, row.created_at, row.expires_at)

    async def set_session_locale(self, session_hash: str, locale: str) -> None:
        """Change the language a session's pages are shown in."""
        await self._session.execute(
            update(DashboardSessionRow)
            .where(DashboardSessionRow.session_hash == session_hash)
            .values(locale=locale)
            .execution_options(synchronize_session=False)
        )

    async def close_session(self, session_hash: str) -> None:
        """End a session (log out)."""
        await self._session.execute(
            delete(DashboardSessionRow).where(DashboardSessionRow.session_hash == session_hash)
        )

    async def purge(self, before: datetime) -> int:
        """Delete links and sessions that expired before ``before``; return how many."""
        removed = 0
        for model in (DashboardLoginRow, DashboardSessionRow):
            result: Any = await self._session.execute(delete(model).where(model.expires_at < before))
            removed += int(result.rowcount or 0)
        return removed


def _grant_columns(grant: DashboardGrant) -> dict[str, object]:
    return {
        "scope": grant.scope.key,
        "admin": grant.admin[:NAME_LENGTH],
        "admin_name": grant.admin_name[:NAME_LENGTH],
        "locale": grant.locale,
        "moderate": grant.moderate,
    }


def _login(row: DashboardLoginRow) -> DashboardLogin | None:
    scope = Scope.parse(row.scope)
    if scope is None:  # pragma: no cover - only this module writes scopes
        return None
    grant = DashboardGrant(scope, row.admin, row.admin_name, row.locale, row.moderate)
    return DashboardLogin(row.token_hash, grant, row.created_at, row.expires_at, row.used_at)
