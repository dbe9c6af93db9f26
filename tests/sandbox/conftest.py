"""Fixtures for sandbox tests.

`run` executes a snippet the way the product does and returns its `RunResult`: through a real
`LocalSandbox` (warm parent process, isolated children, limits enforced), shared by the whole session.
The test process itself never runs a snippet and never forks: the pool lives on an event loop in a
background thread, and the warm parent is a separate process.

`run_unrestricted` is the same pool machinery with an executor that skips the language policy (plain
`exec`), to prove the process layer holds on its own.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any, Protocol

import pytest

from sandbox.local import LocalSandbox, PoolConfig
from sandbox.result import RunLimits, RunRequest, RunResult

UNRESTRICTED_EXECUTOR = "tests.sandbox.unrestricted_executor"
# Set while the pools start, so tests can prove no secret reaches a child.
SECRET_ENV = {"TUTOR_DISCORD__TOKEN": "secret-discord-token", "TUTOR_DATABASE_URL": "postgresql://u:pw@db/x"}


class Runner(Protocol):
    def __call__(
        self,
        code: str,
        *,
        setup: str | None = None,
        check: str | None = None,
        limits: RunLimits | None = None,
    ) -> RunResult: ...


class PoolThread:
    """A LocalSandbox on its own event loop thread, driven synchronously from tests."""

    def __init__(self, config: PoolConfig) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="sandbox-pool", daemon=True)
        self._thread.start()
        self.sandbox: LocalSandbox = self.call(LocalSandbox.create(config), timeout=180)

    def call(self, coro: Any, timeout: float = 120) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def run(self, request: RunRequest) -> RunResult:
        return self.call(self.sandbox.run(request))

    def close(self) -> None:
        try:
            self.call(self.sandbox.aclose(), timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(10)
            self.loop.close()


class ThreadedSandbox:
    """A SandboxClient for a test's own event loop, backed by a pool running on its thread."""

    def __init__(self, pool: PoolThread) -> None:
        self.pool = pool

    async def run(self, request: RunRequest) -> RunResult:
        future = asyncio.run_coroutine_threadsafe(self.pool.sandbox.run(request), self.pool.loop)
        return await asyncio.wrap_future(future)

    async def aclose(self) -> None:
        return None


def start_pool(config: PoolConfig) -> PoolThread:
    saved = {key: os.environ.get(key) for key in SECRET_ENV}
    os.environ.update(SECRET_ENV)
    try:
        return PoolThread(config)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _runner(pool: PoolThread) -> Runner:
    def _run(
        code: str,
        *,
        setup: str | None = None,
        check: str | None = None,
        probe: str | None = None,
        limits: RunLimits | None = None,
    ) -> RunResult:
        return pool.run(RunRequest(code=code, setup=setup, check=check, probe=probe, limits=limits))

    return _run


@pytest.fixture(scope="session")
def pool() -> Iterator[PoolThread]:
    """The session's pool with the real executor (language policy + process isolation)."""
    started = start_pool(PoolConfig(concurrency=2, queue_size=64))
    yield started
    started.close()


@pytest.fixture(scope="session")
def unrestricted_pool() -> Iterator[PoolThread]:
    """A pool whose children run plain ``exec``: only the process layer stands in the way."""
    started = start_pool(PoolConfig(concurrency=2, queue_size=64, executor=UNRESTRICTED_EXECUTOR))
    yield started
    started.close()


@pytest.fixture
def run(pool: PoolThread) -> Runner:
    return _runner(pool)


@pytest.fixture
def run_unrestricted(unrestricted_pool: PoolThread) -> Runner:
    return _runner(unrestricted_pool)
