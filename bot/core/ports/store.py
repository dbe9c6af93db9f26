"""The store as the core sees it: one session per transaction, its methods grouped by area.

A session offers one repository per area (``session.learners``, ``session.progress``, ``session.runs``,
``session.servers``, ``session.links``, ``session.uploads``, ``session.polls``); every call of every area
shares the session's one transaction. Adding an area means one protocol here, one repository in
``bot.store`` and one contract test module in ``tests/store/contract``.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from bot.core.ports.records import (
    Account,
    Learner,
    LinkCode,
    PlatformUser,
    Progress,
    QuizAttempt,
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
        """Return the server's learners per lesson and its ``top`` most-missed questions."""
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
    def polls(self) -> Polls:
        """Quiz polls sent, for their answers."""
        ...


class Store(Protocol):
    """Opens one session (one short transaction) at a time per task."""

    def session(self) -> AbstractAsyncContextManager[StoreSession]:
        """Open a session; it commits when the block ends normally and rolls back on an exception."""
        ...
