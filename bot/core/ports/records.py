"""The records that cross the core's interfaces: frozen values, in and out of the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One sandbox run as kept for rate limits and statistics; ``status`` is the result status."""

    status: str
    duration_ms: float
    at: datetime


@dataclass(frozen=True, slots=True)
class NotebookCell:
    """One kept cell of a learner's notebook: code that ran, the seed it ran with and its CPU time."""

    code: str
    seed: int
    cpu_ms: float
    created_at: datetime
