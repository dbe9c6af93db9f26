"""HttpSandbox: results over HTTP, busy replicas, failover only when a request surely never arrived."""

from __future__ import annotations

import socket

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from sandbox.client import SandboxBusyError
from sandbox.http_client import HttpSandbox
from sandbox.result import RunLimits, RunRequest, RunResult, Status
from sandbox.service import SandboxService, ServiceConfig
from tests.sandbox.conftest import ThreadedSandbox

OK = RunResult(status=Status.OK, value="2").to_json()


class Replica:
    """A fake service that records what it received and answers as told."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.received: list[dict] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.received.append(await request.json())
        answer = self.answers.pop(0) if self.answers else "ok"
        if answer == "busy":
            return web.json_response({"error": "busy"}, status=503, headers={"Retry-After": "7"})
        if answer == "drop":
            assert request.transport is not None
            request.transport.close()  # received, then the connection dies: the client cannot know more
            return web.Response()
        return web.json_response(OK)


@pytest.fixture
async def serve():
    servers: list[TestServer] = []

    async def start(replica: Replica) -> str:
        app = web.Application()
        app.router.add_post("/run", replica.handle)
        server = TestServer(app)
        await server.start_server()
        servers.append(server)
        return str(server.make_url(""))

    yield start
    for server in servers:
        await server.close()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


async def test_runs_code_on_a_real_service(unrestricted_pool):
    sandbox = ThreadedSandbox(unrestricted_pool)
    service = SandboxService(sandbox, ServiceConfig(), unrestricted_pool.sandbox.stats)
    server = TestServer(service.app())
    await server.start_server()
    client = HttpSandbox(str(server.make_url("")))
    try:
        result = await client.run(RunRequest(code="print('hi')\n6 * 7", limits=RunLimits(time_s=5)))
        assert result.status is Status.OK
        assert (result.stdout, result.value) == ("hi\n", "42")
    finally:
        await client.aclose()
        await server.close()


async def test_busy_replica_raises_sandbox_busy(serve):
    client = HttpSandbox(await serve(Replica("busy")))
    try:
        with pytest.raises(SandboxBusyError) as busy:
            await client.run(RunRequest(code="1"))
        assert busy.value.retry_after == 7
    finally:
        await client.aclose()


async def test_refused_connection_fails_over_to_the_next_url(serve):
    second = Replica("ok")
    client = HttpSandbox([closed_port_url(), await serve(second)])
    try:
        result = await client.run(RunRequest(code="1"))
        assert result.status is Status.OK
        assert len(second.received) == 1
    finally:
        await client.aclose()


async def test_busy_replica_fails_over_to_an_idle_one(serve):
    first, second = Replica("busy"), Replica("ok")
    client = HttpSandbox([await serve(first), await serve(second)])
    try:
        assert (await client.run(RunRequest(code="1"))).status is Status.OK
        assert len(first.received) == len(second.received) == 1
    finally:
        await client.aclose()


async def test_no_reachable_replica_is_an_internal_result(caplog):
    client = HttpSandbox([closed_port_url(), closed_port_url()])
    try:
        result = await client.run(RunRequest(code="1"))
        assert result.status is Status.INTERNAL
        assert "no sandbox service reachable" in caplog.text
    finally:
        await client.aclose()


async def test_possibly_received_request_is_retried_on_the_same_replica_only(serve):
    first, second = Replica("drop", "ok"), Replica("ok")
    client = HttpSandbox([await serve(first), await serve(second)])
    try:
        result = await client.run(RunRequest(code="1"))
        assert result.status is Status.OK
        assert second.received == []
        ids = [body["request_id"] for body in first.received]
        assert len(ids) == 2 and ids[0] == ids[1]
    finally:
        await client.aclose()


async def test_repeatedly_dropped_request_is_internal_and_never_sent_elsewhere(serve):
    first, second = Replica("drop", "drop"), Replica("ok")
    client = HttpSandbox([await serve(first), await serve(second)])
    try:
        result = await client.run(RunRequest(code="1"))
        assert result.status is Status.INTERNAL
        assert second.received == []
    finally:
        await client.aclose()


async def test_callers_request_id_and_fields_are_sent(serve):
    replica = Replica("ok")
    client = HttpSandbox(await serve(replica))
    try:
        request = RunRequest(
            code="x", setup="s", check="c", probe="p", request_id="abc", limits=RunLimits(time_s=2)
        )
        await client.run(request)
        body = replica.received[0]
        assert body["request_id"] == "abc"
        assert (body["code"], body["setup"], body["check"], body["probe"]) == ("x", "s", "c", "p")
        assert body["limits"]["time_s"] == 2
    finally:
        await client.aclose()


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def test_healthy_when_any_replica_answers_healthz():
    app = web.Application()
    app.router.add_get("/healthz", healthz)
    server = TestServer(app)
    await server.start_server()
    client = HttpSandbox([closed_port_url(), str(server.make_url(""))])
    try:
        assert await client.healthy() is True
    finally:
        await client.aclose()
        await server.close()


async def test_unhealthy_when_no_replica_answers_healthz():
    client = HttpSandbox([closed_port_url(), closed_port_url()])
    try:
        assert await client.healthy() is False
    finally:
        await client.aclose()
