"""The lesson catalog as the core sees it: the lessons in force, reloads and uploaded lessons."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from bot.curriculum.catalog import Catalog, UploadCheck, UploadSource
from bot.curriculum.problems import Problem


class CatalogSource(Protocol):
    """Holds the current lesson catalog and reloads it without a restart."""

    def current(self) -> Catalog:
        """Return the catalog in force (the last one that loaded without problems)."""
        ...

    def reload(self) -> list[Problem]:
        """Load the lesson folders again; on problems keep the current catalog and return them."""
        ...

    def validate(self) -> list[Problem]:
        """Check the lesson folders as they are now without changing the catalog in force."""
        ...

    def set_uploads(self, uploads: Sequence[UploadSource]) -> list[Problem]:
        """Lay uploaded lessons over the folders' lessons; serve the valid ones, return the problems."""
        ...

    def check_upload(self, upload: UploadSource, base: Catalog) -> UploadCheck:
        """Check one uploaded lesson file as it would join ``base``, without serving it."""
        ...

    def lesson_file(self, lesson_id: str) -> Path | None:
        """Return the lesson folder file a lesson was loaded from (None for one only uploaded)."""
        ...
