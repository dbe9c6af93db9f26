"""A per-key sliding-window rate limiter, kept in memory (the store enforces run limits across processes)."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable
from datetime import datetime, timedelta

_SWEEP_EVERY = 1024


class SlidingWindow:
    """Allows ``limit`` events per key within any ``window``."""

    def __init__(self, limit: int, window: timedelta = timedelta(minutes=1)) -> None:
        self.limit = limit
        self.window = window
        self._events: dict[Hashable, deque[datetime]] = {}
        self._hits = 0

    def hit(self, key: Hashable, now: datetime) -> int | None:
        """Record one event and return None, or return the seconds to wait if the key is over its limit."""
        self._hits += 1
        if self._hits % _SWEEP_EVERY == 0:
            self._sweep(now)
        events = self._prune(key, now)
        if len(events) >= self.limit:
            return self._wait(events[-self.limit], now)
        events.append(now)
        return None

    def retry_after(self, key: Hashable, now: datetime, limit: int) -> int | None:
        """Return the seconds until fewer than ``limit`` events remain in the window, if known here."""
        events = self._prune(key, now)
        if len(events) < limit:
            return None
        return self._wait(events[-limit], now)

    def record(self, key: Hashable, now: datetime) -> None:
        """Record one event without checking the limit."""
        self._prune(key, now).append(now)

    def forget(self, key: Hashable) -> None:
        """Drop everything recorded for a key."""
        self._events.pop(key, None)

    def _prune(self, key: Hashable, now: datetime) -> deque[datetime]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def _sweep(self, now: datetime) -> None:
        # Learners who went quiet would otherwise keep their (empty) windows for the life of the process.
        for key in [k for k, events in self._events.items() if not events or events[-1] <= now - self.window]:
            del self._events[key]

    def _wait(self, oldest_counted: datetime, now: datetime) -> int:
        return max(1, math.ceil((oldest_counted + self.window - now).total_seconds()))
