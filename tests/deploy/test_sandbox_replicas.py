"""HttpSandbox against two real ``tutor sandbox serve`` replicas: spread, busy, and one killed mid-run.

The replicas run with full isolation (no ``--insecure-dev``), one run at a time and one waiting each, so a
handful of runs fills them.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sandbox.client import SandboxBusyError
from sandbox.http_client import HttpSandbox
from sandbox.result import RunLimits, RunRequest, RunResult, Status
from tests.sandbox.service_process import TOKEN, ServiceProcess, services

pytestmark = pytest.mark.timeout(60)

REPLICA_ARGS = ("--concurrency", "1", "--queue", "1")
AUTOGRAD = (
    "import torch\nx = torch.ones(2, 2, requires_grad=True)\nout = (x * 3).mean()\nout.backward()\nx.grad"
)
SPIN = RunRequest(code="while True:\n    pass", limits=RunLimits(time_s=1.5, cpu_s=3))


def autograd(request_id: str | None = None) -> RunRequest:
    return RunRequest(code=AUTOGRAD, request_id=request_id or uuid.uuid4().hex)


def spin() -> RunRequest:
    return RunRequest(code=SPIN.code, limits=SPIN.limits, request_id=uuid.uuid4().hex)


@pytest.fixture(scope="module")
def replicas() -> Iterator[list[ServiceProcess]]:
    with services(2, REPLICA_ARGS) as started:
        yield started


async def test_runs_spread_over_both_replicas(replicas: list[ServiceProcess]) -> None:
    before = [replica.runs() for replica in replicas]
    client = HttpSandbox([replica.url for replica in replicas], token=TOKEN)
    try:
        results = [await client.run(autograd()) for _ in range(8)]
    finally:
        await client.aclose()

    served = [replica.runs() - start for replica, start in zip(replicas, before, strict=True)]
    assert [result.status for result in results] == [Status.OK] * 8
    assert results[0].value == "tensor([[0.7500, 0.7500],\n        [0.7500, 0.7500]])"
    assert all(count > 0 for count in served), served
    assert sum(served) == 8


async def test_busy_error_when_every_replica_queue_is_full(replicas: list[ServiceProcess]) -> None:
    client = HttpSandbox([replica.url for replica in replicas], token=TOKEN)
    try:
        # Two replicas x (one running + one waiting): four spinning runs fill every queue.
        filling = [asyncio.ensure_future(client.run(spin())) for _ in range(4)]
        await asyncio.sleep(0.5)
        with pytest.raises(SandboxBusyError, match=r"the code runner is busy, try again in \d+ s"):
            await client.run(autograd())
        finished = await asyncio.gather(*filling)
    finally:
        await client.aclose()

    assert [result.status for result in finished] == [Status.TIMEOUT] * 4


@dataclass
class AfterKill:
    survivor: ServiceProcess
    killed: ServiceProcess
    in_flight: list[tuple[str, RunResult]]  # (replica URL the client started on, result)
    survivor_runs_before: float
    survivor_runs_after_in_flight: float


@pytest.fixture(scope="module")
def after_kill() -> Iterator[AfterKill]:
    """Two fresh replicas; four spinning runs in flight (two each) when the first replica is SIGKILLed."""
    with services(2, REPLICA_ARGS) as (killed, survivor):
        before = survivor.runs()

        async def scenario() -> list[tuple[str, RunResult]]:
            client = HttpSandbox([killed.url, survivor.url], token=TOKEN)
            try:
                # Round robin: runs 0 and 2 start on the first replica, 1 and 3 on the survivor.
                runs = [asyncio.ensure_future(client.run(spin())) for _ in range(4)]
                await asyncio.sleep(0.5)
                killed.kill()
                results = await asyncio.gather(*runs)
            finally:
                await client.aclose()
            urls = [killed.url, survivor.url] * 2
            return list(zip(urls, results, strict=True))

        in_flight = asyncio.run(scenario())
        time.sleep(0.1)
        yield AfterKill(survivor, killed, in_flight, before, survivor.runs())


def test_runs_in_flight_on_the_killed_replica_end_internal_and_are_not_rerun(after_kill: AfterKill) -> None:
    statuses = {
        url: [r.status for u, r in after_kill.in_flight if u == url] for url, _ in after_kill.in_flight
    }

    assert statuses[after_kill.killed.url] == [Status.INTERNAL, Status.INTERNAL]
    assert statuses[after_kill.survivor.url] == [Status.TIMEOUT, Status.TIMEOUT]
    # The survivor ran only its own two: the killed replica's runs were not sent again elsewhere.
    assert after_kill.survivor_runs_after_in_flight - after_kill.survivor_runs_before == 2


async def test_runs_after_a_replica_died_succeed_on_the_survivor_once_each(after_kill: AfterKill) -> None:
    before = after_kill.survivor.runs()
    client = HttpSandbox([after_kill.killed.url, after_kill.survivor.url], token=TOKEN)
    try:
        results = [await client.run(autograd()) for _ in range(6)]
    finally:
        await client.aclose()

    assert [result.status for result in results] == [Status.OK] * 6
    assert after_kill.survivor.runs() - before == 6


async def test_a_retried_request_id_is_answered_without_running_again(after_kill: AfterKill) -> None:
    client = HttpSandbox([after_kill.killed.url, after_kill.survivor.url], token=TOKEN)
    try:
        first = await client.run(autograd("replayed-run-1"))
        before = after_kill.survivor.runs()
        again = await client.run(autograd("replayed-run-1"))
    finally:
        await client.aclose()

    assert again == first
    assert after_kill.survivor.runs() == before
