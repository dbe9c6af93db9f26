"""Opening the store: connectivity errors, schema checks, and the backend-specific engine set-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.core.ports import PlatformUser
from bot.store import (
    DatabaseUnavailableError,
    InvalidDatabaseUrlError,
    SchemaOutdatedError,
    SchemaTooNewError,
    SqlStore,
    migrate,
    open_store,
)
from bot.store import engine as engine_module
from bot.store.engine import describe_failure, mask, parse_url
from tests.db import PG_SKIP_REASON, PostgresServer

SECRET = "s3cr3t-Pa55"


async def test_unreachable_postgres_error_masks_password() -> None:
    url = f"postgresql+asyncpg://tutor:{SECRET}@127.0.0.1:1/tutor"

    with pytest.raises(DatabaseUnavailableError) as caught:
        async with open_store(url):
            pass

    message = str(caught.value)
    assert (
        message
        == "cannot reach the database at postgresql+asyncpg://tutor:***@127.0.0.1:1/tutor: connection refused"
    )
    assert SECRET not in message
    assert "\n" not in message


async def test_unreachable_sqlite_error_names_the_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/missing-dir/tutor.db"

    with pytest.raises(
        DatabaseUnavailableError, match=r"missing-dir/tutor\.db: folder .*missing-dir does not exist$"
    ):
        async with open_store(url):
            pass


@pytest.mark.parametrize(
    "url", ["not a url", f"postgresql://tutor:{SECRET}@db:port/tutor", f"mysql://tutor:{SECRET}@db/tutor"]
)
async def test_invalid_url_is_refused_without_echoing_password(url: str) -> None:
    with pytest.raises(InvalidDatabaseUrlError) as caught:
        async with open_store(url):
            pass

    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("sqlite:///tutor.db", "sqlite+aiosqlite"),
        ("postgresql://u@h/db", "postgresql+asyncpg"),
        ("postgres://u@h/db", "postgresql+asyncpg"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg"),
    ],
)
def test_parse_url_picks_async_driver(given: str, driver: str) -> None:
    assert parse_url(given).drivername == driver


def test_mask_hides_password() -> None:
    assert mask(f"postgresql+asyncpg://tutor:{SECRET}@db:5432/tutor") == (
        "postgresql+asyncpg://tutor:***@db:5432/tutor"
    )


def test_describe_failure_recognises_refused_connection() -> None:
    assert describe_failure(ConnectionRefusedError(111, "Connect call failed")) == "connection refused"


async def test_open_store_upgrades_fresh_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/fresh.db"

    async with open_store(url) as store, store.session() as session:
        learner = await session.learners.get_or_create(PlatformUser("console", "dave", "Dave"))

    assert learner.id == 1
    assert await migrate.current(url) == migrate.head_revisions()


async def test_open_store_upgrades_in_memory_sqlite() -> None:
    async with open_store("sqlite+aiosqlite://") as store, store.session() as session:
        assert (await session.learners.get_or_create(PlatformUser("console", "erin", "Erin"))).id == 1


async def test_open_store_without_upgrade_refuses_empty_schema(empty_database_url: str) -> None:
    with pytest.raises(SchemaOutdatedError, match=r"has no schema yet, .*: run `tutor db upgrade`$"):
        async with open_store(empty_database_url, upgrade=False):
            pass


async def test_open_store_without_upgrade_refuses_schema_behind_head(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await migrate.upgrade(empty_database_url, "0001")
    monkeypatch.setattr(migrate, "head_revisions", lambda: ("0002",))  # as if this code were newer

    with pytest.raises(
        SchemaOutdatedError, match="is at revision 0001, this version needs 0002: run `tutor db"
    ):
        async with open_store(empty_database_url, upgrade=False):
            pass


async def test_open_store_refuses_schema_from_newer_version(empty_database_url: str) -> None:
    await migrate.upgrade(empty_database_url)
    await _set_revision(empty_database_url, "9999")

    with pytest.raises(SchemaTooNewError, match="revision 9999, unknown to this version"):
        async with open_store(empty_database_url):
            pass


async def _set_revision(url: str, revision: str) -> None:
    """Pretend a migration this code doesn't have was applied."""
    async with open_store(url) as store, store.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = :rev"), {"rev": revision})


async def test_postgres_store_is_not_upgraded_implicitly(postgres: PostgresServer | None) -> None:
    if postgres is None:
        pytest.skip(PG_SKIP_REASON)
    url = postgres.create()
    try:
        with pytest.raises(SchemaOutdatedError, match="run `tutor db upgrade`"):
            async with open_store(url):
                pass
        assert await migrate.current(url) == ()
    finally:
        postgres.drop(url)


async def test_foreign_keys_are_enforced(store: SqlStore) -> None:
    with pytest.raises(IntegrityError):
        async with store.engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO runs (learner_id, status, duration_ms, at) "
                    "VALUES (424242, 'ok', 1.0, CURRENT_TIMESTAMP)"
                )
            )


async def test_sqlite_transactions_take_the_write_lock_at_begin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_MS", 50)
    url = f"sqlite+aiosqlite:///{tmp_path}/locks.db"
    async with open_store(url) as store, store.session() as first:
        await first.servers.settings("discord", "1")  # only a read: BEGIN IMMEDIATE still took the lock
        async with store.engine.connect() as other:
            with pytest.raises(OperationalError, match="database is locked"):
                await other.begin()


async def test_ping_answers_on_a_reachable_database(store: SqlStore) -> None:
    await store.ping()


async def test_ping_raises_a_masked_error_when_the_database_is_unreachable() -> None:
    engine = engine_module.create_engine(parse_url(f"postgresql+asyncpg://tutor:{SECRET}@127.0.0.1:1/tutor"))
    try:
        with pytest.raises(DatabaseUnavailableError) as caught:
            await SqlStore(engine).ping()
    finally:
        await engine.dispose()
    assert SECRET not in str(caught.value)
