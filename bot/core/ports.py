"""The small interfaces the tutor core talks through, and the records that cross them.

The core never imports a database, chat or torch library: the store, the catalog and the sandbox are
passed in as objects satisfying these protocols (fakes in tests, the real ones from the entry point).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.curriculum.catalog import Catalog
from bot.curriculum.overlay import UploadSource
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


@dataclass(frozen=True, slots=True)
class UploadedLesson:
    """A lesson file uploaded through an admin command; stored so that every bot process serves it."""

    lesson_id: str
    source: str  # the YAML text
    filename: str
    uploaded_by: str  # "platform:user_id"
    uploaded_at: datetime
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class LessonCount:
    """How many of a server's learners started and completed one lesson."""

    lesson_id: str
    started: int
    completed: int


@dataclass(frozen=True, slots=True)
class MissedQuestion:
    """A question a server's learners answered wrongly ``wrong`` times out of ``answers``."""

    lesson_id: str
    question_id: str
    wrong: int
    answers: int


@dataclass(frozen=True, slots=True)
class ServerStats:
    """Learning in one server: its learners (seen using the tutor there) and what they did anywhere."""

    learners: int
    lessons: tuple[LessonCount, ...]
    missed: tuple[MissedQuestion, ...]


@dataclass(frozen=True, slots=True)
class Account:
    """One platform account of a learner."""

    platform: str
    user_id: str
    display_name: str
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class LinkCode:
    """A one-time code that joins an account on another platform to the learner who asked for it."""

    code: str
    learner_id: int
    platform: str  # where it was issued; it is typed on another platform
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class StoreSession(Protocol):
    """The store as seen by one command: every call shares one transaction, committed at the end."""

    async def learner(self, user: PlatformUser, *, lock: bool = True) -> Learner:
        """Return the learner behind this platform account, creating both on first contact.

        With ``lock`` (for commands that write) it also locks the learner for the rest of the transaction,
        so that concurrent commands of one learner run one after the other and never lose an update.
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

    async def note_server_member(self, platform: str, server_id: str, learner_id: int, at: datetime) -> None:
        """Record that the learner used the tutor in this server (for its statistics)."""
        ...

    async def server_stats(self, platform: str, server_id: str, top: int = 5) -> ServerStats:
        """Return the server's learners per lesson and its ``top`` most-missed questions."""
        ...

    async def save_uploaded_lesson(self, lesson: UploadedLesson) -> None:
        """Insert or replace an uploaded lesson (keyed by its id)."""
        ...

    async def uploaded_lessons(self) -> list[UploadedLesson]:
        """Return every uploaded lesson, enabled or not, by id."""
        ...

    async def set_uploaded_lesson_enabled(self, lesson_id: str, enabled: bool) -> bool:
        """Enable or disable an uploaded lesson; False if there is none with this id."""
        ...

    async def remove_uploaded_lesson(self, lesson_id: str) -> bool:
        """Delete an uploaded lesson; False if there is none with this id."""
        ...

    async def accounts(self, learner_id: int) -> list[Account]:
        """Return the learner's platform accounts, oldest link first."""
        ...

    async def add_link_code(self, code: LinkCode) -> None:
        """Store a new one-time link code."""
        ...

    async def link_code(self, code: str) -> LinkCode | None:
        """Return a link code, used or not, if it exists."""
        ...

    async def claim_link_code(self, code: str, at: datetime) -> bool:
        """Mark an unused code used; False if it was already used (by a concurrent command, say)."""
        ...

    async def merge_learners(self, source_id: int, into_id: int) -> None:
        """Move every account and record of ``source_id`` to ``into_id`` and delete ``source_id``.

        Per lesson the more advanced progress wins; answers, submissions and runs are all kept.
        """
        ...

    async def detach_account(self, learner_id: int, user: PlatformUser) -> Learner:
        """Move this account off the learner to a new learner that starts with a copy of their records."""
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

    def set_uploads(self, uploads: Sequence[UploadSource]) -> list[Problem]:
        """Lay uploaded lessons over the folders' lessons; serve the valid ones, return the problems."""
        ...
