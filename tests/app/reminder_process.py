"""One bot process's reminder scheduler, for the test that runs two of them against one PostgreSQL.

``python -m tests.app.reminder_process URL OUT NOW START SECONDS``: opens the store at URL, builds a tutor
whose clock reads NOW (ISO), waits until the wall clock reaches START (epoch seconds) so both processes
begin together, then runs the real scheduler loop (``bot.app.runtime.keep_reminding``) for SECONDS,
appending the learner id of every reminder it sends to OUT, one per line.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from datetime import datetime
from pathlib import Path

from bot.app.runtime import keep_reminding
from bot.core.context import TutorSettings
from bot.core.reminders import DeliveryStatus, Reminder
from bot.core.tutor import Tutor
from bot.store import open_store
from tests.fakes import FakeCatalogSource, FakeSandbox


class FileSender:
    """Delivers a reminder by writing its learner id to a file, slowly enough for the other process."""

    def __init__(self, out: Path) -> None:
        self.out = out

    async def send_reminder(self, reminder: Reminder) -> DeliveryStatus:
        await asyncio.sleep(0.01)
        with self.out.open("a", encoding="utf-8") as file:
            file.write(f"{reminder.learner_id}\n")
        return "sent"


async def main(url: str, out: Path, now: datetime, start: float, seconds: float) -> None:
    async with open_store(url, upgrade=False) as store:
        tutor = Tutor(store, FakeCatalogSource(), FakeSandbox(), settings=TutorSettings(), clock=lambda: now)
        await asyncio.sleep(max(0.0, start - time.time()))
        loop = asyncio.create_task(keep_reminding(tutor, {"telegram": FileSender(out)}, every=0.02))
        await asyncio.sleep(seconds)
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop


if __name__ == "__main__":
    url, out, now, start, seconds = sys.argv[1:6]
    asyncio.run(main(url, Path(out), datetime.fromisoformat(now), float(start), float(seconds)))
