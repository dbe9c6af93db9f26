"""The HTTP service: POST /run, malformed requests, retries, 503 when busy, health, readiness, metrics."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from sandbox.local import PoolConfig, PoolStats
from sandbox.result import RunLimits
from sandbox.service import MAX_CODE_CHARS, BadRequest, SandboxService, ServiceConfig, parse_request
from tests.fakes import FakeSandbox
from tests.sandbox.conftest import UNRESTRICTED_EXECUTOR, PoolThread, ThreadedSandbox, start_pool


@pytest.fixture(scope="module")
def tiny_pool():
    pool = start_pool(PoolConfig(concurrency=1, queue_size=0, pool_size=1, executor=UNRESTRICTED_EXECUTOR))
    yield pool
    pool.close()


TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def make_client(
    pool: PoolThread, config: ServiceConfig | None = None, headers: dict[str, str] | None = None
) -> TestClient:
    config = config or ServiceConfig(token=TOKEN)
    service = SandboxService(ThreadedSandbox(pool), config, pool.sandbox.stats)
    client = TestClient(TestServer(service.app()), headers=AUTH if headers is None else headers)
    await client.start_server()
    return client


@pytest.fixture
async def client(unrestricted_pool):
    http = await make_client(unrestricted_pool)
    yield http
    await http.close()


async def test_post_run_returns_the_result_object(client):
    response = await client.post("/run", json={"code": "print('hi')\n6 * 7"})
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["stdout"] == "hi\n"
    assert body["value"] == "42"
    contract = {"error", "warnings", "tensors", "modules", "graph", "graph_text", "check", "duration_ms"}
    assert contract <= set(body)


async def test_limits_in_the_request_apply(client):
    response = await client.post("/run", json={"code": "while True:\n    pass", "limits": {"time_s": 0.5}})
    body = await response.json()
    assert body["status"] == "timeout"
    assert body["error"]["message"] == "Time limit of 0.5 s reached"


async def test_check_runs_after_the_code(pool):
    http = await make_client(pool)
    try:
        body = {"code": "x = 2", "check": "assert x == 3, 'x should be 3'"}
        response = await http.post("/run", json=body)
        body = await response.json()
        expected = {"passed": False, "message": "x should be 3", "message_id": None, "params": {}}
        assert body["check"] == expected
    finally:
        await http.close()


async def test_a_probe_reads_the_learners_function_for_the_check(pool):
    http = await make_client(pool)
    try:
        body = {
            "code": "def f(v):\n    return v + 1",
            "probe": "got = f(1)",
            "check": "assert got == 3, 'off'",
        }
        response = await http.post("/run", json=body)
        assert (await response.json())["check"] == {
            "passed": False,
            "message": "off",
            "message_id": None,
            "params": {},
        }
    finally:
        await http.close()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "code: required"),
        ({"code": "1", "probe": "x = 1"}, "probe: needs a check"),
        ({"code": 5}, "code: must be a string"),
        ({"code": "1", "check": 3}, "check: must be a string"),
        ({"code": "1", "colour": "red"}, "unknown field(s): colour"),
        ({"code": "1", "limits": {"time_s": -1}}, "limits: limit 'time_s' must be a positive number"),
        ({"code": "1", "limits": {"gpu": 1}}, "limits: unknown limit(s): gpu"),
        ({"code": "1", "limits": [1]}, "limits: must be an object"),
        ({"code": "1", "request_id": "has spaces"}, "request_id: must be 1-128 characters"),
        ({"code": "x" * (MAX_CODE_CHARS + 1)}, "code: longer than"),
        ([1, 2], "the body must be a JSON object"),
    ],
)
async def test_malformed_request_is_a_400_naming_the_problem(client, body, message):
    response = await client.post("/run", json=body)
    assert response.status == 400
    assert message in (await response.json())["error"]


async def test_body_that_is_not_json_is_a_400(client):
    response = await client.post("/run", data=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert (await response.json())["error"] == "the body is not valid JSON"


async def test_oversized_body_is_refused(unrestricted_pool):
    http = await make_client(unrestricted_pool, ServiceConfig(token=TOKEN, max_body_bytes=1000))
    try:
        response = await http.post("/run", json={"code": "1" * 5000})
        assert response.status == 413
    finally:
        await http.close()


async def test_same_request_id_runs_once(client):
    body = {"code": "import os\nos.urandom(8).hex()", "request_id": "retry-1"}
    first = await client.post("/run", json=body)
    second = await client.post("/run", json=body)
    assert second.headers.get("Idempotent-Replay") == "true"
    assert (await first.json())["value"] == (await second.json())["value"]  # the same run's random bytes
    other = await client.post("/run", json={**body, "request_id": "retry-2"})
    assert (await other.json())["value"] != (await first.json())["value"]


async def test_concurrent_retry_waits_for_the_same_run(client):
    body = {"code": "import os, time\ntime.sleep(0.5)\nos.urandom(8).hex()", "request_id": "retry-concurrent"}
    first, second = await asyncio.gather(client.post("/run", json=body), client.post("/run", json=body))
    assert (await first.json())["value"] == (await second.json())["value"]
    assert "true" in (first.headers.get("Idempotent-Replay"), second.headers.get("Idempotent-Replay"))


async def test_request_id_reused_for_other_code_is_a_conflict(client):
    await client.post("/run", json={"code": "1", "request_id": "reused"})
    response = await client.post("/run", json={"code": "2", "request_id": "reused"})
    assert response.status == 409


async def test_saturated_service_answers_503_with_retry_after(tiny_pool):
    http = await make_client(tiny_pool)
    try:
        slow = http.post("/run", json={"code": "import time\ntime.sleep(1.5)", "limits": {"time_s": 5}})
        busy_task = asyncio.ensure_future(slow)
        await asyncio.sleep(0.3)
        refused = await http.post("/run", json={"code": "1"})
        assert refused.status == 503
        assert int(refused.headers["Retry-After"]) >= 1
        assert "busy" in (await refused.json())["error"]
        assert (await busy_task).status == 200
        metrics = await (await http.get("/metrics")).text()
        assert "sandbox_busy_rejections_total 1" in metrics
    finally:
        await http.close()


async def test_healthz_is_ok_while_the_pool_serves(client):
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json()) == {"status": "ok"}


async def test_metrics_are_prometheus_text(client):
    await client.post("/run", json={"code": "1"})
    await client.post("/run", json={"code": "1/0"})
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = await response.text()
    assert 'sandbox_runs_total{status="ok"} ' in text
    assert 'sandbox_runs_total{status="error"} ' in text
    assert "# TYPE sandbox_run_duration_seconds histogram" in text
    assert 'sandbox_run_duration_seconds_bucket{le="+Inf"}' in text
    assert "sandbox_queue_depth 0" in text
    assert "sandbox_pool_ready_children " in text
    assert "sandbox_up 1" in text


def test_overrides_within_the_maxima_apply():
    config = ServiceConfig(limits=RunLimits(), max_limits=RunLimits(time_s=2, cpu_s=2, memory_mib=64))
    request = parse_request({"code": "1", "limits": {"time_s": 1.5, "memory_mib": 32}}, config)
    assert request.limits == RunLimits(time_s=1.5, cpu_s=2, memory_mib=32, output_bytes=64 * 1024, replay_s=2)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"time_s": float("inf")}, "limit 'time_s' must be a finite number"),
        ({"time_s": float("nan")}, "limit 'time_s' must be a finite number"),
        ({"memory_mib": 1e400}, "limit 'memory_mib' must be a finite number"),
        ({"cpu_s": 2.5}, "limit 'cpu_s' must be a whole number"),
        ({"time_s": 0}, "limit 'time_s' must be a positive number"),
        ({"time_s": True}, "limit 'time_s' must be a finite number"),
        ({"memory_mib": 10**6}, "limit 'memory_mib' is 1e+06, above this service's maximum of 64"),
    ],
)
def test_limits_that_are_not_finite_positive_or_within_the_maxima_are_refused(limits, message):
    config = ServiceConfig(limits=RunLimits(), max_limits=RunLimits(time_s=2, cpu_s=2, memory_mib=64))
    with pytest.raises(BadRequest, match="limits: " + message.replace("+", r"\+")):
        parse_request({"code": "1", "limits": limits}, config)


def test_request_without_limits_gets_the_defaults():
    config = ServiceConfig(limits=RunLimits(time_s=3), max_limits=RunLimits(time_s=10))
    assert parse_request({"code": "1"}, config).limits == RunLimits(time_s=3)


def test_null_optional_fields_are_accepted():
    request = parse_request({"code": "1", "setup": None, "check": None, "limits": None}, ServiceConfig())
    assert request.setup is None and request.check is None


def test_bad_request_is_a_value_error():
    with pytest.raises(BadRequest):
        parse_request("code", ServiceConfig())


async def test_a_retry_after_the_first_caller_gave_up_gets_the_finished_run():
    from sandbox.idempotency import IdempotentRuns
    from sandbox.result import RunResult, Status

    calls = []

    async def start() -> RunResult:
        calls.append(1)
        await asyncio.sleep(0.2)
        return RunResult(status=Status.OK, value=str(len(calls)))

    runs = IdempotentRuns()
    first = asyncio.ensure_future(runs.run("id-1", "digest", start))
    await asyncio.sleep(0.05)
    first.cancel()  # the client timed out
    result, replayed = await runs.run("id-1", "digest", start)
    assert (result.value, replayed, len(calls)) == ("1", True, 1)


async def test_readyz_is_ok_while_the_pool_has_room(client):
    response = await client.get("/readyz")
    assert response.status == 200
    assert (await response.json()) == {"status": "ready"}


async def test_readyz_is_503_while_the_queue_is_full(tiny_pool):
    http = await make_client(tiny_pool)
    try:
        slow = asyncio.ensure_future(
            http.post("/run", json={"code": "import time\ntime.sleep(1)", "limits": {"time_s": 5}})
        )
        await asyncio.sleep(0.3)
        response = await http.get("/readyz")
        assert response.status == 503
        assert (await response.json())["reason"] == "the queue is full"
        assert (await slow).status == 200
    finally:
        await http.close()


def stopped_pool() -> PoolStats:
    return PoolStats(
        healthy=False, concurrency=2, queue_size=4, running=0, waiting=0, ready_children=0, restarts=3
    )


async def test_readyz_is_503_while_the_warm_parent_is_down():
    service = SandboxService(FakeSandbox(), ServiceConfig(), stopped_pool)
    http = TestClient(TestServer(service.app()))
    await http.start_server()
    try:
        response = await http.get("/readyz")
        assert response.status == 503
        assert (await response.json())["reason"] == "the warm parent is not serving"
    finally:
        await http.close()


async def test_metrics_show_the_pool_size_queue_capacity_and_restarts():
    service = SandboxService(FakeSandbox(), ServiceConfig(), stopped_pool)
    http = TestClient(TestServer(service.app()))
    await http.start_server()
    try:
        text = await (await http.get("/metrics")).text()
    finally:
        await http.close()
    assert "sandbox_up 0.0" in text
    assert "sandbox_concurrency 2.0" in text
    assert "sandbox_queue_capacity 4.0" in text
    assert "sandbox_warm_restarts_total 3.0" in text


async def test_each_service_counts_in_a_registry_of_its_own():
    first = SandboxService(FakeSandbox(), ServiceConfig())
    second = SandboxService(FakeSandbox(), ServiceConfig())
    http = TestClient(TestServer(first.app()))
    await http.start_server()
    try:
        await http.post("/run", json={"code": "1"})
    finally:
        await http.close()
    assert first.registry.get_sample_value("sandbox_runs_total", {"status": "ok"}) == 1
    assert second.registry.get_sample_value("sandbox_runs_total", {"status": "ok"}) == 0
