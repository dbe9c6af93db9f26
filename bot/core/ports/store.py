"""The store as the core sees it: one session per transaction, its methods grouped by area.

A session offers one repository per area (``session.learners``, ``session.progress``, ``session.runs``,
``session.servers``, ``session.links``, ``session.uploads``, ``session.notebooks``, ``session.reviews``,
``session.course``, ``session.practice``, ``session.activity``, ``session.reminders``, ``session.polls``,
and for the web dashboard ``session.dashboard`` and ``session.insights`` (in ``bot.core.ports.dashboard``);
every call of every area shares the session's one transaction. Adding an area means one protocol here, one
repository in ``bot.store`` and one contract test module in ``tests/store/contract``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date, datetime
from typing import Protocol

from bot.core.ports.dashboard import DashboardAccess, Insights
from bot.core.ports.records import (
    Account,
    BoardEntry,
    CourseCounts,
    DueReminder,
    Learner,
    LessonRating,
    LinkCode,
    NotebookCell,
    PlatformUser,
    PointAward,
    PracticeCard,
    Progress,
    QuizAttempt,
    ReminderSettings,
    Review,
    RunRecord,
    ServerSettings,
    ServerStats,
    Submission,
    UploadedLesson,
)


class Learners(Protocol):
    """Learners and their platform accounts."""

    async def get_or_create(self, user: PlatformUser, *, lock: bool = True) -> Learner:
        """Return the learner behind this platform account, creating both on first contact.

        With ``lock`` (for commands that write) it also locks the learner for the rest of the transaction,
        so that concurrent commands of one learner run one after the other and never lose an update.
        """
        ...

    async def by_id(self, learner_id: int, *, lock: bool = True) -> Learner | None:
        """Return the learner with this id, locked like ``get_or_create``; None if there is none."""
        ...

    async def set_locale(self, learner_id: int, locale: str | None) -> None:
        """Remember the learner's chosen language."""
        ...

    async def set_current_lesson(self, learner_id: int, lesson_id: str | None) -> None:
        """Remember which lesson ``/next`` and ``/back`` act on."""
        ...

    async def accounts(self, learner_id: int) -> list[Account]:
        """Return the learner's platform accounts, oldest link first."""
        ...

    async def forget(self, learner_id: int) -> None:
        """Delete the learner and everything recorded about them."""
        ...


class ProgressRecords(Protocol):
    """Where learners stand in lessons, and what they answered and submitted there."""

    async def get(self, learner_id: int, lesson_id: str) -> Progress | None:
        """Return the learner's progress in one lesson, if started."""
        ...

    async def all(self, learner_id: int) -> list[Progress]:
        """Return the learner's progress in every lesson started, earliest started first."""
        ...

    async def save(self, learner_id: int, progress: Progress) -> None:
        """Insert or update the learner's progress in ``progress.lesson_id``."""
        ...

    async def reset_lesson(self, learner_id: int, lesson_id: str) -> None:
        """Forget progress, attempts, submissions and hints seen of one lesson."""
        ...

    async def add_attempt(self, learner_id: int, attempt: QuizAttempt) -> None:
        """Record one answer."""
        ...

    async def attempts(self, learner_id: int, lesson_id: str) -> list[QuizAttempt]:
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


class Runs(Protocol):
    """Sandbox runs: the record of finished ones, and the claim that lets a learner run one at a time."""

    async def add(self, learner_id: int, run: RunRecord) -> None:
        """Record one finished run (for rate limits and statistics)."""
        ...

    async def count_since(self, learner_id: int, since: datetime) -> int:
        """Count the learner's runs since a moment (inclusive)."""
        ...

    async def claim(self, learner_id: int, token: str, now: datetime, until: datetime) -> bool:
        """Claim the right to run code for the learner until ``until``; False while another claim holds.

        A claim that has expired (its process crashed, say) is taken over, so no learner stays locked out.
        """
        ...

    async def release(self, token: str) -> int | None:
        """End a claim and return the learner holding it now (a merge moves claims); None if it is gone.

        A claim is gone when its learner was forgotten, or merged into one that was running code too.
        """
        ...


class Servers(Protocol):
    """Per-server settings and the statistics their admins see."""

    async def settings(self, platform: str, server_id: str) -> ServerSettings:
        """Return a server's settings (defaults if never set)."""
        ...

    async def save_settings(self, settings: ServerSettings) -> None:
        """Insert or update a server's settings."""
        ...

    async def note_member(self, platform: str, server_id: str, learner_id: int, at: datetime) -> None:
        """Record that the learner used the tutor in this server (for its statistics)."""
        ...

    async def stats(self, platform: str, server_id: str, top: int = 5) -> ServerStats:
        """Return the server's learners per lesson and its ``top`` most-missed questions and stopping points.

        Besides, its learners' ratings per lesson; stopping points are the steps where most of them stand in
        lessons they did not complete.
        """
        ...


class Links(Protocol):
    """One learner across platforms: link codes, merging two learners, detaching an account."""

    async def add_code(self, code: LinkCode) -> None:
        """Store a new one-time link code."""
        ...

    async def code(self, code: str) -> LinkCode | None:
        """Return a link code, used or not, if it exists."""
        ...

    async def claim_code(self, code: str, at: datetime) -> bool:
        """Mark an unused code used; False if it was already used (by a concurrent command, say)."""
        ...

    async def merge(self, source_id: int, into_id: int) -> None:
        """Move every account and record of ``source_id`` to ``into_id`` and delete ``source_id``.

        Per lesson the more advanced progress wins; answers, submissions and runs are all kept.
        """
        ...

    async def detach(self, learner_id: int, user: PlatformUser) -> Learner:
        """Move this account off the learner to a new learner that starts with a copy of their records."""
        ...


class Uploads(Protocol):
    """Lessons uploaded through chat, stored so that every bot process serves them."""

    async def save(self, lesson: UploadedLesson) -> None:
        """Insert or replace an uploaded lesson (keyed by its id)."""
        ...

    async def all(self) -> list[UploadedLesson]:
        """Return every uploaded lesson, enabled or not, by id."""
        ...

    async def set_enabled(self, lesson_id: str, enabled: bool) -> bool:
        """Enable or disable an uploaded lesson; False if there is none with this id."""
        ...

    async def remove(self, lesson_id: str) -> bool:
        """Delete an uploaded lesson; False if there is none with this id."""
        ...


class Notebooks(Protocol):
    """Each learner's notebook: the cells of their free runs that ran, replayed before the next run."""

    async def cells(self, learner_id: int) -> list[NotebookCell]:
        """Return the learner's kept cells, oldest first."""
        ...

    async def add(self, learner_id: int, cell: NotebookCell) -> None:
        """Keep one more cell, after the others."""
        ...

    async def drop(self, learner_id: int, positions: Collection[int]) -> int:
        """Remove the cells at these 0-based positions of ``cells()``; return how many were removed."""
        ...

    async def clear(self, learner_id: int) -> int:
        """Remove every cell of the learner's notebook; return how many there were."""
        ...

    async def used_at(self, learner_id: int) -> datetime | None:
        """Return when the learner last ran code in their notebook; None if never (or forgotten)."""
        ...

    async def touch(self, learner_id: int, at: datetime) -> None:
        """Record that the learner ran code in their notebook at ``at``."""
        ...


class Reviews(Protocol):
    """Learners' ratings (1 to 5 stars) and reviews of lessons, one of each per learner and lesson.

    Review text is kept exactly as written; whoever shows it escapes it. Admins moderate reviews by id:
    featuring puts one on the course card, hiding keeps it from every list but the admins'.
    """

    async def rate(self, learner_id: int, lesson_id: str, stars: int, at: datetime) -> None:
        """Insert or change the learner's rating of a lesson (``stars`` from 1 to 5)."""
        ...

    async def rating(self, learner_id: int, lesson_id: str) -> int | None:
        """Return the learner's rating of a lesson, None if they have not rated it."""
        ...

    async def write(self, learner_id: int, lesson_id: str, text: str, at: datetime) -> Review:
        """Insert or change the learner's review of a lesson and return it.

        Changing the text of a featured review unfeatures it (admins featured the old text); a hidden
        review stays hidden.
        """
        ...

    async def review(self, learner_id: int, lesson_id: str) -> Review | None:
        """Return the learner's review of a lesson, None if they have not written one."""
        ...

    async def get(self, review_id: int) -> Review | None:
        """Return the review with this id, hidden or not; None if there is none."""
        ...

    async def latest(self, limit: int = 10, *, include_hidden: bool = True) -> list[Review]:
        """Return the most recently written or changed reviews, newest first."""
        ...

    async def featured(self, limit: int = 3) -> list[Review]:
        """Return the featured reviews that are not hidden, most recently featured first."""
        ...

    async def set_featured(self, review_id: int, featured: bool, at: datetime) -> bool:
        """Feature a review (it also stops being hidden) or unfeature it; False if there is none."""
        ...

    async def set_hidden(self, review_id: int, hidden: bool) -> bool:
        """Hide a review (it also stops being featured) or show it again; False if there is none."""
        ...

    async def lesson_ratings(self) -> list[LessonRating]:
        """Return every rated lesson's ratings, by lesson id."""
        ...


class CourseStats(Protocol):
    """The course card's counts, computed by the database in one query."""

    async def counts(self, lesson_ids: Sequence[str]) -> CourseCounts:
        """Count learners who started any of these lessons and who completed all of them, and per lesson.

        Per lesson: its learners, completions and ratings (lessons nobody started or rated count zero).
        """
        ...


class PracticeDeck(Protocol):
    """Each learner's deck of questions they answered wrongly, each with its FSRS schedule."""

    async def add(self, learner_id: int, card: PracticeCard) -> bool:
        """Put a question into the learner's deck; False (and no change) if it is there already."""
        ...

    async def get(self, learner_id: int, lesson_id: str, question_id: str) -> PracticeCard | None:
        """Return one card of the learner's deck, None if that question is not in it."""
        ...

    async def due(self, learner_id: int, now: datetime, limit: int = 1) -> list[PracticeCard]:
        """Return up to ``limit`` cards due at ``now``, the longest overdue first."""
        ...

    async def due_count(self, learner_id: int, now: datetime) -> int:
        """Count the learner's cards due at ``now``."""
        ...

    async def next_due(self, learner_id: int) -> datetime | None:
        """Return when the learner's next card falls due, None for an empty deck."""
        ...

    async def asked(self, learner_id: int) -> PracticeCard | None:
        """Return the card most recently asked and not yet answered, if any."""
        ...

    async def save(self, learner_id: int, card: PracticeCard) -> None:
        """Update a card's schedule and counters (keyed by lesson and question id)."""
        ...

    async def remove(self, learner_id: int, lesson_id: str, question_id: str) -> None:
        """Take a question out of the learner's deck (its lesson no longer has it)."""
        ...

    async def size(self, learner_id: int) -> int:
        """Count the cards in the learner's deck."""
        ...


class Activity(Protocol):
    """What counts for streaks (active days) and weekly leaderboards (points), and who hides from boards."""

    async def note_day(self, learner_id: int, day: date) -> None:
        """Record that the learner was active on ``day`` (their local date); once per day."""
        ...

    async def days(self, learner_id: int) -> list[date]:
        """Return the learner's active days, earliest first."""
        ...

    async def award(self, learner_id: int, award: PointAward) -> bool:
        """Give the learner points for one thing done; False (and nothing given) if it earned them before."""
        ...

    async def board(
        self, platform: str, server_id: str, since: datetime, limit: int = 10
    ) -> list[BoardEntry]:
        """Return a server's top ``limit`` learners by points earned since ``since``, hidden ones left out."""
        ...

    async def rank(self, learner_id: int, since: datetime) -> BoardEntry | None:
        """Return the learner's place among every learner not hidden, by points since ``since``.

        None if the learner is hidden or earned no points since then.
        """
        ...

    async def set_hidden(self, learner_id: int, hidden: bool, at: datetime) -> None:
        """Leave the learner out of every board (hidden) or put them back."""
        ...

    async def is_hidden(self, learner_id: int) -> bool:
        """Tell whether the learner chose to be left out of boards."""
        ...


class Reminders(Protocol):
    """Each learner's time zone and daily reminder, and claiming due reminders across bot processes."""

    async def get(self, learner_id: int) -> ReminderSettings:
        """Return the learner's time zone and reminder (UTC and off if never set)."""
        ...

    async def save(self, learner_id: int, settings: ReminderSettings) -> None:
        """Insert or replace the learner's time zone and reminder."""
        ...

    async def due(self, now: datetime, platforms: Sequence[str], limit: int = 50) -> list[DueReminder]:
        """Return reminders on these platforms due at ``now``, the longest overdue first.

        On PostgreSQL the rows are locked, and rows another process has locked are skipped.
        """
        ...

    async def claim(self, learner_id: int, due_at: datetime, next_at: datetime | None, at: datetime) -> bool:
        """Move a reminder due at ``due_at`` on to ``next_at`` (None: turn it off) and record it as sent.

        Only one claim of a reminder due at a given moment succeeds, in whichever process: False when
        another process claimed it first, or it was changed or turned off meanwhile.
        """
        ...

    async def turn_off(self, learner_id: int) -> None:
        """Turn the learner's reminder off, keeping their time zone."""


class Polls(Protocol):
    """Native quiz polls sent on a platform, and the action each of their options stands for."""

    async def remember(self, platform: str, poll_id: str, actions: Sequence[str], at: datetime) -> None:
        """Record the options' actions of a poll just sent."""
        ...

    async def actions(self, platform: str, poll_id: str) -> tuple[str, ...] | None:
        """Return the options' actions of a poll, or None if it is unknown (or forgotten)."""
        ...

    async def forget_before(self, moment: datetime) -> int:
        """Forget the polls sent before ``moment``; return how many."""
        ...


class StoreSession(Protocol):
    """One transaction, committed when the session's block ends normally, seen through its areas."""

    @property
    def learners(self) -> Learners:
        """Learners and accounts."""
        ...

    @property
    def progress(self) -> ProgressRecords:
        """Progress, answers, submissions and hints."""
        ...

    @property
    def runs(self) -> Runs:
        """Sandbox runs and run claims."""
        ...

    @property
    def servers(self) -> Servers:
        """Server settings, members and statistics."""
        ...

    @property
    def links(self) -> Links:
        """Link codes, merges and detaching."""
        ...

    @property
    def uploads(self) -> Uploads:
        """Uploaded lessons."""
        ...

    @property
    def dashboard(self) -> DashboardAccess:
        """Dashboard login links, sessions and signing key."""
        ...

    @property
    def insights(self) -> Insights:
        """What course admins look at on the dashboard, within a scope."""
        ...

    @property
    def notebooks(self) -> Notebooks:
        """Learners' notebook cells."""
        ...

    @property
    def reviews(self) -> Reviews:
        """Ratings and reviews of lessons."""
        ...

    @property
    def course(self) -> CourseStats:
        """The course card's counts."""
        ...

    @property
    def practice(self) -> PracticeDeck:
        """Practice decks of missed questions."""
        ...

    @property
    def activity(self) -> Activity:
        """Active days, points and leaderboards."""
        ...

    @property
    def reminders(self) -> Reminders:
        """Time zones and daily reminders."""

    @property
    def polls(self) -> Polls:
        """Quiz polls sent, for their answers."""
        ...


class Store(Protocol):
    """Opens one session (one short transaction) at a time per task."""

    def session(self) -> AbstractAsyncContextManager[StoreSession]:
        """Open a session; it commits when the block ends normally and rolls back on an exception."""
        ...
