"""The warm pool as a whole: concurrency, the bounded queue, surviving crashes, cleaning up."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import pytest

from sandbox import protocol
from sandbox.client import SandboxBusyError
from sandbox.local import LocalSandbox, PoolConfig
from sandbox.result import RunLimits, RunRequest, Status
from tests.sandbox import procs
from tests.sandbox.conftest import UNRESTRICTED_EXECUTOR, PoolThread, start_pool

SLEEP = "import time\ntime.sleep({s})\n'slept'"


def submit(pool: PoolThread, request: RunRequest):
    return asyncio.run_coroutine_threadsafe(pool.sandbox.run(request), pool.loop)


def wait_until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def small_pool():
    pool = start_pool(PoolConfig(concurrency=1, queue_size=1, pool_size=1, executor=UNRESTRICTED_EXECUTOR))
    yield pool
    pool.close()


def test_concurrent_runs_are_all_served(unrestricted_pool):
    futures = [submit(unrestricted_pool, RunRequest(code=f"{i} * 2")) for i in range(8)]
    results = [future.result(60) for future in futures]
    assert [r.status for r in results] == [Status.OK] * 8
    assert [r.value for r in results] == [str(i * 2) for i in range(8)]


def test_each_run_gets_a_fresh_process(unrestricted_pool):
    # A module attribute set by one run would still be there if the next run shared its process.
    code = "import json\nseen = hasattr(json, 'tt_marker')\njson.tt_marker = 1\nseen"
    assert [unrestricted_pool.run(RunRequest(code=code)).value for _ in range(4)] == ["False"] * 4


def test_full_queue_raises_busy_with_retry_after(small_pool):
    slow = RunRequest(code=SLEEP.format(s=1.5), limits=RunLimits(time_s=5))
    running, queued = submit(small_pool, slow), submit(small_pool, slow)
    wait_until(lambda: small_pool.sandbox.stats().waiting == 1)
    with pytest.raises(SandboxBusyError) as refused:
        submit(small_pool, slow).result(5)
    assert refused.value.retry_after >= 1
    assert running.result(30).value == "'slept'"
    assert queued.result(30).value == "'slept'"


def test_duration_is_measured(small_pool):
    result = small_pool.run(RunRequest(code=SLEEP.format(s=0.3)))
    assert 300 <= result.duration_ms < 3000


def test_a_waiting_child_that_dies_is_replaced(small_pool):
    warm_pid = small_pool.sandbox.warm_pid
    for child in procs.settle(warm_pid, waiting=1):
        os.kill(child.pid, signal.SIGKILL)
    result = small_pool.run(RunRequest(code="1 + 1"))
    assert result.status is Status.OK and result.value == "2"


def test_warm_parent_death_fails_in_flight_runs_then_recovers():
    pool = start_pool(PoolConfig(concurrency=2, executor=UNRESTRICTED_EXECUTOR))
    first_warm = pool.sandbox.warm_pid
    try:
        in_flight = submit(pool, RunRequest(code=SLEEP.format(s=5), limits=RunLimits(time_s=10)))
        wait_until(lambda: pool.sandbox.stats().running == 1)
        time.sleep(0.3)
        os.kill(first_warm, signal.SIGKILL)
        lost = in_flight.result(10)
        assert lost.status is Status.INTERNAL
        assert "Sorry" in lost.error.message
        after = pool.run(RunRequest(code="1 + 1"))
        assert after.status is Status.OK and after.value == "2"
        assert pool.sandbox.warm_pid not in (None, first_warm)
        assert pool.sandbox.stats().restarts == 1
        assert procs.wait_for_no_strays(timeout=5) == []
    finally:
        second_warm = pool.sandbox.warm_pid
        pool.close()
    alive = {proc.pid for proc in procs.processes()}
    assert first_warm not in alive and second_warm not in alive


async def test_aclose_stops_the_warm_parent_and_its_children():
    sandbox = await LocalSandbox.create(PoolConfig(concurrency=1, executor=UNRESTRICTED_EXECUTOR))
    warm_pid = sandbox.warm_pid
    assert warm_pid is not None
    procs.settle(warm_pid, waiting=1)
    await sandbox.aclose()
    assert warm_pid not in {proc.pid for proc in procs.processes()}
    assert procs.children_of(warm_pid) == []
    assert procs.wait_for_no_strays() == []


def test_frames_split_across_reads_are_reassembled():
    reader = protocol.FrameReader()
    data = protocol.frame(protocol.OUTPUT, b"hello") + protocol.frame(protocol.DONE, b"{}")
    frames = [frame for i in range(len(data)) for frame in reader.feed(data[i : i + 1])]
    assert frames == [(protocol.OUTPUT, b"hello"), (protocol.DONE, b"{}")]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Z\x00\x00\x00\x01x", id="unknown-kind"),
        pytest.param(protocol.HEADER.pack(protocol.OUTPUT, protocol.MAX_FRAME + 1), id="oversized"),
    ],
)
def test_invalid_frames_are_refused(data):
    with pytest.raises(protocol.FrameError):
        protocol.FrameReader().feed(data)


def test_cancelled_run_kills_its_child(small_pool):
    warm_pid = small_pool.sandbox.warm_pid
    before = {child.pid for child in procs.settle(warm_pid, waiting=1)}  # the spinner will be one of these
    spinning = submit(small_pool, RunRequest(code="while True:\n    pass", limits=RunLimits(time_s=20)))
    wait_until(lambda: small_pool.sandbox.stats().running == 1)
    spinning.cancel()
    wait_until(lambda: not before & {child.pid for child in procs.children_of(warm_pid)}, timeout=3)


def test_a_request_larger_than_the_pipe_is_sent_without_loop_errors(unrestricted_pool, caplog):
    # A check's evidence can be megabytes: the request waits for the pipe to drain, more than once.
    check = "assert x.shape == (600, 600), 'shape'"
    result = unrestricted_pool.run(RunRequest(code="import torch\nx = torch.randn(600, 600)", check=check))
    assert result.check is not None and result.check.passed, result.check
    assert [r.getMessage() for r in caplog.records if r.name == "asyncio"] == []
