"""The dashboard's login links, sessions and signing key."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.ports.dashboard import DashboardGrant, DashboardLogin, DashboardSession, Scope
from bot.store import SqlStore
from bot.store.models import Base
from tests.store.contract.records import T0, count_rows

GRANT = DashboardGrant(Scope("discord", "g1"), "discord:1001", "Alice", "en")
EVERYONE_GRANT = DashboardGrant(Scope(), "telegram:2002", "Bob", "zh", moderate=True)


def login(token_hash: str = "a" * 64, grant: DashboardGrant = GRANT, minutes: int = 10) -> DashboardLogin:
    return DashboardLogin(token_hash, grant, T0, T0 + timedelta(minutes=minutes))


def session(session_hash: str = "s" * 64, grant: DashboardGrant = GRANT, hours: int = 12) -> DashboardSession:
    return DashboardSession(session_hash, grant, T0, T0 + timedelta(hours=hours))


async def test_signing_key_is_made_once_and_kept(store: SqlStore) -> None:
    async with store.session() as s:
        first = await s.dashboard.signing_key()
    async with store.session() as s:
        again = await s.dashboard.signing_key()

    assert first == again and len(first) == 32
    assert await count_rows(store, Base.metadata.tables["dashboard_keys"]) == 1


async def test_concurrent_first_uses_agree_on_one_signing_key(store: SqlStore) -> None:
    async def one() -> bytes:
        async with store.session() as s:
            return await s.dashboard.signing_key()

    keys = await asyncio.gather(*(one() for _ in range(4)))

    assert len(set(keys)) == 1


async def test_login_is_stored_with_its_grant(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.add_login(login(grant=EVERYONE_GRANT))
    async with store.session() as s:
        found = await s.dashboard.login("a" * 64)

    assert found == login(grant=EVERYONE_GRANT)
    assert found is not None and found.grant.scope.everyone


async def test_login_redeems_once(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.add_login(login())
    async with store.session() as s:
        first = await s.dashboard.redeem_login("a" * 64, T0 + timedelta(minutes=1))
    async with store.session() as s:
        second = await s.dashboard.redeem_login("a" * 64, T0 + timedelta(minutes=2))

    assert first is not None and first.used_at == T0 + timedelta(minutes=1)
    assert first.grant == GRANT
    assert second is None


async def test_expired_login_does_not_redeem(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.add_login(login(minutes=10))
    async with store.session() as s:
        assert await s.dashboard.redeem_login("a" * 64, T0 + timedelta(minutes=10)) is None
        unused = await s.dashboard.login("a" * 64)

    assert unused is not None and unused.used_at is None


async def test_unknown_login_does_not_redeem(store: SqlStore) -> None:
    async with store.session() as s:
        assert await s.dashboard.redeem_login("b" * 64, T0) is None


async def test_racing_redemptions_of_one_link_let_exactly_one_win(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.add_login(login())

    async def redeem() -> DashboardLogin | None:
        async with store.session() as s:
            return await s.dashboard.redeem_login("a" * 64, T0 + timedelta(minutes=1))

    results = await asyncio.gather(*(redeem() for _ in range(5)))

    assert sum(result is not None for result in results) == 1


async def test_session_is_found_until_it_expires(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.open_session(session(hours=12))
    async with store.session() as s:
        assert await s.dashboard.session("s" * 64, T0 + timedelta(hours=11)) == session()
        assert await s.dashboard.session("s" * 64, T0 + timedelta(hours=12)) is None


async def test_closed_session_is_gone(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.open_session(session())
    async with store.session() as s:
        await s.dashboard.close_session("s" * 64)
    async with store.session() as s:
        assert await s.dashboard.session("s" * 64, T0) is None


async def test_session_language_can_change(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.open_session(session())
    async with store.session() as s:
        await s.dashboard.set_session_locale("s" * 64, "zh")
    async with store.session() as s:
        found = await s.dashboard.session("s" * 64, T0)

    assert found is not None and found.grant.locale == "zh"


async def test_purge_removes_only_what_expired(store: SqlStore) -> None:
    async with store.session() as s:
        await s.dashboard.add_login(login("a" * 64, minutes=10))
        await s.dashboard.add_login(login("b" * 64, minutes=60 * 24))
        await s.dashboard.open_session(session("s" * 64, hours=1))
        await s.dashboard.open_session(session("t" * 64, hours=24))
    async with store.session() as s:
        assert await s.dashboard.purge(T0 + timedelta(hours=2)) == 2
    async with store.session() as s:
        assert await s.dashboard.login("a" * 64) is None
        assert await s.dashboard.login("b" * 64) is not None
        assert await s.dashboard.session("s" * 64, T0) is None
        assert await s.dashboard.session("t" * 64, T0) is not None
