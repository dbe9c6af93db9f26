"""Create async engines configured for each supported backend, and explain connection failures.

SQLite needs care to be a correct multi-writer store: Python's sqlite3 driver starts transactions lazily
(only before DML), so two commands could both read, then both try to write, and one fails with "database
is locked". We take over BEGIN and issue ``BEGIN IMMEDIATE``, which takes the write lock at the start of
the transaction; concurrent commands then queue on SQLite's busy timeout instead of failing.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from bot.store.errors import DatabaseUnavailableError, InvalidDatabaseUrlError

# Operators write the URL their provider gives them; map plain backend names to the async drivers we ship.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
}
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
SQLITE_BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10.0
# A fixed pool: overflow connections are closed on return, so bursts kept reconnecting (and re-preparing
# every statement); a steady pool measured several times lower p99 latency (benchmarks/core_throughput.py).
POSTGRES_POOL_SIZE = 20
POSTGRES_POOL_TIMEOUT_S = 60.0


def parse_url(url: str) -> URL:
    """Parse a database URL, choosing the async driver when only the backend is named."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # SQLAlchemy's message repeats the whole string, password included: say less.
        raise InvalidDatabaseUrlError(
            "expected e.g. sqlite+aiosqlite:///tutor.db or postgresql+asyncpg://user:password@host/db"
        ) from None
    if parsed.drivername in _ASYNC_DRIVERS:
        parsed = parsed.set(drivername=_ASYNC_DRIVERS[parsed.drivername])
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise InvalidDatabaseUrlError(
            f"unsupported database {parsed.get_backend_name()!r}; use SQLite or PostgreSQL"
        )
    return parsed


def is_memory_sqlite(url: URL) -> bool:
    """Tell whether ``url`` names an in-memory SQLite database (one per engine, gone on dispose)."""
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or url.query.get("mode") == "memory"
    )


def mask(url: str | URL) -> str:
    """Render a URL with its password replaced by ``***``."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return "<unparsable URL>"
    return url.render_as_string(hide_password=True)


def create_engine(url: URL, *, echo: bool = False, foreign_keys: bool = True) -> AsyncEngine:
    """Create an async engine for ``url``; ``foreign_keys=False`` is for SQLite migrations only.

    SQLite batch migrations copy and drop tables; with foreign keys enforced, dropping a parent table
    would cascade into its children, so migrations run with enforcement off.
    """
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, echo=echo)
        _configure_sqlite(engine, foreign_keys=foreign_keys)
        return engine
    connect_args: dict[str, Any] = {}
    if "timeout" not in url.query:
        connect_args["timeout"] = CONNECT_TIMEOUT_S
    return create_async_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=0,
        pool_timeout=POSTGRES_POOL_TIMEOUT_S,
        connect_args=connect_args,
    )


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    """Make SQLite enforce foreign keys, wait for locks, and lock for writing at BEGIN."""

    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Stop the driver from issuing its own (deferred) BEGIN; on_begin issues ours.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            # WAL lets readers (a backup, the sqlite3 shell) work while a command writes.
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


async def verify_connection(engine: AsyncEngine) -> None:
    """Run ``SELECT 1``, raising `DatabaseUnavailableError` with the reason when it fails."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and not is_memory_sqlite(url) and "uri" not in url.query:
        # SQLite would only say "unable to open database file"; name the actual problem.
        folder = Path(url.database or "").absolute().parent
        if not folder.is_dir():
            raise DatabaseUnavailableError(mask(url), f"folder {folder} does not exist")
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        raise DatabaseUnavailableError(mask(engine.url), describe_failure(exc)) from exc


def describe_failure(exc: BaseException) -> str:
    """Turn a connection failure into a short reason such as "connection refused"."""
    cause: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        cause = exc.orig
    # asyncpg reports several addresses tried as one OSError; its errno is lost but the text is kept.
    if isinstance(cause, ConnectionRefusedError) or "connection refused" in str(cause).lower():
        return "connection refused"
    if isinstance(cause, socket.gaierror):
        return f"unknown host ({cause.strerror})"
    if isinstance(cause, TimeoutError):
        return "timed out"
    if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
        return "connection refused"
    reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    # Driver wrappers prefix the underlying class, e.g. "<class 'asyncpg...'>: message".
    if reason.startswith("<class ") and ">: " in reason:
        reason = reason.split(">: ", 1)[1]
    return reason
