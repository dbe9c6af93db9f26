"""Fakes at our own seams: an in-memory store, a scripted sandbox and a catalog held in memory.

They implement the protocols of ``bot.core.ports`` and ``sandbox.client`` the way the real parts must,
including a store session that rolls back when its block raises.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bot.core.ports import (
    Learner,
    LinkCode,
    PlatformUser,
    Progress,
    QuizAttempt,
    ServerSettings,
    Submission,
    UploadedLesson,
)
from bot.curriculum.catalog import Catalog
from bot.curriculum.model import Lesson
from bot.curriculum.overlay import UploadSource, overlay
from bot.curriculum.problems import Problem
from sandbox.result import CheckResult, RunRequest, RunResult, Status
from tests.fake_linking import FakeLinking
from tests.fake_server_admin import FakeServerAdmin


@dataclass
class _State:
    next_id: int = 1
    accounts: dict[tuple[str, str], int] = field(default_factory=dict)
    learners: dict[int, Learner] = field(default_factory=dict)
    progress: dict[tuple[int, str], Progress] = field(default_factory=dict)
    attempts: list[tuple[int, QuizAttempt]] = field(default_factory=list)
    submissions: list[tuple[int, Submission]] = field(default_factory=list)
    runs: list[tuple[int, str, float, datetime]] = field(default_factory=list)
    servers: dict[tuple[str, str], ServerSettings] = field(default_factory=dict)
    hints: dict[tuple[int, str, str], int] = field(default_factory=dict)
    members: dict[tuple[str, str, int], datetime] = field(default_factory=dict)
    uploads: dict[str, UploadedLesson] = field(default_factory=dict)
    link_codes: dict[str, LinkCode] = field(default_factory=dict)


class FakeSession(FakeServerAdmin, FakeLinking):
    """One transaction over the fake store's state."""

    def __init__(self, state: _State) -> None:
        self._s = state

    async def learner(self, user: PlatformUser, *, lock: bool = True) -> Learner:
        key = (user.platform, user.user_id)
        if key not in self._s.accounts:
            learner = Learner(
                id=self._s.next_id, display_name=user.display_name, locale=None, current_lesson=None
            )
            self._s.next_id += 1
            self._s.accounts[key] = learner.id
            self._s.learners[learner.id] = learner
        return self._s.learners[self._s.accounts[key]]

    async def set_locale(self, learner_id: int, locale: str | None) -> None:
        self._s.learners[learner_id] = replace(self._s.learners[learner_id], locale=locale)

    async def set_current_lesson(self, learner_id: int, lesson_id: str | None) -> None:
        self._s.learners[learner_id] = replace(self._s.learners[learner_id], current_lesson=lesson_id)

    async def progress(self, learner_id: int, lesson_id: str) -> Progress | None:
        return self._s.progress.get((learner_id, lesson_id))

    async def all_progress(self, learner_id: int) -> list[Progress]:
        return [p for (lid, _), p in self._s.progress.items() if lid == learner_id]

    async def save_progress(self, learner_id: int, progress: Progress) -> None:
        self._s.progress[(learner_id, progress.lesson_id)] = progress

    async def reset_lesson(self, learner_id: int, lesson_id: str) -> None:
        self._s.progress.pop((learner_id, lesson_id), None)
        self._s.hints = {k: v for k, v in self._s.hints.items() if k[:2] != (learner_id, lesson_id)}
        self._s.attempts = [
            (who, a) for who, a in self._s.attempts if not (who == learner_id and a.lesson_id == lesson_id)
        ]
        self._s.submissions = [
            (who, s) for who, s in self._s.submissions if not (who == learner_id and s.lesson_id == lesson_id)
        ]

    async def add_quiz_attempt(self, learner_id: int, attempt: QuizAttempt) -> None:
        self._s.attempts.append((learner_id, attempt))

    async def quiz_attempts(self, learner_id: int, lesson_id: str) -> list[QuizAttempt]:
        return [a for who, a in self._s.attempts if who == learner_id and a.lesson_id == lesson_id]

    async def add_submission(self, learner_id: int, submission: Submission) -> None:
        self._s.submissions.append((learner_id, submission))

    async def submissions(self, learner_id: int, lesson_id: str, exercise_id: str) -> list[Submission]:
        return [
            s
            for who, s in self._s.submissions
            if who == learner_id and s.lesson_id == lesson_id and s.exercise_id == exercise_id
        ]

    async def add_run(self, learner_id: int, status: str, duration_ms: float, at: datetime) -> None:
        self._s.runs.append((learner_id, status, duration_ms, at))

    async def runs_since(self, learner_id: int, since: datetime) -> int:
        return sum(1 for who, _, _, at in self._s.runs if who == learner_id and at >= since)

    async def server_settings(self, platform: str, server_id: str) -> ServerSettings:
        return self._s.servers.get((platform, server_id), ServerSettings(platform, server_id))

    async def save_server_settings(self, settings: ServerSettings) -> None:
        self._s.servers[(settings.platform, settings.server_id)] = settings

    async def next_hint(self, learner_id: int, lesson_id: str, exercise_id: str, available: int) -> int:
        key = (learner_id, lesson_id, exercise_id)
        shown = min(self._s.hints.get(key, 0), available - 1)
        self._s.hints[key] = shown + 1
        return shown

    async def forget_learner(self, learner_id: int) -> None:
        self._s.accounts = {k: v for k, v in self._s.accounts.items() if v != learner_id}
        self._s.learners.pop(learner_id, None)
        self._s.progress = {k: v for k, v in self._s.progress.items() if k[0] != learner_id}
        self._s.attempts = [(who, a) for who, a in self._s.attempts if who != learner_id]
        self._s.submissions = [(who, s) for who, s in self._s.submissions if who != learner_id]
        self._s.runs = [r for r in self._s.runs if r[0] != learner_id]
        self._s.hints = {k: v for k, v in self._s.hints.items() if k[0] != learner_id}
        self._s.members = {k: v for k, v in self._s.members.items() if k[2] != learner_id}


class FakeStore:
    """An in-memory store; a session's changes vanish if its block raises, like a rolled-back transaction."""

    def __init__(self) -> None:
        self.state = _State()
        self.sessions_opened = 0

    async def ping(self) -> None:
        """Answer, as a reachable database does (readiness checks)."""

    @asynccontextmanager
    async def session(self) -> AsyncIterator[FakeSession]:
        self.sessions_opened += 1
        before = copy.deepcopy(self.state)
        try:
            yield FakeSession(self.state)
        except BaseException:
            self.state = before
            raise


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


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2025, 1, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
