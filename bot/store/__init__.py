"""The store: SQLAlchemy models, sessions and migrations behind the core's `Store` protocol."""

from bot.store.database import SqlStore, open_store
from bot.store.errors import (
    DatabaseUnavailableError,
    InvalidDatabaseUrlError,
    MigrationError,
    SchemaMismatchError,
    SchemaOutdatedError,
    SchemaTooNewError,
    StoreError,
)
from bot.store.session import SqlStoreSession

__all__ = [
    "DatabaseUnavailableError",
    "InvalidDatabaseUrlError",
    "MigrationError",
    "SchemaMismatchError",
    "SchemaOutdatedError",
    "SchemaTooNewError",
    "SqlStore",
    "SqlStoreSession",
    "StoreError",
    "open_store",
]
