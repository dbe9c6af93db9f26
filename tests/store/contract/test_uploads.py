"""Lessons uploaded through chat."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.core.ports import UploadedLesson
from bot.store import SqlStore
from tests.store.contract.records import (
    T0,
)

UPLOAD = UploadedLesson("broadcasting", "id: broadcasting\n", "b.yaml", "discord:1", T0)


async def test_uploaded_lesson_is_saved_replaced_and_listed(store: SqlStore) -> None:
    async with store.session() as s:
        await s.uploads.save(UPLOAD)
        await s.uploads.save(dataclasses.replace(UPLOAD, filename="b2.yaml", uploaded_at=T0 + timedelta(1)))
    async with store.session() as s:
        assert await s.uploads.all() == [
            dataclasses.replace(UPLOAD, filename="b2.yaml", uploaded_at=T0 + timedelta(1))
        ]


async def test_uploaded_lesson_is_disabled_and_removed(store: SqlStore) -> None:
    async with store.session() as s:
        await s.uploads.save(UPLOAD)
        assert await s.uploads.set_enabled("broadcasting", False)
        assert not await s.uploads.set_enabled("missing", False)
    async with store.session() as s:
        assert [u.enabled for u in await s.uploads.all()] == [False]
        assert await s.uploads.remove("broadcasting")
        assert not await s.uploads.remove("broadcasting")
        assert await s.uploads.all() == []
