"""Lessons uploaded through chat, kept in the database so that every bot process serves them."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from bot.core.ports import UploadedLesson
from bot.store.models import UploadedLessonRow
from bot.store.repositories.base import Repository


class SqlUploads(Repository):
    """The ``Uploads`` area over SQL."""

    async def save(self, lesson: UploadedLesson) -> None:
        """Insert or replace an uploaded lesson (keyed by its id)."""
        values = {
            "source": lesson.source,
            "filename": lesson.filename,
            "uploaded_by": lesson.uploaded_by,
            "uploaded_at": lesson.uploaded_at,
            "enabled": lesson.enabled,
        }
        statement = self._insert(UploadedLessonRow).values(lesson_id=lesson.lesson_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["lesson_id"], set_=values)
        )

    async def all(self) -> list[UploadedLesson]:
        """Return every uploaded lesson, enabled or not, by id."""
        rows = await self._session.scalars(
            select(UploadedLessonRow)
            .order_by(UploadedLessonRow.lesson_id)
            .execution_options(populate_existing=True)
        )
        return [
            UploadedLesson(
                lesson_id=row.lesson_id,
                source=row.source,
                filename=row.filename,
                uploaded_by=row.uploaded_by,
                uploaded_at=row.uploaded_at,
                enabled=row.enabled,
            )
            for row in rows
        ]

    async def set_enabled(self, lesson_id: str, enabled: bool) -> bool:
        """Enable or disable an uploaded lesson; False if there is none with this id."""
        result = await self._session.execute(
            update(UploadedLessonRow)
            .where(UploadedLessonRow.lesson_id == lesson_id)
            .values(enabled=enabled)
            .returning(UploadedLessonRow.lesson_id)
        )
        return result.first() is not None

    async def remove(self, lesson_id: str) -> bool:
        """Delete an uploaded lesson; False if there is none with this id."""
        result = await self._session.execute(
            delete(UploadedLessonRow)
            .where(UploadedLessonRow.lesson_id == lesson_id)
            .returning(UploadedLessonRow.lesson_id)
        )
        return result.first() is not None
