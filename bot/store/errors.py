"""What can go wrong when opening the store, as one-line messages an operator can act on.

Exception tree::

    StoreError                       base of every error the store raises on purpose
    ├── InvalidDatabaseUrlError      the URL cannot be parsed, or names an unsupported database
    ├── DatabaseUnavailableError     the database cannot be reached (refused, unknown host, bad password)
    ├── MigrationError               Alembic refused a migration command (e.g. an unknown revision)
    └── SchemaMismatchError          the schema is not at the revision this code needs
        ├── SchemaOutdatedError      behind (or empty): run ``tutor db upgrade``
        └── SchemaTooNewError        ahead: written by a newer Torch Tutor

Messages never contain a password: URLs are rendered with ``hide_password=True`` before they get here.
"""

from __future__ import annotations


class StoreError(Exception):
    """An expected failure of the store, with a message fit to print on one line."""


class InvalidDatabaseUrlError(StoreError):
    """The database URL is malformed or names a database Torch Tutor does not support."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"invalid database URL: {reason}")
        self.reason = reason


class DatabaseUnavailableError(StoreError):
    """The database could not be reached."""

    def __init__(self, url_masked: str, reason: str) -> None:
        super().__init__(f"cannot reach the database at {url_masked}: {reason}")
        self.url_masked = url_masked
        self.reason = reason


class MigrationError(StoreError):
    """A migration command failed for a reason Alembic explains (an unknown revision, say)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"migration failed: {reason}")
        self.reason = reason


class SchemaMismatchError(StoreError):
    """The database schema is not at the revision this version of Torch Tutor needs."""

    def __init__(
        self, url_masked: str, message: str, current: tuple[str, ...], head: tuple[str, ...]
    ) -> None:
        super().__init__(f"the database at {url_masked} {message}")
        self.url_masked = url_masked
        self.current = current
        self.head = head


class SchemaOutdatedError(SchemaMismatchError):
    """The schema is behind (or absent): the operator must run ``tutor db upgrade``."""


class SchemaTooNewError(SchemaMismatchError):
    """The schema was migrated by a newer Torch Tutor than this one."""
