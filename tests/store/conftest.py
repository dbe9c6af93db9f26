"""Fixtures for store tests: a fresh database per test on SQLite, and on PostgreSQL when configured.

PostgreSQL tests run against throwaway databases created next to ``TUTOR_TEST_DATABASE_URL`` (which must
allow CREATE DATABASE) and dropped afterwards: one migrated database shared by the session and emptied
after each test, plus an empty one per test for migration and CLI tests.

Database set-up runs in a helper thread with its own event loop, so these fixtures work for sync tests
(the CLI calls ``asyncio.run`` itself) and async tests alike.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from bot.store import SqlStore, open_store
from bot.store.engine import parse_url
from bot.store.migrate import upgrade
from bot.store.models import Base

PG_ENV = "TUTOR_TEST_DATABASE_URL"
PG_SKIP_REASON = "TUTOR_TEST_DATABASE_URL is not set; PostgreSQL tests need it (.ci/run sets it)"

T = TypeVar("T")


def run_in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a private event loop in another thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


class PostgresServer:
    """Creates and drops throwaway databases on the server of ``TUTOR_TEST_DATABASE_URL``."""

    def __init__(self, url: URL) -> None:
        self._url = url
        self._created: set[str] = set()

    async def _admin(self, sql: str) -> None:
        # CREATE/DROP DATABASE refuse to run inside a transaction.
        engine = create_async_engine(self._url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(sql))
        finally:
            await engine.dispose()

    def create(self) -> str:
        """Create an empty database and return its URL."""
        name = f"tutor_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        run_in_thread(lambda: self._admin(f'CREATE DATABASE "{name}"'))
        self._created.add(name)
        return self._url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop a database made by `create`, disconnecting anyone still using it."""
        name = parse_url(url).database
        assert name in self._created
        run_in_thread(lambda: self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._created.discard(name)

    def drop_all(self) -> None:
        """Drop every database still left."""
        for name in list(self._created):
            self.drop(self._url.set(database=name).render_as_string(hide_password=False))


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
        yield f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
        return
    assert postgres is not None
    url = postgres.create()
    yield url
    postgres.drop(url)


async def _truncate_all(url: str) -> None:
    engine = create_async_engine(parse_url(url))
    try:
        async with engine.begin() as connection:
            tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


@pytest.fixture
def database_url(backend: str, tmp_path: Path, postgres_migrated: str | None) -> Iterator[str]:
    """Return the URL of a database migrated to head and holding no rows."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
        run_in_thread(lambda: upgrade(url))
        yield url
        return
    assert postgres_migrated is not None
    yield postgres_migrated
    run_in_thread(lambda: _truncate_all(postgres_migrated))


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    """Open the store on a fresh, migrated database."""
    async with open_store(database_url) as opened:
        yield opened
