import asyncio

from bot.app.sandbox import DefaultLimits, run_limits
from bot.config import SandboxSettings
from sandbox.result import RunLimits, RunRequest
from tests.fakes import FakeSandbox


def test_run_limits_come_from_the_settings() -> None:
    settings = SandboxSettings(time_limit=2.0, cpu_limit=3, memory_mib=256, output_bytes=1000)
    assert run_limits(settings) == RunLimits(time_s=2.0, cpu_s=3, memory_mib=256, output_bytes=1000)


def test_requests_without_limits_get_the_configured_ones() -> None:
    inner = FakeSandbox()
    limits = RunLimits(time_s=2.0)
    asyncio.run(DefaultLimits(inner, limits).run(RunRequest(code="1")))
    assert inner.requests == [RunRequest(code="1", limits=limits)]


def test_requests_with_their_own_limits_keep_them() -> None:
    inner = FakeSandbox()
    own = RunLimits(time_s=1.0)
    asyncio.run(DefaultLimits(inner, RunLimits(time_s=2.0)).run(RunRequest(code="1", limits=own)))
    assert inner.requests[0].limits == own
