"""Lesson choices for autocompletion: the lessons matching what a learner typed, with their progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.i18n import pick, translate
from bot.core.ports import Progress
from bot.core.progress import steps_done
from bot.curriculum.catalog import Catalog

MAX_LABEL = 100
"""Choice labels are short: Discord allows 100 characters."""


@dataclass(frozen=True, slots=True)
class LessonChoice:
    """One lesson to offer: its id (the value) and a label with its title and the learner's progress."""

    lesson_id: str
    label: str


def lesson_choices(
    catalog: Catalog, progress: Sequence[Progress], locale: str, typed: str, limit: int = 25
) -> list[LessonChoice]:
    """Return up to ``limit`` lessons whose id or title contains ``typed``, those started first."""
    word = typed.strip().lower()
    started = {p.lesson_id: p for p in progress}
    found: list[tuple[int, LessonChoice]] = []
    for order, lesson in enumerate(catalog.lessons):
        title = pick(lesson.title, locale)
        if word and word not in lesson.id and word not in title.lower():
            continue
        mine = started.get(lesson.id)
        if mine is None:
            state = translate(locale, "lessons.not_started")
        elif mine.completed_at is not None:
            state = translate(locale, "lessons.done")
        else:
            state = f"{steps_done(lesson, mine)}/{len(lesson.steps)}"
        label = f"{title} · {state} · {lesson.id}"
        rank = 0 if mine is not None and mine.completed_at is None else 1
        found.append((rank * 10_000 + order, LessonChoice(lesson.id, _shorten(label))))
    return [choice for _, choice in sorted(found, key=lambda item: item[0])][:limit]


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
