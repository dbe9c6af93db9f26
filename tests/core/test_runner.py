"""Runs under real concurrency, on every backend: no transaction or connection is held while code runs.

The sandbox here blocks a run of code containing ``slow`` until the test releases it, so each test can act
while a run is certainly in flight.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta

import pytest

from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser
from bot.core.replies import Notice, RunOutput
from bot.core.tutor import Answer, Incoming, Tutor
from bot.store import SqlStore
from bot.store.models import LearnerRow, RunClaimRow
from sandbox.client import SandboxBusyError
from sandbox.result import RunRequest, RunResult
from tests.core.conftest import autograd_lesson, of_type, tensor_lesson, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox
from tests.store_view import count, learner_id, progress_steps, runs, submissions

ADA = PlatformUser("telegram", "ada", "Ada")
ADA_ON_DISCORD = PlatformUser("discord", "ada", "Ada")
GRACE = PlatformUser("telegram", "grace", "Grace")
SLOW = "/run slow = 1"
STILL_RUNNING = "still running"
WAIT = 5.0  # seconds: far beyond what an unblocked command takes, far below the blocked run


class GateSandbox(FakeSandbox):
    """Holds every run of code containing ``slow`` until ``release`` is set; notes connections in use."""

    def __init__(self, store: SqlStore) -> None:
        super().__init__()
        self.store = store
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.connections_while_running: list[int] = []

    async def run(self, request: RunRequest) -> RunResult:
        if "slow" in request.code:
            self.connections_while_running.append(self.store.connections_in_use())
            self.entered.set()
            await self.release.wait()
        return await super().run(request)


@pytest.fixture
def gate(backend_store: SqlStore) -> GateSandbox:
    return GateSandbox(backend_store)


def make_tutor(store: SqlStore, sandbox: FakeSandbox, clock: FakeClock, **settings: float) -> Tutor:
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    knobs = TutorSettings(commands_per_minute=1000, runs_per_minute=1000, **settings)  # type: ignore[arg-type]
    return Tutor(store, catalog, sandbox, settings=knobs, clock=clock)


@pytest.fixture
def tutor(backend_store: SqlStore, gate: GateSandbox, clock: FakeClock) -> Tutor:
    return make_tutor(backend_store, gate, clock)


async def slow_run_in_flight(
    tutor: Tutor, gate: GateSandbox, user: PlatformUser = ADA
) -> asyncio.Task[Answer]:
    """Start a run that blocks in the sandbox and return once it is there."""
    task = asyncio.create_task(tutor.handle(Incoming(user, SLOW)))
    await asyncio.wait_for(gate.entered.wait(), WAIT)
    return task


async def test_other_learners_help_answers_while_a_run_is_in_flight(tutor: Tutor, gate: GateSandbox) -> None:
    running = await slow_run_in_flight(tutor, gate)

    started = time.perf_counter()
    answer = await asyncio.wait_for(tutor.handle(Incoming(GRACE, "/help")), WAIT)
    waited = time.perf_counter() - started

    assert "Commands" in text_of(answer)
    assert not running.done(), "the run must still be in flight while /help answers"
    assert waited < 1.0, f"/help waited {waited:.3f} s on the run"  # it waits on nothing: ~10 ms
    gate.release.set()
    assert of_type(await running, RunOutput)


async def test_a_run_holds_no_pooled_connection_while_the_sandbox_works(
    tutor: Tutor, gate: GateSandbox, backend_store: SqlStore
) -> None:
    running = await slow_run_in_flight(tutor, gate)
    gate.release.set()
    await running

    assert gate.connections_while_running == [0]
    assert backend_store.connections_in_use() == 0


async def test_two_simultaneous_runs_of_one_learner_in_two_processes_give_one_run(
    backend_store: SqlStore, gate: GateSandbox, clock: FakeClock
) -> None:
    first, second = make_tutor(backend_store, gate, clock), make_tutor(backend_store, gate, clock)
    running = await slow_run_in_flight(first, gate)

    refused = await asyncio.wait_for(second.handle(Incoming(ADA, SLOW)), WAIT)
    gate.release.set()

    assert STILL_RUNNING in text_of(refused)
    assert of_type(await running, RunOutput)
    assert len(gate.requests) == 1
    assert len(await runs(backend_store)) == 1


async def test_two_simultaneous_runs_of_one_learner_in_one_process_give_one_run(
    tutor: Tutor, gate: GateSandbox
) -> None:
    both = [asyncio.create_task(tutor.handle(Incoming(ADA, SLOW))) for _ in range(2)]
    await asyncio.wait_for(gate.entered.wait(), WAIT)
    await asyncio.wait(both, timeout=WAIT, return_when=asyncio.FIRST_COMPLETED)
    gate.release.set()
    answers = [await task for task in both]

    assert [STILL_RUNNING in text_of(answer) for answer in answers].count(True) == 1
    assert len(gate.requests) == 1


async def test_linked_accounts_share_the_one_run_at_a_time_rule(
    tutor: Tutor, gate: GateSandbox, backend_store: SqlStore
) -> None:
    code = re.search(r"\*\*(\w{4}-\w{4})\*\*", text_of(await tutor.handle(Incoming(ADA_ON_DISCORD, "/link"))))
    assert code is not None
    await tutor.handle(Incoming(ADA, f"/link {code[1]}"))
    running = await slow_run_in_flight(tutor, gate, ADA_ON_DISCORD)

    refused = await asyncio.wait_for(tutor.handle(Incoming(ADA, "/run 1")), WAIT)
    gate.release.set()
    await running

    assert STILL_RUNNING in text_of(refused)


async def test_this_process_refuses_a_second_run_even_after_its_claim_expired(
    backend_store: SqlStore, gate: GateSandbox, clock: FakeClock
) -> None:
    tutor = make_tutor(backend_store, gate, clock, run_claim_seconds=10)
    running = await slow_run_in_flight(tutor, gate)
    clock.advance(60)

    refused = await asyncio.wait_for(tutor.handle(Incoming(ADA, "/run 2")), WAIT)
    gate.release.set()
    await running

    assert STILL_RUNNING in text_of(refused)
    assert len(gate.requests) == 1


async def test_a_claim_left_by_a_crashed_process_expires(
    backend_store: SqlStore, clock: FakeClock, sandbox: FakeSandbox
) -> None:
    tutor = make_tutor(backend_store, sandbox, clock, run_claim_seconds=30)
    await tutor.handle(Incoming(ADA, "/start"))
    async with backend_store.session() as session:
        ada = await session.learners.get_or_create(ADA)
        assert await session.runs.claim(ada.id, "crashed", clock(), clock() + timedelta(seconds=30))

    assert STILL_RUNNING in text_of(await tutor.handle(Incoming(ADA, "/run 1")))
    clock.advance(31)
    assert of_type(await tutor.handle(Incoming(ADA, "/run 1")), RunOutput)
    assert await count(backend_store, RunClaimRow) == 0


async def test_forget_during_a_run_drops_the_late_result_and_keeps_everyone_elses_data(
    tutor: Tutor, gate: GateSandbox, backend_store: SqlStore
) -> None:
    await tutor.handle(Incoming(GRACE, "/lesson tensor-basics"))
    await tutor.handle(Incoming(GRACE, "/run 1"))
    grace = await learner_id(backend_store, GRACE)
    running = await slow_run_in_flight(tutor, gate)

    forgotten = await asyncio.wait_for(tutor.handle(Incoming(ADA, "/forget confirm")), WAIT)
    gate.release.set()
    late = await running

    assert "deleted" in text_of(forgotten)
    assert of_type(late, RunOutput), "the output is still shown"
    assert "not saved" in text_of(late)
    assert await learner_id(backend_store, ADA) is None
    assert await count(backend_store, LearnerRow) == 1
    assert [learner for learner, _, _ in await runs(backend_store)] == [grace]
    assert [(who, lesson) for who, lesson, _ in await progress_steps(backend_store)] == [
        (grace, "tensor-basics")
    ]
    assert await count(backend_store, RunClaimRow) == 0


async def test_a_run_finishing_after_a_link_merge_is_recorded_for_the_merged_learner(
    tutor: Tutor, gate: GateSandbox, backend_store: SqlStore
) -> None:
    running = await slow_run_in_flight(tutor, gate, ADA)
    code = re.search(r"\*\*(\w{4}-\w{4})\*\*", text_of(await tutor.handle(Incoming(ADA_ON_DISCORD, "/link"))))
    assert code is not None

    linked = await asyncio.wait_for(tutor.handle(Incoming(ADA, f"/link {code[1]}")), WAIT)
    gate.release.set()
    late = await running

    assert "Linked!" in text_of(linked)
    assert "not saved" not in text_of(late)
    merged = await learner_id(backend_store, ADA_ON_DISCORD)
    assert merged == await learner_id(backend_store, ADA)
    assert [learner for learner, _, _ in await runs(backend_store)] == [merged]


async def test_a_submission_is_recorded_for_its_exercise_after_the_learner_moved_on(
    tutor: Tutor, gate: GateSandbox, backend_store: SqlStore
) -> None:
    await tutor.handle(Incoming(ADA, "/lesson tensor-basics"))
    for _ in range(4):
        await tutor.handle(Incoming(ADA, "/next"))
    submitting = asyncio.create_task(tutor.handle(Incoming(ADA, "/submit slow = torch.zeros(2)")))
    await asyncio.wait_for(gate.entered.wait(), WAIT)

    moved = await asyncio.wait_for(tutor.handle(Incoming(ADA, "/next")), WAIT)
    gate.release.set()
    graded = await submitting

    assert "step 6/6" in text_of(moved)
    assert "Passed!" in text_of(graded)
    assert await submissions(backend_store) == [("make-zeros", True)]


async def test_a_busy_sandbox_releases_the_claim(
    tutor: Tutor, gate: GateSandbox, backend_store: SqlStore
) -> None:
    gate.will_return(SandboxBusyError(retry_after=1.5))

    busy = await tutor.handle(Incoming(ADA, "/run 1"))

    assert "try again in 2 s" in text_of(busy)
    assert of_type(busy, Notice)
    assert await count(backend_store, RunClaimRow) == 0
    assert of_type(await tutor.handle(Incoming(ADA, "/run 1")), RunOutput)
