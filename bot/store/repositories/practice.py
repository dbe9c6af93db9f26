"""Practice decks: the questions each learner answered wrongly, with their FSRS schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.core.ports import PracticeCard
from bot.store.models import PracticeCardRow
from bot.store.repositories.base import Repository


class SqlPractice(Repository):
    """The ``PracticeDeck`` area over SQL."""

    async def add(self, learner_id: int, card: PracticeCard) -> bool:
        """Put a question into the learner's deck; False (and no change) if it is there already."""
        result: Any = await self._session.execute(
            self._insert(PracticeCardRow)
            .values(learner_id=learner_id, **_values(card))
            .on_conflict_do_nothing(index_elements=["learner_id", "lesson_id", "question_id"])
        )
        return bool(result.rowcount == 1)

    async def get(self, learner_id: int, lesson_id: str, question_id: str) -> PracticeCard | None:
        """Return one card of the learner's deck, None if that question is not in it."""
        row = await self._session.scalar(
            select(PracticeCardRow)
            .where(*_key(learner_id, lesson_id, question_id))
            .execution_options(populate_existing=True)
        )
        return None if row is None else _card(row)

    async def due(self, learner_id: int, now: datetime, limit: int = 1) -> list[PracticeCard]:
        """Return up to ``limit`` cards due at ``now``, the longest overdue first."""
        rows = await self._session.scalars(
            select(PracticeCardRow)
            .where(PracticeCardRow.learner_id == learner_id, PracticeCardRow.due <= now)
            .order_by(PracticeCardRow.due, PracticeCardRow.id)
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        return [_card(row) for row in rows]

    async def due_count(self, learner_id: int, now: datetime) -> int:
        """Count the learner's cards due at ``now``."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(PracticeCardRow)
            .where(PracticeCardRow.learner_id == learner_id, PracticeCardRow.due <= now)
        )
        return int(count or 0)

    async def next_due(self, learner_id: int) -> datetime | None:
        """Return when the learner's next card falls due, None for an empty deck."""
        found: datetime | None = await self._session.scalar(
            select(func.min(PracticeCardRow.due)).where(PracticeCardRow.learner_id == learner_id)
        )
        return found

    async def asked(self, learner_id: int) -> PracticeCard | None:
        """Return the card most recently asked and not yet answered, if any."""
        row = await self._session.scalar(
            select(PracticeCardRow)
            .where(PracticeCardRow.learner_id == learner_id, PracticeCardRow.asked_at.is_not(None))
            .order_by(PracticeCardRow.asked_at.desc(), PracticeCardRow.id.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        )
        return None if row is None else _card(row)

    async def save(self, learner_id: int, card: PracticeCard) -> None:
        """Update a card's schedule and counters (keyed by lesson and question id)."""
        values = _values(card)
        del values["lesson_id"], values["question_id"], values["added_at"]
        await self._session.execute(
            update(PracticeCardRow)
            .where(*_key(learner_id, card.lesson_id, card.question_id))
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def remove(self, learner_id: int, lesson_id: str, question_id: str) -> None:
        """Take a question out of the learner's deck (its lesson no longer has it)."""
        await self._session.execute(
            delete(PracticeCardRow)
            .where(*_key(learner_id, lesson_id, question_id))
            .execution_options(synchronize_session=False)
        )

    async def size(self, learner_id: int) -> int:
        """Count the cards in the learner's deck."""
        count = await self._session.scalar(
            select(func.count()).select_from(PracticeCardRow).where(PracticeCardRow.learner_id == learner_id)
        )
        return int(count or 0)


def _key(learner_id: int, lesson_id: str, question_id: str) -> tuple[Any, ...]:
    return (
        PracticeCardRow.learner_id == learner_id,
        PracticeCardRow.lesson_id == lesson_id,
        PracticeCardRow.question_id == question_id,
    )


def _values(card: PracticeCard) -> dict[str, Any]:
    return {
        "lesson_id": card.lesson_id,
        "question_id": card.question_id,
        "state": card.state,
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
        "reviews": card.reviews,
        "lapses": card.lapses,
        "added_at": card.added_at,
        "asked_at": card.asked_at,
    }


def _card(row: PracticeCardRow) -> PracticeCard:
    return PracticeCard(
        lesson_id=row.lesson_id,
        question_id=row.question_id,
        due=row.due,
        state=row.state,
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        last_review=row.last_review,
        added_at=row.added_at,
        reviews=row.reviews,
        lapses=row.lapses,
        asked_at=row.asked_at,
    )
