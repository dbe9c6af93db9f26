"""The interactions being answered, so that stopping lets them finish before the client closes.

discord.py runs each interaction's handler in a task of its own, and ``Client.close()`` does not wait for
them: a ``/run`` still waiting on the sandbox would then write to a database already closed. The front
end tracks its handlers here; ``drain`` refuses new ones, waits for those in flight, and cancels (so that
their store sessions roll back) any still running after the timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

CANCEL_GRACE = 1.0
"""Seconds that handlers cancelled after the drain timeout get to unwind (roll back) before closing."""


class InFlight:
    """The interaction handlers running now; once ``draining``, the front end takes no new ones."""

    def __init__(self) -> None:
        self.draining = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._tasks)

    @contextmanager
    def track(self) -> Iterator[None]:
        """Count the current task's handler as in flight until the block ends."""
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - handlers always run in a task
            raise RuntimeError("an interaction handler must run in a task")
        self._tasks.add(task)
        self._idle.clear()
        try:
            yield
        finally:
            self._tasks.discard(task)
            if not self._tasks:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:
        """Refuse new handlers, wait up to ``timeout`` s for the running ones; return whether all finished.

        Handlers still running then are logged and cancelled, and get ``CANCEL_GRACE`` s to unwind.
        """
        self.draining = True
        if not self._tasks:
            return True
        log.info("waiting for %d Discord interaction(s) in flight", len(self._tasks))
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            stuck = set(self._tasks)
            log.warning(
                "%d Discord interaction(s) still running after %g s; cancelling them", len(stuck), timeout
            )
            for task in stuck:
                task.cancel()
            await asyncio.wait(stuck, timeout=CANCEL_GRACE)
            return False
        return True
