"""Two bot processes run the reminder scheduler against one PostgreSQL: every reminder is sent once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.ports import PlatformUser, ReminderSettings
from bot.store import open_store
from tests.db import PG_SKIP_REASON

REPO = Path(__file__).resolve().parents[2]
LEARNERS = 300
DUE = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)


async def due_reminders(url: str) -> set[int]:
    """Give ``LEARNERS`` learners a Telegram reminder due at ``DUE``; return their ids."""
    ids: set[int] = set()
    async with open_store(url, upgrade=False) as store, store.session() as session:
        for n in range(LEARNERS):
            learner = await session.learners.get_or_create(PlatformUser("telegram", str(n), f"L{n}"))
            settings = ReminderSettings("Europe/Berlin", 20 * 60, "telegram", str(n), DUE)
            await session.reminders.save(learner.id, settings)
            ids.add(learner.id)
    return ids


async def test_two_processes_send_each_due_reminder_exactly_once(
    postgres_migrated: str | None, tmp_path: Path
) -> None:
    if postgres_migrated is None:
        pytest.skip(PG_SKIP_REASON)
    from tests.db import run_in_thread, truncate_all

    url = postgres_migrated
    try:
        expected = await due_reminders(url)
        start = time.time() + 5  # both processes have opened the store by then
        now = (DUE + timedelta(minutes=1)).isoformat()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        outs = [tmp_path / f"sent-{n}.txt" for n in range(2)]
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.app.reminder_process", url, str(out), now, str(start), "8"],
                cwd=REPO,
                env=env,
            )
            for out in outs
        ]
        for process in processes:
            assert process.wait(timeout=60) == 0
        sent = [int(line) for out in outs if out.exists() for line in out.read_text().split()]

        assert len(sent) == len(set(sent)), "a reminder was sent twice"
        assert set(sent) == expected
        # Both processes took part: the claim, not a lucky schedule, kept them apart.
        assert all(out.exists() and out.read_text().strip() for out in outs)
    finally:
        run_in_thread(lambda: truncate_all(url))
