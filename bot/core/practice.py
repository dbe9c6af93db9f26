"""Practice decks scheduled with FSRS (the ``fsrs`` package): a missed question comes back when due.

A question answered wrongly in a lesson enters the deck as an FSRS card reviewed once with *Again*, so
it is due a minute later; each practice answer reviews it again, *Good* when right and *Again* when
wrong, and FSRS sets when it is next due. Fuzzing is off, so a schedule is reproducible.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import datetime

from fsrs import Card, Rating, Scheduler, State

from bot.core.ports import PracticeCard


@functools.cache
def scheduler() -> Scheduler:
    """Return the FSRS scheduler (default parameters, 90% desired retention, no fuzz)."""
    return Scheduler(enable_fuzzing=False)


def missed(lesson_id: str, question_id: str, now: datetime) -> PracticeCard:
    """Return the card of a question just answered wrongly: a new card reviewed with *Again* now."""
    fresh = PracticeCard(
        lesson_id=lesson_id,
        question_id=question_id,
        due=now,
        state=int(State.Learning),
        step=0,
        stability=None,
        difficulty=None,
        last_review=None,
        added_at=now,
    )
    return review(fresh, correct=False, now=now, counted=False)


def review(card: PracticeCard, *, correct: bool, now: datetime, counted: bool = True) -> PracticeCard:
    """Return the card rescheduled after an answer (``counted``: a practice answer, not the first miss)."""
    before = Card(
        card_id=1,  # FSRS would otherwise make one from the clock, and sleep a millisecond to do it
        state=State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
    after, _ = scheduler().review_card(before, Rating.Good if correct else Rating.Again, now)
    return dataclasses.replace(
        card,
        state=int(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
        reviews=card.reviews + counted,
        lapses=card.lapses + (counted and not correct),
        asked_at=None,
    )
