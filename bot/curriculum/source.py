"""The lesson library: the catalog in force, reloaded from the lesson folders without a restart.

At construction the library serves every valid lesson even if some files have problems (a typo in one
lesson must not keep the bot from starting); the problems are logged as errors and kept in
``startup_problems``. After that, ``reload`` is all or nothing: any problem keeps the catalog in force.

Lessons uploaded through chat live in the database; whoever reads them from there hands them to
``set_uploads``, and they overlay the folders' lessons (``bot.curriculum.overlay``) until the next call.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.curriculum.catalog import Catalog, UploadCheck, UploadSource
from bot.curriculum.loader import LoadReport, lesson_files, load_lessons
from bot.curriculum.overlay import check_upload, overlay
from bot.curriculum.problems import Problem
from bot.languages import LANGUAGES

log = logging.getLogger(__name__)


class LessonLibrary:
    """Hold the current catalog of the configured lesson folders; implements ``CatalogSource``."""

    def __init__(self, dirs: Sequence[Path], languages: Sequence[str] = LANGUAGES) -> None:
        self.dirs = list(dirs)
        self.languages = tuple(languages)
        self._reload_lock = threading.Lock()
        report = self._load()
        self._base = report.catalog  # the folders' lessons alone
        self._files = _files_of(report)
        self._uploads: tuple[UploadSource, ...] = ()
        self._catalog = report.catalog
        self.startup_problems: list[Problem] = report.problems
        self._stamp = self._mtimes()
        for problem in report.problems:
            log.error("lesson problem (lesson not served): %s", problem)
        log.info("loaded %d lessons from %s", len(report.catalog.lessons), ", ".join(map(str, self.dirs)))

    def current(self) -> Catalog:
        """Return the catalog in force (the last one that loaded without problems)."""
        # Reading one attribute is atomic; a reload swaps in a whole new immutable Catalog.
        return self._catalog

    def reload(self) -> list[Problem]:
        """Load the lesson folders again; on problems keep the current catalog and return them."""
        with self._reload_lock:
            self._stamp = self._mtimes()
            report = self._load()
            if report.problems:
                log.warning(
                    "lesson reload refused: %d problem(s); keeping the catalog in force", len(report.problems)
                )
                return report.problems
            catalog, problems = overlay(report.catalog, self._uploads, self.languages)
            if problems:
                log.warning("lesson reload refused: %d problem(s) with uploaded lessons", len(problems))
                return problems
            self._base, self._catalog = report.catalog, catalog
            self._files = _files_of(report)
            log.info("lessons reloaded: %d lessons", len(catalog.lessons))
            return []

    def set_uploads(self, uploads: Sequence[UploadSource]) -> list[Problem]:
        """Lay these uploaded lessons over the folders' lessons; serve the valid ones, return the problems."""
        with self._reload_lock:
            catalog, problems = overlay(self._base, uploads, self.languages)
            self._uploads, self._catalog = tuple(uploads), catalog
        for problem in problems:
            log.error("uploaded lesson problem (lesson not served): %s", problem)
        return problems

    def check_upload(self, upload: UploadSource, base: Catalog) -> UploadCheck:
        """Check one uploaded lesson file as it would join ``base``, without serving it."""
        return check_upload(upload.text, upload.filename, base, self.languages)

    def lesson_file(self, lesson_id: str) -> Path | None:
        """Return the lesson folder file a lesson was loaded from (None for one only uploaded)."""
        return self._files.get(lesson_id)

    def validate(self, extra_paths: Sequence[Path] | None = None) -> list[Problem]:
        """Check the lesson folders, or ``extra_paths`` together with them, without changing the catalog."""
        return self.check(extra_paths).problems

    def check(self, extra_paths: Sequence[Path] | None = None) -> LoadReport:
        """Load like ``validate`` and return the whole report (catalog, problems, sources)."""
        if not extra_paths:
            return self._load()
        return load_lessons(extra_paths, self.languages, context=self.dirs)

    async def watch(self, interval: float = 2.0) -> None:
        """Reload whenever a lesson file changes (polling modification times) until cancelled."""
        while True:
            await asyncio.sleep(interval)
            stamp = await asyncio.to_thread(self._mtimes)
            if stamp == self._stamp:
                continue
            problems = await asyncio.to_thread(self.reload)
            for problem in problems:
                log.error("lesson problem (edit not applied): %s", problem)

    def _load(self) -> LoadReport:
        return load_lessons(self.dirs, self.languages)

    def _mtimes(self) -> dict[Path, float]:
        files, _ = lesson_files(self.dirs)
        stamp: dict[Path, float] = {}
        for file in files:
            try:
                stamp[file] = file.stat().st_mtime
            except OSError:
                continue
        return stamp


def _files_of(report: LoadReport) -> dict[str, Path]:
    """Return each valid lesson's file, by lesson id."""
    return {lesson_id: Path(loaded.path) for lesson_id, loaded in report.sources.items()}
