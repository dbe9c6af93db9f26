"""Liveness and readiness: is the process serving, and can it do its work right now.

Liveness (``/healthz``) asks only the event loop: a ``LoopWatch`` sleeps in a loop and measures how late
it wakes; a loop blocked for seconds (or a watch that stopped) is unhealthy. Readiness (``/readyz``) runs
the named checks (database, lessons, sandbox) concurrently, each within a timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.core.ports import CatalogSource

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[bool]]
"""A readiness check: True when ready; False or an exception when not."""

CHECK_TIMEOUT_S = 3.0


class Pingable(Protocol):
    """A store that can run its cheapest query (``bot.store.database.SqlStore``)."""

    async def ping(self) -> None:
        """Raise if the database cannot answer."""
        ...


@runtime_checkable
class SupportsHealth(Protocol):
    """A sandbox client that can tell whether its runner serves (``LocalSandbox``, ``HttpSandbox``)."""

    async def healthy(self) -> bool:
        """Return whether runs can be served (busy counts as healthy)."""
        ...


class LoopWatch:
    """Measure the event loop's lag: how much later than asked a sleeping task wakes."""

    def __init__(self, interval_s: float = 1.0, max_lag_s: float = 5.0) -> None:
        self.interval_s = interval_s
        self.max_lag_s = max_lag_s
        self.lag_s = 0.0
        self._beat: float | None = None

    async def run(self) -> None:
        """Measure until cancelled."""
        loop = asyncio.get_running_loop()
        self._beat = loop.time()
        while True:
            asked = loop.time()
            await asyncio.sleep(self.interval_s)
            self._beat = loop.time()
            self.lag_s = max(0.0, self._beat - asked - self.interval_s)

    def responsive(self) -> bool:
        """Return whether the loop wakes its tasks on time and the watch itself still runs."""
        if self._beat is None:
            return False
        silent = asyncio.get_running_loop().time() - self._beat
        return self.lag_s <= self.max_lag_s and silent <= self.interval_s + self.max_lag_s


@dataclass(frozen=True, slots=True)
class Readiness:
    """The outcome of every check: ``checks`` maps a name to ``ok`` or why it failed (no secrets)."""

    ready: bool
    checks: dict[str, str]


async def check_readiness(checks: Mapping[str, Check], timeout_s: float = CHECK_TIMEOUT_S) -> Readiness:
    """Run every check concurrently, each within ``timeout_s``; ready when all pass."""
    names = list(checks)
    outcomes = await asyncio.gather(*(_one(name, checks[name], timeout_s) for name in names))
    found = dict(zip(names, outcomes, strict=True))
    return Readiness(all(value == "ok" for value in found.values()), found)


async def _one(name: str, check: Check, timeout_s: float) -> str:
    try:
        passed = await asyncio.wait_for(check(), timeout_s)
    except TimeoutError:
        log.warning("readiness check %s: no answer within %g s", name, timeout_s)
        return f"no answer within {timeout_s:g} s"
    except Exception as exc:
        # The log gets the message (the store masks passwords); the HTTP answer only the error's type.
        log.warning("readiness check %s failed: %s", name, exc)
        return f"failed: {type(exc).__name__}"
    return "ok" if passed else "failed"


def readiness_checks(store: Pingable, catalog: CatalogSource, sandbox: object) -> dict[str, Check]:
    """Return the tutor's checks: the database answers, lessons are loaded, the sandbox serves."""

    async def database() -> bool:
        await store.ping()
        return True

    async def lessons() -> bool:
        return bool(catalog.current().lessons)

    async def sandbox_serves() -> bool:
        # A sandbox client that cannot tell (a test's fake) is taken at its word.
        return await sandbox.healthy() if isinstance(sandbox, SupportsHealth) else True

    return {"database": database, "lessons": lessons, "sandbox": sandbox_serves}
