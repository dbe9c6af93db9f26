"""Progress through lessons, quiz answers, exercise submissions and hints seen."""

from __future__ import annotations

from sqlalchemy import case, delete, select

from bot.core.ports import Progress, QuizAttempt, Submission
from bot.store.models import HintSeenRow, ProgressRow, QuizAttemptRow, SubmissionRow
from bot.store.repositories.base import Repository


class SqlProgress(Repository):
    """The ``ProgressRecords`` area over SQL."""

    async def get(self, learner_id: int, lesson_id: str) -> Progress | None:
        """Return the learner's progress in one lesson, if started."""
        row = await self._session.scalar(
            select(ProgressRow)
            .where(ProgressRow.learner_id == learner_id, ProgressRow.lesson_id == lesson_id)
            .execution_options(populate_existing=True)
        )
        return None if row is None else _progress(row)

    async def all(self, learner_id: int) -> list[Progress]:
        """Return the learner's progress in every lesson started, earliest started first."""
        rows = await self._session.scalars(
            select(ProgressRow)
            .where(ProgressRow.learner_id == learner_id)
            .order_by(ProgressRow.started_at, ProgressRow.id)
            .execution_options(populate_existing=True)
        )
        return [_progress(row) for row in rows]

    async def save(self, learner_id: int, progress: Progress) -> None:
        """Insert or update the learner's progress in ``progress.lesson_id``, keeping the furthest step."""
        values = {
            "lesson_version": progress.lesson_version,
            "step_key": progress.step_key,
            "step_index": progress.step_index,
            "started_at": progress.started_at,
            "updated_at": progress.updated_at,
            "completed_at": progress.completed_at,
        }
        statement = self._insert(ProgressRow).values(
            learner_id=learner_id, lesson_id=progress.lesson_id, furthest_index=progress.step_index, **values
        )
        # The furthest step only ever grows: /back moves the current step, never the furthest.
        furthest = case(
            (statement.excluded.step_index > ProgressRow.furthest_index, statement.excluded.step_index),
            else_=ProgressRow.furthest_index,
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["learner_id", "lesson_id"], set_={**values, "furthest_index": furthest}
            )
        )

    async def reset_lesson(self, learner_id: int, lesson_id: str) -> None:
        """Forget progress, attempts, submissions and hints seen of one lesson."""
        for model in (ProgressRow, QuizAttemptRow, SubmissionRow, HintSeenRow):
            await self._session.execute(
                delete(model).where(model.learner_id == learner_id, model.lesson_id == lesson_id)
            )

    async def add_attempt(self, learner_id: int, attempt: QuizAttempt) -> None:
        """Record one answer."""
        self._session.add(
            QuizAttemptRow(
                learner_id=learner_id,
                lesson_id=attempt.lesson_id,
                question_id=attempt.question_id,
                answer=attempt.answer,
                correct=attempt.correct,
                at=attempt.at,
            )
        )
        await self._session.flush()

    async def attempts(self, learner_id: int, lesson_id: str) -> list[QuizAttempt]:
        """Return the learner's answers in one lesson, oldest first."""
        rows = await self._session.scalars(
            select(QuizAttemptRow)
            .where(QuizAttemptRow.learner_id == learner_id, QuizAttemptRow.lesson_id == lesson_id)
            .order_by(QuizAttemptRow.at, QuizAttemptRow.id)
        )
        return [QuizAttempt(row.lesson_id, row.question_id, row.answer, row.correct, row.at) for row in rows]

    async def add_submission(self, learner_id: int, submission: Submission) -> None:
        """Record one exercise submission."""
        self._session.add(
            SubmissionRow(
                learner_id=learner_id,
                lesson_id=submission.lesson_id,
                exercise_id=submission.exercise_id,
                status=submission.status,
                passed=submission.passed,
                at=submission.at,
            )
        )
        await self._session.flush()

    async def submissions(self, learner_id: int, lesson_id: str, exercise_id: str) -> list[Submission]:
        """Return the learner's submissions for one exercise, oldest first."""
        rows = await self._session.scalars(
            select(SubmissionRow)
            .where(
                SubmissionRow.learner_id == learner_id,
                SubmissionRow.lesson_id == lesson_id,
                SubmissionRow.exercise_id == exercise_id,
            )
            .order_by(SubmissionRow.at, SubmissionRow.id)
        )
        return [Submission(row.lesson_id, row.exercise_id, row.status, row.passed, row.at) for row in rows]

    async def next_hint(self, learner_id: int, lesson_id: str, exercise_id: str, available: int) -> int:
        """Return the 0-based hint to show now (the next unseen one, else the last) and count it as seen."""
        where = (
            HintSeenRow.learner_id == learner_id,
            HintSeenRow.lesson_id == lesson_id,
            HintSeenRow.exercise_id == exercise_id,
        )
        seen = await self._session.scalar(select(HintSeenRow.count).where(*where))
        shown = min(seen or 0, available - 1)
        statement = self._insert(HintSeenRow).values(
            learner_id=learner_id, lesson_id=lesson_id, exercise_id=exercise_id, count=shown + 1
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["learner_id", "lesson_id", "exercise_id"], set_={"count": shown + 1}
            )
        )
        return shown


def _progress(row: ProgressRow) -> Progress:
    """Map a progress row to its record."""
    return Progress(
        lesson_id=row.lesson_id,
        lesson_version=row.lesson_version,
        step_key=row.step_key,
        step_index=row.step_index,
        started_at=row.started_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
    )
