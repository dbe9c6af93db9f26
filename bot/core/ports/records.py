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
class StopPoint:
    """A step of a lesson where ``learners`` of a server stand without having completed the lesson."""

    lesson_id: str
    step_key: str
    step_index: int
    learners: int


@dataclass(frozen=True, slots=True)
class ServerStats:
    """Learning in one server: its learners (seen using the tutor there) and what they did anywhere.

    ``ratings`` are its learners' ratings per lesson; ``stops`` the steps where most of them stand in
    lessons they have not completed.
    """

    learners: int
    lessons: tuple[LessonCount, ...]
    missed: tuple[MissedQuestion, ...]
    ratings: tuple[LessonRating, ...] = ()
    stops: tuple[StopPoint, ...] = ()


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


@dataclass(frozen=True, slots=True)
class LessonRating:
    """How a lesson was rated: ``ratings`` ratings adding up to ``stars`` stars (1 to 5 each)."""

    lesson_id: str
    ratings: int
    stars: int

    @property
    def average(self) -> float | None:
        """Return the average number of stars, None when nobody rated."""
        return self.stars / self.ratings if self.ratings else None


@dataclass(frozen=True, slots=True)
class Review:
    """A learner's review of a lesson as stored: the text exactly as written, never shown unescaped.

    ``author`` is the learner's display name; ``stars`` their rating of the same lesson, if any.
    """

    id: int
    learner_id: int
    lesson_id: str
    text: str
    author: str
    written_at: datetime
    updated_at: datetime
    featured_at: datetime | None = None
    hidden: bool = False
    stars: int | None = None


@dataclass(frozen=True, slots=True)
class LessonTally:
    """One lesson on the course card: learners who started and completed it, and its ratings."""

    lesson_id: str
    started: int
    completed: int
    ratings: int
    stars: int

    @property
    def average(self) -> float | None:
        """Return the average number of stars, None when nobody rated."""
        return self.stars / self.ratings if self.ratings else None


@dataclass(frozen=True, slots=True)
class CourseCounts:
    """The course card's counts: learners who started any lesson, who completed every one, and per lesson."""

    started: int
    completed: int
    lessons: tuple[LessonTally, ...]

    @property
    def ratings(self) -> int:
        """Return how many ratings the course's lessons have."""
        return sum(tally.ratings for tally in self.lessons)

    @property
    def average(self) -> float | None:
        """Return the average rating over every lesson's ratings, None when nobody rated."""
        ratings = self.ratings
        return sum(tally.stars for tally in self.lessons) / ratings if ratings else None


@dataclass(frozen=True, slots=True)
class PracticeCard:
    """A missed question in a learner's practice deck, with its FSRS schedule.

    ``state`` is FSRS's (1 learning, 2 review, 3 relearning), ``step`` its learning step; ``asked_at`` is
    set while the question is asked and not yet answered.
    """

    lesson_id: str
    question_id: str
    due: datetime
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    last_review: datetime | None
    added_at: datetime
    reviews: int = 0
    lapses: int = 0
    asked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PointAward:
    """Points for one thing done, earned once: ``kind`` is step, answer or exercise, ``item_id`` its id."""

    kind: str
    lesson_id: str
    item_id: str
    points: int
    at: datetime


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """A learner's place on a weekly board: 1-based ``rank`` by ``points``."""

    learner_id: int
    name: str
    points: int
    rank: int


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    """A learner's clock: their time zone (IANA name) and their daily reminder, if on.

    ``minute`` is the local minute of the day to remind at (None: off), sent to the account
    ``platform``/``user_id``; ``next_at`` is when it is next due.
    """

    time_zone: str = "UTC"
    minute: int | None = None
    platform: str | None = None
    user_id: str | None = None
    next_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder whose moment has come, for the scheduler to claim and send."""

    learner_id: int
    settings: ReminderSettings
