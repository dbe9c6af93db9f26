"""The local warm pool: a ``SandboxClient`` that runs code in children of a warm parent process.

The pool keeps children forked, isolated and warmed ahead of demand; a run takes one, writes the request
straight into its pipe and reads its output stream here, enforcing the wall-clock and output limits and
killing the child through its pidfd. A run waits for one of ``concurrency`` slots; beyond ``queue_size``
waiting runs, ``run`` raises ``SandboxBusyError``. If the warm parent dies, in-flight runs end as
``internal`` and a new warm parent is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import math
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sandbox import outcome, protocol, verdict
from sandbox.bounds import cap_result
from sandbox.client import SandboxBusyError
from sandbox.handle import ChildGone, ChildHandle, End
from sandbox.isolation import IsolationConfig
from sandbox.result import RunLimits, RunRequest, RunResult, Status
from sandbox.warm import WarmConfig
from sandbox.warm_process import WarmProcess, WarmStartError

log = logging.getLogger(__name__)

DEFAULT_MAX_LIMITS = RunLimits(
    time_s=30.0, cpu_s=30, memory_mib=2048, output_bytes=1024 * 1024, replay_s=10.0
)
_EXIT_WAIT_S = 5.0
PROBE_CODE = "sum(range(7))"
PROBE_VALUE = "21"
_EOF_GRACE_S = 0.1
_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """How the local pool runs code; ``limits`` are the defaults, ``max_limits`` cap any override."""

    concurrency: int = field(default_factory=lambda: os.cpu_count() or 1)
    queue_size: int = 32
    limits: RunLimits = field(default_factory=RunLimits)
    max_limits: RunLimits = DEFAULT_MAX_LIMITS
    insecure_dev: bool = False
    executor: str = "sandbox.executor"
    isolation: IsolationConfig = field(default_factory=IsolationConfig)
    pool_size: int | None = None  # children kept waiting; default: concurrency
    start_timeout_s: float = 120.0
    child_wait_s: float = 30.0


@dataclass(frozen=True, slots=True)
class PoolStats:
    """A snapshot of the pool for health checks and metrics."""

    healthy: bool
    concurrency: int
    queue_size: int
    running: int
    waiting: int
    ready_children: int
    restarts: int


class LocalSandbox:
    """Run learners' code in isolated children of a local warm parent process."""

    def __init__(self, config: PoolConfig) -> None:
        isolation = dataclasses.replace(config.isolation, insecure_dev=config.insecure_dev)
        # Configured defaults are never clamped: the maxima grow to cover them.
        config = dataclasses.replace(config, max_limits=_covering(config.max_limits, config.limits))
        self._config = config
        self._warm_config = WarmConfig(
            control_fd=-1,
            executor=config.executor,
            pool_size=config.pool_size or config.concurrency,
            max_limits=config.max_limits,
            isolation=isolation,
        )
        self._slots = asyncio.Semaphore(config.concurrency)
        self._ready: deque[ChildHandle] = deque()
        self._ready_event = asyncio.Event()
        self._warm: WarmProcess | None = None
        self._restart_task: asyncio.Task[None] | None = None
        self._closing = False
        self._running = 0
        self._waiting = 0
        self._restarts = 0
        self._mean_run_s = 0.05

    @classmethod
    async def create(cls, config: PoolConfig | None = None) -> LocalSandbox:
        """Start the warm parent and wait until it serves; raise ``WarmStartError`` if it refuses."""
        sandbox = cls(config or PoolConfig())
        await sandbox._start_warm()
        return sandbox

    @classmethod
    @contextlib.asynccontextmanager
    async def start(cls, config: PoolConfig | None = None) -> AsyncIterator[LocalSandbox]:
        """Run a pool for the duration of an ``async with`` block."""
        sandbox = await cls.create(config)
        try:
            yield sandbox
        finally:
            await sandbox.aclose()

    @property
    def warm_pid(self) -> int | None:
        """Return the pid of the current warm parent process."""
        return self._warm.pid if self._warm and self._warm.alive else None

    @property
    def info(self) -> dict[str, object]:
        """Return what the current warm parent reported at start (probe outcome, warnings)."""
        return dict(self._warm.info) if self._warm else {}

    def stats(self) -> PoolStats:
        """Return a snapshot of the pool."""
        return PoolStats(
            healthy=bool(self._warm and self._warm.alive),
            concurrency=self._config.concurrency,
            queue_size=self._config.queue_size,
            running=self._running,
            waiting=self._waiting,
            ready_children=len(self._ready),
            restarts=self._restarts,
        )

    async def healthy(self) -> bool:
        """Return whether the warm parent serves (for health checks; busy is still healthy)."""
        return self.stats().healthy and not self._closing

    async def run(self, request: RunRequest) -> RunResult:
        """Run one request; raise ``SandboxBusyError`` when every slot and queue place is taken."""
        if self._closing:
            raise RuntimeError("the sandbox is closed")
        if self._running + self._waiting >= self._config.concurrency + self._config.queue_size:
            raise SandboxBusyError(self._retry_after())
        limits = (request.limits or self._config.limits).clamp(self._config.max_limits)
        self._waiting += 1
        queued = True
        try:
            async with self._slots:
                self._waiting -= 1
                queued = False
                self._running += 1
                started = time.perf_counter()
                try:
                    result, evidence = await self._run_in_child(request, limits)
                    if verdict.needed(request, result):
                        decided, _ = await self._run_in_child(verdict.request_for(request, evidence), limits)
                        result = verdict.merge(result, decided)
                    return result
                finally:
                    self._running -= 1
                    elapsed = time.perf_counter() - started
                    self._mean_run_s = 0.9 * self._mean_run_s + 0.1 * elapsed
        finally:
            if queued:
                self._waiting -= 1

    async def aclose(self) -> None:
        """Stop the warm parent and all its children."""
        self._closing = True
        if self._restart_task is not None:
            self._restart_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._restart_task
        if self._warm is not None:
            await self._warm.stop()
        self._ready.clear()

    def _retry_after(self) -> float:
        backlog = self._running + self._waiting
        return float(max(1, math.ceil(backlog * self._mean_run_s / self._config.concurrency)))

    async def _start_warm(self) -> None:
        warm = WarmProcess(self._warm_config, self._on_child, self._on_lost)
        self._warm = warm
        info = await warm.start(self._config.start_timeout_s)
        for warning in info.get("warnings", []):
            log.warning("%s", warning)
        if self._config.insecure_dev:
            log.warning("INSECURE DEV MODE (--insecure-dev): isolation may be incomplete; never serve this")

    def _on_child(self, handle: ChildHandle) -> None:
        def on_ready(future: asyncio.Future[dict[str, object]]) -> None:
            if future.cancelled() or future.exception() is not None:
                if handle.detail:
                    log.error("a child failed before serving: %s", handle.detail)
                return
            self._ready.append(handle)
            self._ready_event.set()
            handle.ended.add_done_callback(lambda _end: self._forget_idle(handle))

        handle.ready.add_done_callback(on_ready)

    def _forget_idle(self, handle: ChildHandle) -> None:
        if handle in self._ready:
            self._ready.remove(handle)
            if not self._closing and self._warm is not None and self._warm.alive:
                log.warning("waiting child %s died before it got a run", handle.pid)

    def _on_lost(self, warm: WarmProcess) -> None:
        if self._closing or warm is not self._warm:
            return
        log.error("the warm parent (pid %s) died; starting a new one", warm.pid)
        self._ready.clear()
        self._restart_task = asyncio.create_task(self._restart())

    async def _restart(self) -> None:
        delay = 0.5
        while not self._closing:
            try:
                await self._start_warm()
                self._restarts += 1
                return
            except Exception:
                log.exception("restarting the warm parent failed; retrying in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def _take_child(self) -> ChildHandle:
        while True:
            while self._ready:
                handle = self._ready.popleft()
                if not handle.ended.done():
                    return handle
            self._ready_event.clear()
            await self._ready_event.wait()

    async def probe(self, timeout_s: float = 5.0) -> bool:
        """Run a trusted snippet end to end in a waiting child, outside the queue; tell whether it worked.

        Health checks call this: it fails when the warm parent stops providing children (frozen, wedged),
        even while every slot is busy with learners' runs.
        """
        if self._warm is None or not await self._warm.ping(timeout_s):
            return False
        limits = RunLimits(time_s=timeout_s, cpu_s=2, memory_mib=64, output_bytes=1024)
        payload = protocol.encode_request(RunRequest(code=PROBE_CODE), limits)
        try:
            handle = await asyncio.wait_for(self._take_child(), timeout_s)
        except TimeoutError:
            return False
        result = await self._serve(handle, payload, limits, replaying=False)
        return result is not None and result.status is Status.OK and result.value == PROBE_VALUE

    async def _run_in_child(self, request: RunRequest, limits: RunLimits) -> tuple[RunResult, bytes | None]:
        """Run ``request`` in a fresh child; return its result and the evidence its check's probe sent."""
        payload = protocol.encode_request(request, limits)
        for _attempt in range(_ATTEMPTS):
            try:
                handle = await asyncio.wait_for(self._take_child(), self._config.child_wait_s)
            except TimeoutError:
                wait = self._config.child_wait_s
                return outcome.internal(f"no isolated child became ready within {wait:g} s"), None
            result = await self._serve(handle, payload, limits, replaying=bool(request.cells))
            if result is not None:
                return result, handle.evidence
            log.warning("child %s died before reading its request; using another", handle.pid)
        return outcome.internal(f"{_ATTEMPTS} children in a row died before reading their request"), None

    async def _serve(
        self, handle: ChildHandle, payload: bytes, limits: RunLimits, *, replaying: bool
    ) -> RunResult | None:
        """Run one request in ``handle``; None if the child died before reading it (try another)."""
        started = time.perf_counter()  # the learner's time starts with the request, not the wait
        if self._warm is not None:
            self._warm.send_used(handle.pid)
        handle.begin(limits.output_bytes)
        allowed_s = limits.time_s + (limits.replay_s if replaying else 0.0)
        try:
            await handle.send_request(payload)
            remaining = allowed_s - (time.perf_counter() - started)
            done, _ = await asyncio.wait([handle.ended], timeout=max(0.0, remaining))
        except asyncio.CancelledError:
            handle.kill()  # nobody is left to enforce its limits
            raise
        died_unused = bool(done) and not handle.started and handle.ended.result() is End.EOF
        if died_unused and self._warm and self._warm.alive:
            return None
        closed_early = await self._end(handle, timed_out=not done)
        if not await handle.wait_dead(_EXIT_WAIT_S):
            return outcome.internal(f"child {handle.pid} survived SIGKILL for {_EXIT_WAIT_S:g} s")
        if not done:
            return outcome.timeout(limits, handle.output_within(limits.output_bytes), _ms(started))
        return await self._explain(handle, limits, started, closed_early=closed_early)

    @staticmethod
    async def _end(handle: ChildHandle, *, timed_out: bool) -> bool:
        """Make sure the child is dead before its result counts; return whether it closed its stream alive.

        After a result or a limit it is killed at once. A stream that ended without a result usually means
        the process is exiting (a crash, an exit call): it gets a moment to do so, so that its own exit
        status explains the run; still alive after that, it closed its output on purpose and is killed.
        """
        if timed_out or handle.ended.result() is not End.EOF:
            handle.kill()
            return False
        if await handle.wait_dead(_EOF_GRACE_S):
            return False
        handle.kill()
        return True

    async def _explain(
        self, handle: ChildHandle, limits: RunLimits, started: float, *, closed_early: bool
    ) -> RunResult:
        end = handle.ended.result()
        printed = handle.output_within(limits.output_bytes)
        over_limit = handle.output_size > limits.output_bytes
        if end is End.DONE and handle.result is not None:
            result = _accept(handle.pid, handle.result, trusted=not handle.untrusted)
            if over_limit or result.status is Status.OUTPUT_LIMIT:
                limited = outcome.output_limit(limits, printed, 0.0)
                return result.with_changes(
                    status=Status.OUTPUT_LIMIT,
                    stdout=limited.stdout,
                    error=limited.error,
                    duration_ms=_ms(started),
                )
            return result.with_changes(stdout=_join_stdout(handle.output, result), duration_ms=_ms(started))
        if end is End.OUTPUT_LIMIT or over_limit:
            return outcome.output_limit(limits, printed, _ms(started))
        if end is End.FAILED and not handle.untrusted:
            return outcome.internal(handle.detail or end.value, duration_ms=_ms(started))
        if end in (End.FAILED, End.BAD_STREAM):
            # After learner code ran, anything the child says about itself may be forged.
            log.warning("child %s: %s", handle.pid, handle.detail or end.value)
            return outcome.unreadable(printed, _ms(started))
        duration = _ms(started)
        if closed_early:
            return outcome.closed_output(printed, duration)
        done, _ = await asyncio.wait([handle.exited], timeout=_EXIT_WAIT_S)
        info = handle.exited.result() if done else None
        if info is None:
            return outcome.internal(
                f"child {handle.pid} ended without a result; exit status unknown",
                stdout=printed,
                duration_ms=duration,
            )
        return outcome.from_exit(info.status, info.cpu_s, limits, printed, duration)


def _accept(pid: int, data: object, *, trusted: bool) -> RunResult:
    """Turn what a child sent as its result into one the pool can trust the shape and size of."""
    try:
        if not isinstance(data, dict):
            raise TypeError("the result is not an object")
        result = cap_result(RunResult.from_json(data))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        log.warning("child %s sent a malformed result: %r", pid, exc)
        return outcome.unreadable("", 0.0)
    if result.status is Status.INTERNAL and not trusted:
        # After learner code ran, a child's claim that the sandbox failed cannot be told from a forgery.
        log.warning("child %s reported an internal failure: %s", pid, result.error)
        return outcome.unreadable("", 0.0)
    return result


_LIMIT_STATUSES = (Status.TIMEOUT, Status.MEMORY, Status.OUTPUT_LIMIT)


def _join_stdout(streamed: str, result: RunResult) -> str:
    # A limit the child noticed itself (MemoryError) ends stdout with the same notice line as ours.
    if result.status in _LIMIT_STATUSES and result.error is not None:
        notice = result.error.message
        if not streamed.rstrip("\n").endswith(notice):
            return outcome.with_notice(streamed, notice)
    return streamed


def _covering(maxima: RunLimits, limits: RunLimits) -> RunLimits:
    return RunLimits(
        time_s=max(maxima.time_s, limits.time_s),
        cpu_s=max(maxima.cpu_s, limits.cpu_s),
        memory_mib=max(maxima.memory_mib, limits.memory_mib),
        output_bytes=max(maxima.output_bytes, limits.output_bytes),
        replay_s=max(maxima.replay_s, limits.replay_s),
    )


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


__all__ = ["ChildGone", "LocalSandbox", "PoolConfig", "PoolStats", "WarmStartError"]
