"""The catalog: every valid lesson, in learning order; and the values that uploaded lesson files travel as.

This module reads no files and parses no YAML: the tutor core imports it, the loader and overlay fill it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.curriculum.model import Lesson, Localized
from bot.curriculum.problems import Problem


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

    def chapter_title(self, chapter: int) -> Localized | None:
        """Return the name of a chapter, as the first of its lessons that gives one says."""
        return next((x.chapter_title for x in self.lessons if x.chapter == chapter and x.chapter_title), None)


@dataclass(frozen=True, slots=True)
class UploadSource:
    """An uploaded lesson file as the catalog needs it: its name and its YAML text."""

    filename: str
    text: str


@dataclass(frozen=True, slots=True)
class UploadCheck:
    """The outcome of checking one uploaded file: the lesson when it has no problems."""

    lesson: Lesson | None
    problems: list[Problem]
