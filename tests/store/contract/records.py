"""Records and helpers shared by the store's contract tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import Table, func, select

from bot.core.ports import Learner, PlatformUser, PracticeCard, Progress, QuizAttempt, Submission
from bot.store import SqlStore
from bot.store.models import Base

ALICE = PlatformUser(platform="discord", user_id="1001", display_name="Alice", locale_hint="en-US")
BOB = PlatformUser(platform="telegram", user_id="2002", display_name="Bob")
T0 = datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def progress(lesson_id: str = "tensors", step_index: int = 0, **changes: object) -> Progress:
    base = Progress(
        lesson_id=lesson_id,
        lesson_version=1,
        step_key=f"step-{step_index}",
        step_index=step_index,
        started_at=T0,
        updated_at=T0,
    )
    return dataclasses.replace(base, **changes)


def attempt(
    lesson_id: str = "tensors", answer: str = "1", at: datetime = T0, **changes: object
) -> QuizAttempt:
    base = QuizAttempt(lesson_id=lesson_id, question_id="q1", answer=answer, correct=answer == "1", at=at)
    return dataclasses.replace(base, **changes)


def submission(lesson_id: str = "tensors", exercise_id: str = "ex1", at: datetime = T0) -> Submission:
    return Submission(lesson_id=lesson_id, exercise_id=exercise_id, status="ok", passed=True, at=at)


def card(
    lesson_id: str = "tensors", question_id: str = "q1", due: datetime = T0, **changes: object
) -> PracticeCard:
    base = PracticeCard(
        lesson_id=lesson_id,
        question_id=question_id,
        due=due,
        state=1,
        step=0,
        stability=None,
        difficulty=None,
        last_review=None,
        added_at=T0,
    )
    return dataclasses.replace(base, **changes)


async def new_learner(store: SqlStore, user: PlatformUser = ALICE) -> Learner:
    async with store.session() as session:
        return await session.learners.get_or_create(user)


async def count_rows(store: SqlStore, model: type[Base] | Table) -> int:
    async with store.engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())
