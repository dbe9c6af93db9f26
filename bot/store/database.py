"""Open the store: one engine per process, one short session and transaction at a time per task."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.store import migrate
from bot.store.engine import create_engine, is_memory_sqlite, parse_url, verify_connection
from bot.store.session import SqlStoreSession

if TYPE_CHECKING:
    from bot.core.ports import Store, StoreSession


class SqlStore:
    """The `bot.core.ports.Store` over SQLAlchemy; sessions are cheap, the engine is shared."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._dialect = engine.dialect.name
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[SqlStoreSession]:
        """Open a session; it commits when the block ends normally and rolls back on an exception."""
        # One AsyncSession per transaction: it is not safe to share between concurrent tasks.
        async with self._sessions() as session, session.begin():
            yield SqlStoreSession(session, self._dialect)

    def connections_in_use(self) -> int:
        """Return how many pooled connections are checked out right now (a run must hold none)."""
        return int(self.engine.pool.checkedout())  # type: ignore[attr-defined]

    async def ping(self) -> None:
        """Run ``SELECT 1``; raise `DatabaseUnavailableError` (password masked) if the database cannot."""
        await verify_connection(self.engine)


@asynccontextmanager
async def open_store(url: str, *, echo: bool = False, upgrade: bool | None = None) -> AsyncIterator[SqlStore]:
    """Connect to the database at ``url``, check its schema, and yield the store; dispose it on exit.

    ``upgrade`` says whether to apply pending migrations first. The default (None) upgrades SQLite, the
    embedded single-process database, and for PostgreSQL only checks that the schema is current, raising
    `SchemaOutdatedError` that tells the operator to run ``tutor db upgrade``. Raises
    `DatabaseUnavailableError` when the database cannot be reached. An in-memory SQLite database has a
    single connection: fine for a test, but its sessions must not overlap.
    """
    parsed = parse_url(url)
    if upgrade is None:
        upgrade = parsed.get_backend_name() == "sqlite"
    engine = create_engine(parsed, echo=echo)
    try:
        await verify_connection(engine)
        if upgrade:
            # Never try to migrate a schema a newer Torch Tutor wrote: say so instead.
            await migrate.verify_schema(engine, allow_behind=True)
            if is_memory_sqlite(parsed):
                await migrate.upgrade_engine(engine)
            else:
                await migrate.upgrade(url)
        await migrate.verify_schema(engine)
        yield SqlStore(engine)
    finally:
        await engine.dispose()


if TYPE_CHECKING:

    def _implements_ports(store: SqlStore, session: SqlStoreSession) -> tuple[Store, StoreSession]:
        """Let mypy prove that the store satisfies the core's protocols."""
        return store, session
