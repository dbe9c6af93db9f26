"""The session: one transaction for every area, rolled back when its block raises."""

from __future__ import annotations

import pytest

from bot.store import SqlStore
from tests.store.contract.records import (
    new_learner,
)


async def test_session_rolls_back_when_command_fails(store: SqlStore) -> None:
    learner = await new_learner(store)
    with pytest.raises(RuntimeError):
        async with store.session() as session:
            await session.learners.set_locale(learner.id, "zh")
            raise RuntimeError("command crashed")

    assert (await new_learner(store)).locale is None
