"""The bot's /metrics, /healthz and /readyz, scraped over HTTP after commands through a tutor with fakes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser
from bot.core.tutor import Incoming, Tutor
from bot.observability.health import LoopWatch, readiness_checks
from bot.observability.metrics import PrometheusObserver, watch_pool
from bot.observability.server import build_app
from bot.store import SqlStore
from sandbox.client import SandboxBusyError
from sandbox.local import PoolStats
from sandbox.result import RunResult, Status
from tests.core.conftest import tensor_lesson
from tests.fakes import FakeCatalogSource, FakeSandbox, ok

ADA = PlatformUser(platform="console", user_id="ada", display_name="Ada")


class UpStore:
    """A store whose database answers (readiness only pings it)."""

    async def ping(self) -> None:
        """Answer."""


class DownStore:
    """A store whose database does not answer."""

    async def ping(self) -> None:
        raise ConnectionRefusedError("connection refused")


class StoppedSandbox(FakeSandbox):
    """A sandbox client whose runner is down."""

    async def healthy(self) -> bool:
        return False


def make_tutor(
    store: SqlStore, registry: CollectorRegistry, sandbox: FakeSandbox, commands_per_minute: int = 1000
) -> Tutor:
    settings = TutorSettings(commands_per_minute=commands_per_minute, runs_per_minute=1000)
    catalog = FakeCatalogSource([tensor_lesson()])
    return Tutor(store, catalog, sandbox, settings=settings, observer=PrometheusObserver(registry))


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[TestClient]]]:
    clients: list[TestClient] = []

    async def start(registry: CollectorRegistry, **parts: object) -> TestClient:
        store = parts.get("store", UpStore())
        catalog = parts.get("catalog", FakeCatalogSource([tensor_lesson()]))
        sandbox = parts.get("sandbox", FakeSandbox())
        watch = parts.get("watch")
        checks = readiness_checks(store, catalog, sandbox)  # type: ignore[arg-type]
        client = TestClient(TestServer(build_app(registry, checks, watch)))  # type: ignore[arg-type]
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


async def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status == 200
    samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def command(name: str, outcome: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    return ("tutor_commands_total", (("command", name), ("outcome", outcome)))


async def say(tutor: Tutor, text: str) -> None:
    await tutor.handle(Incoming(user=ADA, text=text))


async def test_metrics_count_commands_by_name_and_outcome(serve, store: SqlStore) -> None:
    registry = CollectorRegistry()
    tutor = make_tutor(store, registry, FakeSandbox())
    for text in ("/help", "/help", "/lesson no-such-lesson", "hello"):
        await say(tutor, text)

    samples = await scrape(await serve(registry))

    assert samples[command("help", "ok")] == 2
    assert samples[command("lesson", "user_error")] == 1
    assert samples[command("message", "ok")] == 1
    assert samples[("tutor_command_duration_seconds_count", ())] == 4


async def test_metrics_count_runs_by_status_with_their_latency(serve, store: SqlStore) -> None:
    registry = CollectorRegistry()
    sandbox = FakeSandbox()
    sandbox.will_return(ok(), RunResult(status=Status.TIMEOUT, duration_ms=1000.0))
    tutor = make_tutor(store, registry, sandbox)
    await say(tutor, "/run 1")
    await say(tutor, "/run while True: pass")

    samples = await scrape(await serve(registry))

    assert samples[("tutor_runs_total", (("status", "ok"),))] == 1
    assert samples[("tutor_runs_total", (("status", "timeout"),))] == 1
    assert samples[("tutor_run_duration_seconds_count", ())] == 2
    assert samples[("tutor_run_duration_seconds_bucket", (("le", "+Inf"),))] == 2


async def test_a_busy_sandbox_counts_as_a_busy_run_and_a_user_error(serve, store: SqlStore) -> None:
    registry = CollectorRegistry()
    sandbox = FakeSandbox()
    sandbox.will_return(SandboxBusyError(3))
    await say(make_tutor(store, registry, sandbox), "/run 1")

    samples = await scrape(await serve(registry))

    assert samples[("tutor_runs_total", (("status", "busy"),))] == 1
    assert samples[command("run", "user_error")] == 1


async def test_a_rate_limited_command_counts_as_rate_limited(serve, store: SqlStore) -> None:
    registry = CollectorRegistry()
    tutor = make_tutor(store, registry, FakeSandbox(), commands_per_minute=1)
    await say(tutor, "/help")
    await say(tutor, "/help")

    samples = await scrape(await serve(registry))

    assert samples[command("help", "ok")] == 1
    assert samples[command("help", "rate_limited")] == 1


async def test_a_bug_counts_as_an_error_and_still_propagates(serve, store: SqlStore) -> None:
    registry = CollectorRegistry()
    sandbox = FakeSandbox()
    sandbox.will_return(RuntimeError("bug"))
    with pytest.raises(RuntimeError):
        await say(make_tutor(store, registry, sandbox), "/run 1")

    samples = await scrape(await serve(registry))

    assert samples[command("run", "error")] == 1


async def test_metrics_stay_out_of_the_global_default_registry(store: SqlStore) -> None:
    registry = CollectorRegistry()
    await say(make_tutor(store, registry, FakeSandbox()), "/help")
    assert registry.get_sample_value("tutor_commands_total", {"command": "help", "outcome": "ok"}) == 1
    assert REGISTRY.get_sample_value("tutor_commands_total", {"command": "help", "outcome": "ok"}) is None


async def test_metrics_show_the_embedded_pool_gauges(serve) -> None:
    registry = CollectorRegistry()
    stats = PoolStats(
        healthy=True, concurrency=2, queue_size=32, running=1, waiting=5, ready_children=1, restarts=0
    )
    watch_pool(registry, lambda: stats)

    samples = await scrape(await serve(registry))

    assert samples[("tutor_sandbox_queue_depth", ())] == 5
    assert samples[("tutor_sandbox_running", ())] == 1
    assert samples[("tutor_sandbox_concurrency", ())] == 2
    assert samples[("tutor_sandbox_up", ())] == 1


async def test_readyz_is_200_when_database_lessons_and_sandbox_are_fine(serve) -> None:
    response = await (await serve(CollectorRegistry())).get("/readyz")
    assert response.status == 200
    body = await response.json()
    assert body == {"ready": True, "checks": {"database": "ok", "lessons": "ok", "sandbox": "ok"}}


async def test_readyz_is_503_when_the_database_is_down(serve) -> None:
    response = await (await serve(CollectorRegistry(), store=DownStore())).get("/readyz")
    assert response.status == 503
    body = await response.json()
    assert body["ready"] is False
    assert body["checks"]["database"] == "failed: ConnectionRefusedError"
    assert body["checks"]["lessons"] == "ok"


async def test_readyz_is_503_when_no_lesson_is_loaded(serve) -> None:
    response = await (await serve(CollectorRegistry(), catalog=FakeCatalogSource([]))).get("/readyz")
    assert response.status == 503
    assert (await response.json())["checks"]["lessons"] == "failed"


async def test_readyz_is_503_when_the_sandbox_is_down(serve) -> None:
    response = await (await serve(CollectorRegistry(), sandbox=StoppedSandbox())).get("/readyz")
    assert response.status == 503
    assert (await response.json())["checks"]["sandbox"] == "failed"


async def test_healthz_is_200_while_the_event_loop_is_responsive(serve) -> None:
    client = await serve(CollectorRegistry(), watch=LoopWatch(interval_s=0.05))
    await asyncio.sleep(0.1)
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


async def test_healthz_is_503_after_the_event_loop_was_blocked(serve) -> None:
    client = await serve(CollectorRegistry(), watch=LoopWatch(interval_s=0.05, max_lag_s=0.2))
    await asyncio.sleep(0.1)
    time.sleep(0.5)  # block the loop, as a synchronous call in a handler would
    await asyncio.sleep(0.01)
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["loop_lag_s"] >= 0.2


async def test_loop_watch_that_never_ran_is_not_responsive() -> None:
    assert LoopWatch().responsive() is False
