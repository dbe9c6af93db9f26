"""Store tests run on every backend: ``store`` here is the root conftest's ``backend_store``."""

from __future__ import annotations

import pytest

from bot.store import SqlStore


@pytest.fixture
def store(backend_store: SqlStore) -> SqlStore:
    """Open the store on a fresh, migrated database of each backend."""
    return backend_store
