"""Learners and their platform accounts."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from bot.core.ports import Account, Learner, PlatformUser
from bot.store.models import NAME_LENGTH, AccountRow, LearnerRow
from bot.store.repositories.base import Repository, utcnow


class SqlLearners(Repository):
    """The ``Learners`` area over SQL."""

    async def get_or_create(self, user: PlatformUser, *, lock: bool = True) -> Learner:
        """Return the learner behind this platform account, creating both on first contact; lock it."""
        row = await self._by_account(user, lock=lock)
        if row is None:
            await self._create(user)
            row = await self._by_account(user, lock=lock)
            if row is None:  # pragma: no cover - the account was just created or found
                raise RuntimeError(f"account {user.platform}:{user.user_id} vanished during creation")
        return _learner(row)

    async def by_id(self, learner_id: int, *, lock: bool = True) -> Learner | None:
        """Return the learner with this id (locked FOR UPDATE when asked); None if there is none."""
        statement = (
            select(LearnerRow).where(LearnerRow.id == learner_id).execution_options(populate_existing=True)
        )
        if lock:
            statement = statement.with_for_update()
        row = (await self._session.execute(statement)).scalar_one_or_none()
        return None if row is None else _learner(row)

    async def _by_account(self, user: PlatformUser, *, lock: bool) -> LearnerRow | None:
        """Select the account's learner, FOR UPDATE when locking (SQLite holds the write lock from BEGIN)."""
        statement = (
            select(LearnerRow)
            .join(AccountRow, AccountRow.learner_id == LearnerRow.id)
            .where(AccountRow.platform == user.platform, AccountRow.platform_user_id == user.user_id)
            .execution_options(populate_existing=True)
        )
        if lock:
            statement = statement.with_for_update(of=LearnerRow)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def _create(self, user: PlatformUser) -> None:
        """Create a learner and claim the account for it; if another command claimed it first, undo ours.

        INSERT ... ON CONFLICT DO NOTHING waits for a concurrent claim of the same account to commit
        (PostgreSQL blocks on the unique index), so exactly one learner survives a race of first contacts.
        """
        now = utcnow()
        name = user.display_name[:NAME_LENGTH]
        learner_id = await self._session.scalar(
            self._insert(LearnerRow)
            .values(display_name=name, locale=None, current_lesson=None, created_at=now)
            .returning(LearnerRow.id)
        )
        await self._session.execute(
            self._insert(AccountRow)
            .values(
                learner_id=learner_id,
                platform=user.platform,
                platform_user_id=user.user_id,
                display_name=name,
                linked_at=now,
            )
            .on_conflict_do_nothing(index_elements=["platform", "platform_user_id"])
        )
        owner = await self._session.scalar(
            select(AccountRow.learner_id).where(
                AccountRow.platform == user.platform, AccountRow.platform_user_id == user.user_id
            )
        )
        if owner != learner_id:
            await self._session.execute(delete(LearnerRow).where(LearnerRow.id == learner_id))

    async def set_locale(self, learner_id: int, locale: str | None) -> None:
        """Remember the learner's chosen language."""
        await self._session.execute(
            update(LearnerRow).where(LearnerRow.id == learner_id).values(locale=locale)
        )

    async def set_current_lesson(self, learner_id: int, lesson_id: str | None) -> None:
        """Remember which lesson ``/next`` and ``/back`` act on."""
        await self._session.execute(
            update(LearnerRow).where(LearnerRow.id == learner_id).values(current_lesson=lesson_id)
        )

    async def accounts(self, learner_id: int) -> list[Account]:
        """Return the learner's platform accounts, oldest link first."""
        rows = await self._session.scalars(
            select(AccountRow)
            .where(AccountRow.learner_id == learner_id)
            .order_by(AccountRow.linked_at, AccountRow.id)
            .execution_options(populate_existing=True)
        )
        return [Account(row.platform, row.platform_user_id, row.display_name, row.linked_at) for row in rows]

    async def forget(self, learner_id: int) -> None:
        """Delete the learner and everything recorded about them (the foreign keys cascade)."""
        await self._session.execute(delete(LearnerRow).where(LearnerRow.id == learner_id))
        # Rows of this learner loaded earlier in the session are gone now; don't let the ORM reuse them.
        self._session.expunge_all()


def _learner(row: LearnerRow) -> Learner:
    """Map a learner row to its record."""
    return Learner(
        id=row.id, display_name=row.display_name, locale=row.locale, current_lesson=row.current_lesson
    )
