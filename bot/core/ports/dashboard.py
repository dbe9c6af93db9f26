"""The web dashboard's side of the store: login links and sessions, and the read model of learning.

Two areas of a store session: ``dashboard`` (``DashboardAccess``: the one-time login links chat hands out,
the sessions they open, and the key that signs them, so that any bot process can redeem a link another one
issued) and ``insights`` (``Insights``: what a course admin looks at, always within a ``Scope``). The
dashboard shows nothing of a learner beyond their display name and progress; a forgotten learner's rows
are gone from every query, as the foreign keys cascade.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.core.ports.records import LessonRating, Review

EVERYONE_KEY = "all"


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose learners a dashboard session sees: one server's (a platform and a server id), or everyone's."""

    platform: str | None = None
    server_id: str | None = None

    def __post_init__(self) -> None:
        if (self.platform is None) != (self.server_id is None):
            raise ValueError("a server scope needs both a platform and a server id")

    @property
    def everyone(self) -> bool:
        """Return whether the scope is every learner (a lesson admin's)."""
        return self.platform is None

    @property
    def key(self) -> str:
        """Return the scope as one string: ``all``, or ``platform:server_id``."""
        return EVERYONE_KEY if self.platform is None else f"{self.platform}:{self.server_id}"

    @classmethod
    def parse(cls, key: str) -> Scope | None:
        """Return the scope a ``key`` names, or None if it names none."""
        if key == EVERYONE_KEY:
            return cls()
        platform, colon, server_id = key.partition(":")
        if not colon or not platform.isalpha() or not server_id or len(server_id) > 64:
            return None
        return cls(platform, server_id)


EVERYONE = Scope()


@dataclass(frozen=True, slots=True)
class DashboardGrant:
    """What a login link (and the session it opens) allows: whose data, for whom, in which language.

    ``admin`` is ``platform:user_id`` of whoever asked; ``moderate`` lets the session feature and hide
    reviews (lesson admins: reviews show to every server).
    """

    scope: Scope
    admin: str
    admin_name: str
    locale: str
    moderate: bool = False


@dataclass(frozen=True, slots=True)
class DashboardLogin:
    """A one-time login link, known to the store only by the hash of its token."""

    token_hash: str
    grant: DashboardGrant
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DashboardSession:
    """A signed-in browser, known to the store only by the hash of its cookie."""

    session_hash: str
    grant: DashboardGrant
    created_at: datetime
    expires_at: datetime


class DashboardAccess(Protocol):
    """Login links, the sessions they open, and the dashboard's signing key."""

    async def signing_key(self) -> bytes:
        """Return the key that signs login links and forms, made once and shared by every process."""
        ...

    async def add_login(self, login: DashboardLogin) -> None:
        """Store a new login link."""
        ...

    async def login(self, token_hash: str) -> DashboardLogin | None:
        """Return a login link, used or not, if it exists."""
        ...

    async def redeem_login(self, token_hash: str, at: datetime) -> DashboardLogin | None:
        """Mark an unused, unexpired link used and return it; None if it is used, expired or unknown."""
        ...

    async def open_session(self, session: DashboardSession) -> None:
        """Store a new session."""
        ...

    async def session(self, session_hash: str, at: datetime) -> DashboardSession | None:
        """Return the session if it exists and has not expired at ``at``."""
        ...

    async def set_session_locale(self, session_hash: str, locale: str) -> None:
        """Change the language a session's pages are shown in."""
        ...

    async def close_session(self, session_hash: str) -> None:
        """End a session (log out)."""
        ...

    async def purge(self, before: datetime) -> int:
        """Delete links and sessions that expired before ``before``; return how many."""
        ...


@dataclass(frozen=True, slots=True)
class Activity:
    """How many learners a scope has, and how many were active on or after two days.

    A learner is active on a day that counts for their streak: they completed a step, answered a question
    or passed an exercise (on their own calendar).
    """

    learners: int
    active_today: int
    active_week: int


@dataclass(frozen=True, slots=True)
class RunHour:
    """How many runs of one status started in the hour beginning at ``hour``."""

    hour: datetime
    status: str
    runs: int


@dataclass(frozen=True, slots=True)
class LessonReach:
    """How many learners of a scope started and completed one lesson."""

    lesson_id: str
    started: int
    completed: int


@dataclass(frozen=True, slots=True)
class FurthestStep:
    """How many learners got no further than step ``index`` (0-based) of a lesson.

    ``completed`` counts those of them who completed the lesson all the same.
    """

    index: int
    learners: int
    completed: int


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """Answers to one question in a scope; ``top_wrong`` is the wrong answer given most often.

    Quiz answers are option numbers from 1, as shown; numeric answers are the number given.
    """

    lesson_id: str
    question_id: str
    answers: int
    wrong: int
    learners: int
    top_wrong: str | None = None
    top_wrong_count: int = 0


@dataclass(frozen=True, slots=True)
class LessonState:
    """Where one learner stands in one lesson: the current step, the furthest reached, completion."""

    lesson_id: str
    step_index: int
    furthest_index: int
    completed: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class LearnerSummary:
    """One learner as the dashboard shows them: their display name and their progress, nothing else."""

    learner_id: int
    display_name: str
    lessons: tuple[LessonState, ...]


@dataclass(frozen=True, slots=True)
class LearnerPage:
    """One page of a scope's learners matching a search, and how many match in all."""

    total: int
    learners: tuple[LearnerSummary, ...]


@dataclass(frozen=True, slots=True)
class ReviewPage:
    """One page of a scope's reviews, newest first, and how many there are in all (hidden ones too)."""

    total: int
    reviews: tuple[Review, ...]


@dataclass(frozen=True, slots=True)
class Streak:
    """A learner's current streak: consecutive active days up to today or yesterday."""

    learner_id: int
    display_name: str
    days: int


@dataclass(frozen=True, slots=True)
class Streaks:
    """How many of a scope's learners are on a streak, and the longest current streaks."""

    on_streak: int
    longest: tuple[Streak, ...]


class Insights(Protocol):
    """What course admins look at, always within a scope (one server's learners, or everyone's)."""

    async def activity(self, scope: Scope, today: date, week: date) -> Activity:
        """Count the scope's learners and those active on or after ``today`` and ``week``."""
        ...

    async def runs_by_hour(self, scope: Scope, since: datetime) -> list[RunHour]:
        """Count the scope's runs since a moment by hour (UTC) and status, oldest hour first."""
        ...

    async def lessons(self, scope: Scope) -> list[LessonReach]:
        """Count, per lesson, the scope's learners who started and who completed it."""
        ...

    async def furthest_steps(self, scope: Scope, lesson_id: str) -> list[FurthestStep]:
        """Count the scope's learners of one lesson by the furthest step they reached, by step."""
        ...

    async def questions(self, scope: Scope, lesson_id: str | None = None) -> list[QuestionStats]:
        """Return answer statistics of every question answered in one lesson (None: every lesson)."""
        ...

    async def learners(self, scope: Scope, search: str, offset: int, limit: int) -> LearnerPage:
        """Return the scope's learners whose display name contains ``search`` (any case), by name."""
        ...

    async def learner(self, scope: Scope, learner_id: int) -> LearnerSummary | None:
        """Return one learner of the scope; None if there is none, or they are not in the scope."""
        ...

    async def every_learner(self, scope: Scope) -> list[LearnerSummary]:
        """Return every learner of the scope with their progress, by id (for exports)."""
        ...

    async def reviews(self, scope: Scope, offset: int, limit: int) -> ReviewPage:
        """Return a page of the reviews the scope's learners wrote, hidden ones too, newest first."""
        ...

    async def ratings(self, scope: Scope) -> list[LessonRating]:
        """Return the ratings the scope's learners gave, per lesson."""
        ...

    async def streaks(self, scope: Scope, today: date, top: int = 5, horizon: int = 90) -> Streaks:
        """Count the scope's learners on a streak (active today or yesterday) and return the ``top`` longest.

        Only the last ``horizon`` days count, so a streak is at most that long.
        """
        ...
