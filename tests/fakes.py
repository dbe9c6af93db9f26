"""Fakes at our own seams: a scripted sandbox, a catalog held in memory and a clock that moves when told.

The store has no fake: tests use the real SQL store on a fresh SQLite file (``tests/db.py``), so locking,
merging and statistics are the production code's.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.curriculum.catalog import Catalog, UploadCheck, UploadSource
from bot.curriculum.model import Lesson
from bot.curriculum.overlay import check_upload, overlay
from bot.curriculum.problems import Problem
from sandbox.result import CheckResult, FigureImage, RunRequest, RunResult, Status


def ok(**changes: object) -> RunResult:
    """Return a successful run result."""
    return RunResult(status=Status.OK, duration_ms=3.0).with_changes(**changes)


class FakeSandbox:
    """Returns scripted results (or what ``script`` computes) and records every request."""

    def __init__(self, script: Callable[[RunRequest], RunResult] | None = None) -> None:
        self.requests: list[RunRequest] = []
        self.queued: deque[RunResult | Exception] = deque()
        self.script = script
        self.closed = False

    def will_return(self, *results: RunResult | Exception) -> None:
        self.queued.extend(results)

    async def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        if self.queued:
            item = self.queued.popleft()
            if isinstance(item, Exception):
                raise item
            return item
        if self.script is not None:
            return self.script(request)
        if request.check is not None:
            return ok(check=CheckResult(passed=True))
        return ok()

    async def aclose(self) -> None:
        self.closed = True


class FakeCatalogSource:
    """A catalog held in memory; tests swap its lessons to simulate an edit."""

    def __init__(self, lessons: Iterable[Lesson] = ()) -> None:
        self.catalog = self.base = Catalog(tuple(lessons))
        self.problems: list[Problem] = []
        self.reloads = 0
        self.uploads: list[UploadSource] = []
        self.files: dict[str, Path] = {}

    def current(self) -> Catalog:
        return self.catalog

    def replace(self, lessons: Iterable[Lesson]) -> None:
        self.catalog = self.base = Catalog(tuple(lessons))

    def reload(self) -> list[Problem]:
        self.reloads += 1
        return list(self.problems)

    def validate(self) -> list[Problem]:
        return list(self.problems)

    def set_uploads(self, uploads: Sequence[UploadSource]) -> list[Problem]:
        """Lay uploads over the folders' lessons as ``LessonLibrary`` does."""
        self.uploads = list(uploads)
        self.catalog, problems = overlay(self.base, uploads)
        return problems

    def check_upload(self, upload: UploadSource, base: Catalog) -> UploadCheck:
        """Check an upload as ``LessonLibrary`` does."""
        return check_upload(upload.text, upload.filename, base)

    def lesson_file(self, lesson_id: str) -> Path | None:
        """Return the file a test gave for a lesson (in ``files``), as ``LessonLibrary`` does."""
        return self.files.get(lesson_id)


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def png(width: int = 64, height: int = 48, marker: bytes = b"") -> bytes:
    """Return a small valid PNG of that size (grey), with ``marker`` in a text chunk to tell images apart."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    text = chunk(b"tEXt", b"marker\x00" + marker) if marker else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + text
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def figure(image: bytes) -> FigureImage:
    """Return a run result's figure holding ``image``."""
    return FigureImage("png", 64, 48, base64.b64encode(image).decode())
