"""The course card's values, and the per-process copy that keeps them for a minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.ports import CourseCounts, LessonTally, Review

CARD_TTL = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class CourseCard:
    """The counts and featured reviews the card shows."""

    counts: CourseCounts
    featured: tuple[Review, ...]

    def tally(self, lesson_id: str) -> LessonTally | None:
        """Return one lesson's counts, None if the card does not know the lesson."""
        return next((tally for tally in self.counts.lessons if tally.lesson_id == lesson_id), None)


class CourseCardCache:
    """The last course card counted by this process, kept for ``ttl`` and for one set of lessons."""

    def __init__(self, ttl: timedelta = CARD_TTL) -> None:
        self._ttl = ttl
        self._entry: tuple[tuple[str, ...], datetime, CourseCard] | None = None

    def get(self, lesson_ids: tuple[str, ...], now: datetime) -> CourseCard | None:
        """Return the card counted for these lessons less than ``ttl`` ago, if any."""
        entry = self._entry
        if entry is None or entry[0] != lesson_ids or not entry[1] <= now < entry[1] + self._ttl:
            return None
        return entry[2]

    def put(self, lesson_ids: tuple[str, ...], now: datetime, card: CourseCard) -> None:
        """Keep the card counted at ``now``."""
        self._entry = (lesson_ids, now, card)

    def clear(self) -> None:
        """Forget the card (after this process changed what it shows)."""
        self._entry = None
