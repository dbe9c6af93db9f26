"""The small interfaces the tutor core talks through, and the records that cross them.

The core never imports a database, chat or torch library: the store, the catalog and the sandbox are
passed in as objects satisfying these protocols (fakes in tests, the real ones from the entry point).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.curriculum.catalog import Catalog
from bot.curriculum.problems import Problem


@dataclass(frozen=True, slots=True)
class PlatformUser:
    """Who sent a command, as the platform knows them."""

    platform: str  # "console" | "discord" | "telegram"
    user_id: str
    display_name: str
    locale_hint: str | None = None  # the client's locale, e.g. "zh-CN", "en-US"


@dataclass(frozen=True, slots=True)
class Learner:
    """One person, possibly with several linked platform accounts."""

    id: int
    display_name: str
    locale: str | None  # chosen with /lang; None until chosen
    current_lesson: str | None


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a learner stands in one lesson; ``step_key`` is the step's id, or its index if it has none."""

    lesson_id: str
    lesson_version: int
    step_key: str
    step_index: int
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class QuizAttempt:
    """One answer to a quiz or numeric question."""

    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Submission:
    """One graded exercise submission; ``status`` is the sandbox run status."""

    lesson_id: str
    exercise_id: str
    status: str
    passed: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Per-server (Discord guild, Telegram group) settings set by its admins."""

    platform: str
    server_id: str
    locale: str | None = None
    allowed_channels: frozenset[str] = frozenset()  # empty: every channel
    sandbox_enabled: bool = True
    lessons_in_dm: bool = False


class StoreSession(Protocol):
    """The store as seen by one command: every call shares one transaction, committed at the end."""

    async def learner(self, user: PlatformUser) -> Learner:
        """Return the learner behind this platform account, creating both on first contact.

        Also locks the learner for the rest of the transaction, so that concurrent commands of one
        learner run one after the other and never lose an update.
        """
        ...

    async def set_locale(self, learner_id: int, locale: str | None) -> None:
        """Remember the learner's chosen language."""
        ...

    async def set_current_lesson(self, learner_id: int, lesson_id: str | None) -> None:
        """Remember which lesson ``/next`` and ``/back`` act on."""
        ...

    async def progress(self, learner_id: int, lesson_id: str) -> Progress | None:
        """Return the learner's progress in one lesson, if started."""
        ...

    async def all_progress(self, learner_id: int) -> list[Progress]:
        """Return the learner's progress in every lesson started."""
        ...

    async def save_progress(self, learner_id: int, progress: Progress) -> None:
        """Insert or update the learner's progress in ``progress.lesson_id``."""
        ...

    async def reset_lesson(self, learner_id: int, lesson_id: str) -> None:
        """Forget progress, attempts, submissions and hints seen of one lesson."""
        ...

    async def add_quiz_attempt(self, learner_id: int, attempt: QuizAttempt) -> None:
        """Record one answer."""
        ...

    async def quiz_attempts(self, learner_id: int, lesson_id: str) -> list[QuizAttempt]:
        """Return the learner's answers in one lesson, oldest first."""
        ...

    async def add_submission(self, learner_id: int, submission: Submission) -> None:
        """Record one exercise submission."""
        ...

    async def submissions(self, learner_id: int, lesson_id: str, exercise_id: str) -> list[Submission]:
        """Return the learner's submissions for one exercise, oldest first."""
        ...

    async def next_hint(self, learner_id: int, lesson_id: str, exercise_id: str, available: int) -> int:
        """Return the 0-based hint to show now (the next unseen one, else the last) and count it as seen."""
        ...

    async def add_run(self, learner_id: int, status: str, duration_ms: float, at: datetime) -> None:
        """Record one sandbox run (for rate limits and statistics)."""
        ...

    async def runs_since(self, learner_id: int, since: datetime) -> int:
        """Count the learner's runs since a moment."""
        ...

    async def server_settings(self, platform: str, server_id: str) -> ServerSettings:
        """Return a server's settings (defaults if never set)."""
        ...

    async def save_server_settings(self, settings: ServerSettings) -> None:
        """Insert or update a server's settings."""
        ...

    async def forget_learner(self, learner_id: int) -> None:
        """Delete the learner and everything recorded about them."""
        ...


class Store(Protocol):
    """Opens one session (one transaction) per command."""

    def session(self) -> AbstractAsyncContextManager[StoreSession]:
        """Open a session; it commits when the block ends normally and rolls back on an exception."""
        ...


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
