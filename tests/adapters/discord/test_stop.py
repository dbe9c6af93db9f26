"""Stopping the Discord front end: refuse new interactions, finish those in flight, then close.

The bot here is ``tutor serve``'s own (``DiscordService``), so ``stop()`` is exercised as serve calls it.
A run waits on the sandbox until the test releases it; SimCord is told that wait is external, so an
interaction's result comes back while its handler is still in flight.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from pydantic import SecretStr

from bot.adapters.discord.service import DRAIN_MARGIN, DiscordService
from bot.config import DiscordSettings, SandboxSettings, Settings
from bot.core.tutor import Tutor
from bot.store import SqlStore
from sandbox.result import RunRequest, RunResult
from tests.adapters.discord.conftest import World, text_of
from tests.fakes import FakeSandbox, ok
from tests.store_view import runs

DRAIN_TIMEOUT = 0.5


class SlowSandbox(FakeSandbox):
    """A sandbox whose runs wait until released (or forever), so a stop can arrive mid-run."""

    def __init__(self) -> None:
        super().__init__()
        self.world: World | None = None
        self.running = asyncio.Event()
        self.release = asyncio.Event()

    async def run(self, request: RunRequest) -> RunResult:
        assert self.world is not None
        self.requests.append(request)
        self.running.set()
        await self.world.env.external_wait(self.release.wait(), reason="a run the test releases")
        return ok(stdout="finished\n")


@pytest.fixture
def sandbox() -> SlowSandbox:
    return SlowSandbox()


@pytest.fixture
def service(tutor: Tutor) -> DiscordService:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        discord=DiscordSettings(token=SecretStr("x"), shard_count=1, drain_timeout=DRAIN_TIMEOUT),
    )
    return DiscordService(tutor, settings)


@pytest.fixture
def simcord_bot(service: DiscordService) -> object:
    return service.bot


@pytest.fixture
def slow(world: World, sandbox: SlowSandbox) -> SlowSandbox:
    sandbox.world = world
    return sandbox


async def start_run(world: World, sandbox: SlowSandbox) -> Any:
    """Start a /run in a DM; return its interaction once its handler waits on the sandbox."""
    result = await world.user.slash("run", code="print('finished')")
    await asyncio.wait_for(sandbox.running.wait(), 5)
    return result


async def test_a_run_in_flight_at_stop_finishes_and_its_write_is_kept(
    world: World, slow: SlowSandbox, service: DiscordService, store: SqlStore
) -> None:
    run = await start_run(world, slow)

    stopping = asyncio.create_task(service.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waiting for the run
    slow.release.set()
    await asyncio.wait_for(stopping, DRAIN_TIMEOUT)

    assert len(await runs(store)) == 1
    assert "finished" in text_of(run)
    assert service.bot.is_closed()


async def test_an_interaction_arriving_while_stopping_is_refused_politely(
    world: World, slow: SlowSandbox, service: DiscordService
) -> None:
    await start_run(world, slow)
    stopping = asyncio.create_task(service.stop())
    await asyncio.sleep(0.05)

    refused = await world.user.slash("lessons")

    assert "The tutor is restarting. Please try again in a moment." in text_of(refused)
    assert refused.response is not None and refused.response.ephemeral
    slow.release.set()
    await asyncio.wait_for(stopping, DRAIN_TIMEOUT)


async def test_stop_returns_within_the_timeout_when_a_handler_hangs(
    world: World, slow: SlowSandbox, service: DiscordService, caplog: pytest.LogCaptureFixture
) -> None:
    await start_run(world, slow)  # never released
    loop = asyncio.get_running_loop()
    started = loop.time()

    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord.inflight"):
        await asyncio.wait_for(service.stop(), DRAIN_TIMEOUT + 2)

    assert loop.time() - started < DRAIN_TIMEOUT + 1.5
    assert any("still running after" in r.getMessage() for r in caplog.records)
    assert len(service.frontend.inflight) == 0  # cancelled, so its store session rolled back


@pytest.mark.parametrize(("configured", "expected"), [(None, 5.0 + DRAIN_MARGIN), (42.0, 42.0)])
def test_drain_timeout_defaults_to_the_sandbox_time_limit_plus_a_margin(
    tutor: Tutor, configured: float | None, expected: float
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        discord=DiscordSettings(token=SecretStr("x"), drain_timeout=configured),
        sandbox=SandboxSettings(time_limit=5.0),
    )

    assert DiscordService(tutor, settings).drain_timeout == expected
