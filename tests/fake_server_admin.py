"""The fake store's part for server admins: members, statistics and uploaded lessons, in memory."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core.ports import LessonCount, MissedQuestion, ServerStats, UploadedLesson


class FakeServerAdmin:
    """A mixin of ``FakeSession``; its state (``members``, ``uploads``) lives in the store's ``_State``."""

    _s: Any

    async def note_server_member(self, platform: str, server_id: str, learner_id: int, at: datetime) -> None:
        self._s.members.setdefault((platform, server_id, learner_id), at)

    async def server_stats(self, platform: str, server_id: str, top: int = 5) -> ServerStats:
        members = {lid for (p, s, lid) in self._s.members if (p, s) == (platform, server_id)}
        started: Counter[str] = Counter()
        completed: Counter[str] = Counter()
        for (lid, lesson_id), progress in self._s.progress.items():
            if lid in members:
                started[lesson_id] += 1
                completed[lesson_id] += progress.completed_at is not None
        wrong: Counter[tuple[str, str]] = Counter()
        answers: Counter[tuple[str, str]] = Counter()
        for lid, attempt in self._s.attempts:
            if lid in members:
                key = (attempt.lesson_id, attempt.question_id)
                answers[key] += 1
                wrong[key] += not attempt.correct
        lessons = sorted(started, key=lambda lesson: (-started[lesson], lesson))
        missed = sorted((k for k in wrong if wrong[k]), key=lambda k: (-wrong[k], k))[:top]
        return ServerStats(
            learners=len(members),
            lessons=tuple(LessonCount(lesson, started[lesson], completed[lesson]) for lesson in lessons),
            missed=tuple(MissedQuestion(k[0], k[1], wrong[k], answers[k]) for k in missed),
        )

    async def save_uploaded_lesson(self, lesson: UploadedLesson) -> None:
        self._s.uploads[lesson.lesson_id] = lesson

    async def uploaded_lessons(self) -> list[UploadedLesson]:
        return [self._s.uploads[key] for key in sorted(self._s.uploads)]

    async def set_uploaded_lesson_enabled(self, lesson_id: str, enabled: bool) -> bool:
        if lesson_id not in self._s.uploads:
            return False
        self._s.uploads[lesson_id] = replace(self._s.uploads[lesson_id], enabled=enabled)
        return True

    async def remove_uploaded_lesson(self, lesson_id: str) -> bool:
        return self._s.uploads.pop(lesson_id, None) is not None
