"""The catalog: every valid lesson, in learning order."""

from __future__ import annotations

from dataclasses import dataclass

from bot.curriculum.model import Lesson


@dataclass(frozen=True, slots=True)
class Catalog:
    """An immutable set of lessons; a reload builds a new one and swaps it in whole."""

    lessons: tuple[Lesson, ...] = ()

    def get(self, lesson_id: str) -> Lesson | None:
        """Return the lesson with this id, if any."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        return None

    def ids(self) -> list[str]:
        """Return every lesson id, in learning order."""
        return [lesson.id for lesson in self.lessons]
