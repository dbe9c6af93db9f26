"""Databases for tests: a migrated SQLite file copied per test (fast), and helpers to run set-up off-loop."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import create_async_engine

from bot.store import SqlStore
from bot.store.engine import create_engine, parse_url
from bot.store.migrate import upgrade
from bot.store.models import Base

PG_ENV = "TUTOR_TEST_DATABASE_URL"
PG_SKIP_REASON = "TUTOR_TEST_DATABASE_URL is not set; PostgreSQL tests need it (.ci/run sets it)"

T = TypeVar("T")


def run_in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a private event loop in another thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def sqlite_url(path: Path) -> str:
    """Return the async SQLAlchemy URL of a SQLite file."""
    return f"sqlite+aiosqlite:///{path}"


def migrated_template(folder: Path) -> Path:
    """Create a SQLite database migrated to head in ``folder``; copies of it start each test."""
    path = folder / "template.db"
    run_in_thread(lambda: upgrade(sqlite_url(path)))
    if Path(f"{path}-wal").exists():  # pragma: no cover - closing the last connection checkpoints
        raise RuntimeError("the template database still has a write-ahead log; copies would miss it")
    return path


def sqlite_store(template: Path, folder: Path) -> SqlStore:
    """Return a store over a fresh copy of the migrated template (the real engine, as in production)."""
    path = folder / "tutor.db"
    shutil.copyfile(template, path)
    return SqlStore(create_engine(parse_url(sqlite_url(path))))


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


async def truncate_all(url: str) -> None:
    engine = create_async_engine(parse_url(url))
    try:
        async with engine.begin() as connection:
            tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()
