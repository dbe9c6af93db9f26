"""Fixtures shared across the test tree: the real store on a fresh database, and fakes at our own seams.

``store`` is the SQL store on a fresh SQLite file (a copy of one migrated template, so it costs a file
copy). ``backend_store`` is the same store on each backend in turn: SQLite, then PostgreSQL when
``TUTOR_TEST_DATABASE_URL`` names a server (throwaway databases are created next to it and dropped).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.store import SqlStore, open_store
from bot.store.engine import parse_url
from bot.store.migrate import upgrade
from tests.db import (
    PG_ENV,
    PG_SKIP_REASON,
    PostgresServer,
    migrated_template,
    run_in_thread,
    sqlite_store,
    sqlite_url,
    truncate_all,
)
from tests.fakes import FakeClock, FakeSandbox

if TYPE_CHECKING:
    from tests.sandbox.conftest import PoolThread


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sandbox() -> FakeSandbox:
    return FakeSandbox()


@pytest.fixture(scope="session")
def real_pool() -> Iterator[PoolThread]:
    """The real sandbox (a warm pool, isolated children), for front-end tests that run code end to end."""
    from sandbox.local import PoolConfig
    from tests.sandbox.conftest import start_pool

    started = start_pool(PoolConfig(concurrency=1, queue_size=8))
    yield started
    started.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("database"))


@pytest.fixture
async def store(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[SqlStore]:
    opened = sqlite_store(sqlite_template, tmp_path)
    try:
        yield opened
    finally:
        await opened.engine.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    """Return the PostgreSQL server for tests, or None when none is configured."""
    url = os.environ.get(PG_ENV)
    if not url:
        yield None
        return
    server = PostgresServer(parse_url(url))
    try:
        yield server
    finally:
        server.drop_all()


@pytest.fixture(scope="session")
def postgres_migrated(postgres: PostgresServer | None) -> Iterator[str | None]:
    """Return one PostgreSQL database migrated to head, shared by the session."""
    if postgres is None:
        yield None
        return
    url = postgres.create()
    run_in_thread(lambda: upgrade(url))
    yield url
    postgres.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, postgres: PostgresServer | None) -> str:
    """Name each backend in turn; skip PostgreSQL unless it is configured."""
    if request.param == "postgresql" and postgres is None:
        pytest.skip(PG_SKIP_REASON)
    return str(request.param)


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path, postgres: PostgresServer | None) -> Iterator[str]:
    """Return the URL of a database with no tables, dropped after the test."""
    if backend == "sqlite":
        yield sqlite_url(tmp_path / "tutor.db")
        return
    assert postgres is not None
    url = postgres.create()
    yield url
    postgres.drop(url)


@pytest.fixture
def database_url(
    backend: str, sqlite_template: Path, tmp_path: Path, postgres_migrated: str | None
) -> Iterator[str]:
    """Return the URL of a database migrated to head and holding no rows."""
    if backend == "sqlite":
        path = tmp_path / "tutor.db"
        path.write_bytes(sqlite_template.read_bytes())
        yield sqlite_url(path)
        return
    assert postgres_migrated is not None
    yield postgres_migrated
    run_in_thread(lambda: truncate_all(postgres_migrated))


@pytest.fixture
async def backend_store(database_url: str) -> AsyncIterator[SqlStore]:
    """Open the store on a fresh, migrated database of each backend."""
    async with open_store(database_url, upgrade=False) as opened:
        yield opened
