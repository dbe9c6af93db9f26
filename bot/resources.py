"""Find the files shipped with the package: lessons, migrations and the Alembic configuration.

In a wheel they live under ``bot/_data``; in a source checkout (editable install) at the repository's top.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _locate(name: str) -> Path:
    """Return the packaged copy of ``name`` if present, else the source checkout's."""
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.exists():
        return packaged
    return _PACKAGE_DIR.parent / name


def shipped_lessons_dir() -> Path:
    """Return the folder of the lessons that ship with Torch Tutor."""
    return _locate("lessons")


def migrations_dir() -> Path:
    """Return the Alembic migrations folder."""
    return _locate("migrations")


def alembic_ini() -> Path:
    """Return the Alembic configuration file."""
    return _locate("alembic.ini")


def lesson_dirs(configured: Sequence[Path], extra: Sequence[Path] = ()) -> list[Path]:
    """Return the lesson folders to serve: the configured ones (else the shipped lessons'), then ``extra``."""
    return [*(configured or [shipped_lessons_dir()]), *extra]
