"""The HTTP service as a guarded internal API: token, trusted code, slow clients, connection cap, health."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from sandbox.idempotency import IdempotentRuns
from sandbox.service import Liveness, SandboxService, ServiceConfig
from tests.fakes import FakeSandbox

TOKEN = "guard-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@contextlib.asynccontextmanager
async def running(service: SandboxService, config: ServiceConfig) -> AsyncIterator[str]:
    """Serve ``service`` on a loopback port the way ``tutor sandbox serve`` does; yield its URL."""
    runner = web.AppRunner(service.app(), access_log=None, keepalive_timeout=config.header_timeout_s)
    await runner.setup()
    assert runner.server is not None
    server = await asyncio.get_running_loop().create_server(
        service.guard.factory(runner.server), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()
        await runner.cleanup()


async def post(url: str, body: dict[str, object], headers: dict[str, str] | None = None) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as http, http.post(f"{url}/run", json=body, headers=headers) as answer:
        return answer.status, await answer.json()


async def test_run_without_the_token_is_401():
    config = ServiceConfig(token=TOKEN)
    async with running(SandboxService(FakeSandbox(), config), config) as url:
        status, body = await post(url, {"code": "1"})
        wrong_status, _ = await post(url, {"code": "1"}, {"Authorization": "Bearer not-it"})
        ok_status, _ = await post(url, {"code": "1"}, AUTH)
    assert (status, wrong_status, ok_status) == (401, 401, 200)
    assert body == {"error": "missing or wrong service token"}


@pytest.mark.parametrize("field", ["check", "setup", "probe"])
async def test_trusted_code_needs_the_token_even_where_none_is_required(field):
    config = ServiceConfig(token=None)  # --insecure-dev
    async with running(SandboxService(FakeSandbox(), config), config) as url:
        status, body = await post(url, {"code": "x = 1", field: "assert True"})
        plain, _ = await post(url, {"code": "x = 1"})
    assert status == 403
    assert body == {"error": f"{field}: trusted code needs the service token"}
    assert plain == 200


async def test_a_client_that_sends_its_headers_slowly_is_cut_off_and_others_are_served():
    config = ServiceConfig(token=TOKEN, header_timeout_s=0.5)
    async with running(SandboxService(FakeSandbox(), config), config) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"POST /run HTTP/1.1\r\nHost: x\r\n")
        await writer.drain()
        status, _ = await post(url, {"code": "1"}, AUTH)
        closed = await asyncio.wait_for(reader.read(), 5)  # b"" once the service hangs up
        writer.close()
    assert status == 200
    assert closed == b""


async def test_a_body_that_never_arrives_gets_a_408():
    config = ServiceConfig(token=TOKEN, body_timeout_s=0.5)
    async with running(SandboxService(FakeSandbox(), config), config) as url:
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(
            b"POST /run HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 100\r\n\r\n".encode()
            + b'{"code": '
        )
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(4096), 5)
        writer.close()
    assert answer.startswith(b"HTTP/1.1 408")


async def test_at_the_cap_a_new_connection_evicts_the_one_idle_longest():
    config = ServiceConfig(token=TOKEN, max_connections=4, header_timeout_s=30)
    service = SandboxService(FakeSandbox(), config)
    async with running(service, config) as url:
        host, port = url.removeprefix("http://").split(":")
        held = [await asyncio.open_connection(host, int(port)) for _ in range(4)]
        await asyncio.sleep(0.05)
        status, _ = await post(url, {"code": "1"}, AUTH)  # a fifth connection, while four wait idle
        oldest = await asyncio.wait_for(held[0][0].read(), 5)
        for _reader, writer in held:
            writer.close()
    assert status == 200
    assert oldest == b""  # the longest idle one was closed to make room
    assert service.guard.evicted >= 1 and service.guard.refused == 0


class BlockingSandbox(FakeSandbox):
    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def run(self, request):
        await self.release.wait()
        return await super().run(request)


async def test_when_every_connection_is_being_served_a_new_one_is_closed_at_once():
    config = ServiceConfig(token=TOKEN, max_connections=2, header_timeout_s=30)
    sandbox = BlockingSandbox()
    service = SandboxService(sandbox, config)
    async with running(service, config) as url:
        busy = [asyncio.ensure_future(post(url, {"code": str(n)}, AUTH)) for n in range(2)]
        await asyncio.sleep(0.2)
        host, port = url.removeprefix("http://").split(":")
        reader, writer = await asyncio.open_connection(host, int(port))
        refused = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        sandbox.release.set()
        answers = await asyncio.gather(*busy)
    assert refused == b""
    assert service.guard.refused == 1
    assert [status for status, _ in answers] == [200, 200]


class Probe:
    def __init__(self) -> None:
        self.ok = True

    async def __call__(self) -> bool:
        return self.ok


async def test_readyz_and_healthz_follow_the_probe():
    probe = Probe()
    liveness = Liveness(probe, interval_s=60, failures_for_restart=2)
    config = ServiceConfig(token=TOKEN)
    service = SandboxService(FakeSandbox(), config, liveness=liveness)
    async with running(service, config) as url, aiohttp.ClientSession() as http:

        async def statuses() -> tuple[int, int]:
            async with http.get(f"{url}/readyz") as ready, http.get(f"{url}/healthz") as health:
                return ready.status, health.status

        before = await statuses()
        await liveness.check()
        fine = await statuses()
        probe.ok = False
        await liveness.check()
        once = await statuses()
        await liveness.check()
        twice = await statuses()
    assert before == (503, 200)  # not ready until a probe has answered
    assert fine == (200, 200)
    assert once == (503, 200)
    assert twice == (503, 503)  # failing again and again: time for the orchestrator to restart it


def test_the_answer_cache_is_bounded_in_bytes():
    runs = IdempotentRuns(max_entries=100, max_bytes=10_000)

    async def fill() -> None:
        for index in range(20):
            answer = json.dumps({"value": "x" * 1000, "n": index}).encode()

            async def start(answer: bytes = answer) -> bytes:
                return answer

            await runs.run(f"id-{index}", "digest", start)

    asyncio.run(fill())
    assert runs.cached_bytes <= 10_000


def test_probe_fails_while_the_warm_parent_is_frozen(unrestricted_pool):
    sandbox = unrestricted_pool.sandbox
    assert unrestricted_pool.call(sandbox.probe(timeout_s=2.0)) is True
    os.kill(sandbox.warm_pid, signal.SIGSTOP)
    try:
        assert unrestricted_pool.call(sandbox.probe(timeout_s=1.0)) is False
    finally:
        os.kill(sandbox.warm_pid, signal.SIGCONT)
    assert unrestricted_pool.call(sandbox.probe(timeout_s=5.0)) is True
