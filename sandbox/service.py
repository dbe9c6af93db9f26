"""The HTTP sandbox service (``tutor sandbox serve``): run code, health, readiness and metrics.

``POST /run`` takes ``{"code": str, "request_id"?: str, "setup"?: str, "check"?: str, "limits"?: {...}}``
and answers 200 with the run result (DESIGN.md "The run result"); a malformed request gets 400 with
``{"error": "..."}`` naming the field; a full queue gets 503 with ``Retry-After``; a ``request_id`` reused
for a different request gets 409. Runs with the same ``request_id`` run once: a retry gets the first
result (header ``Idempotent-Replay: true``), a concurrent retry waits for it.

``GET /healthz`` answers 200 while the warm parent serves (liveness); ``GET /readyz`` answers 200 only
while it serves and its queue has room (readiness: a load balancer may route runs here). ``GET /metrics``
is Prometheus text from a registry of this service's own.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.aiohttp import make_aiohttp_handler

from sandbox.client import SandboxBusyError, SandboxClient
from sandbox.idempotency import IdempotentRuns, RequestIdConflict, fingerprint
from sandbox.local import LocalSandbox, PoolConfig, PoolStats
from sandbox.metrics import ServiceMetrics
from sandbox.result import RunLimits, RunRequest

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 512 * 1024
MAX_CODE_CHARS = 100_000
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_FIELDS = {"code", "request_id", "setup", "check", "limits"}


class BadRequest(ValueError):
    """The request body is malformed; the message names the field and the problem."""


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """The service's own settings (the pool has its own)."""

    limits: RunLimits = field(default_factory=RunLimits)
    max_limits: RunLimits = field(default_factory=RunLimits)
    max_body_bytes: int = MAX_BODY_BYTES
    cache_entries: int = 2048
    cache_ttl_s: float = 600.0


def parse_request(body: Any, config: ServiceConfig) -> RunRequest:
    """Validate a ``POST /run`` body and build the request; raise ``BadRequest`` saying what is wrong."""
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(unknown)}")
    if "code" not in body:
        raise BadRequest("code: required")
    texts: dict[str, str | None] = {}
    for name in ("code", "setup", "check"):
        value = body.get(name)
        if value is None and name != "code":
            texts[name] = None
            continue
        if not isinstance(value, str):
            raise BadRequest(f"{name}: must be a string")
        if len(value) > MAX_CODE_CHARS:
            raise BadRequest(f"{name}: longer than {MAX_CODE_CHARS} characters")
        texts[name] = value
    request_id = body.get("request_id")
    if request_id is not None and (not isinstance(request_id, str) or not _REQUEST_ID.fullmatch(request_id)):
        raise BadRequest("request_id: must be 1-128 characters of letters, digits and . _ : -")
    limits = config.limits
    if body.get("limits") is not None:
        if not isinstance(body["limits"], dict):
            raise BadRequest("limits: must be an object")
        try:
            limits = RunLimits.from_json(body["limits"], config.limits)
        except (TypeError, ValueError) as exc:
            raise BadRequest(f"limits: {exc}") from None
    code = texts["code"]
    assert code is not None
    return RunRequest(
        code=code,
        setup=texts["setup"],
        check=texts["check"],
        request_id=request_id,
        limits=limits.clamp(config.max_limits),
    )


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


class SandboxService:
    """The request handlers, around one ``SandboxClient`` (normally a ``LocalSandbox``)."""

    def __init__(
        self,
        sandbox: SandboxClient,
        config: ServiceConfig,
        stats: Callable[[], PoolStats] | None = None,
        registry: CollectorRegistry | None = None,
    ) -> None:
        self._sandbox = sandbox
        self._config = config
        self._stats = stats
        self._runs = IdempotentRuns(config.cache_entries, config.cache_ttl_s)
        # One registry per service: two services in one process (tests) never share counters.
        self.registry = registry if registry is not None else CollectorRegistry()
        self.metrics = ServiceMetrics(self.registry, stats)

    def app(self) -> web.Application:
        """Build the aiohttp application."""
        application = web.Application(client_max_size=self._config.max_body_bytes)
        application.add_routes(
            [
                web.post("/run", self.handle_run),
                web.get("/healthz", self.handle_health),
                web.get("/readyz", self.handle_ready),
                web.get("/metrics", make_aiohttp_handler(self.registry, disable_compression=True)),
            ]
        )
        return application

    async def handle_run(self, http_request: web.Request) -> web.Response:
        """Run the posted code and answer with its result."""
        try:
            body = await http_request.json()
        except web.HTTPRequestEntityTooLarge:
            self.metrics.bad_requests.inc()
            return _error(413, f"the body is larger than {self._config.max_body_bytes} bytes")
        except ValueError:
            self.metrics.bad_requests.inc()
            return _error(400, "the body is not valid JSON")
        try:
            request = parse_request(body, self._config)
        except BadRequest as exc:
            self.metrics.bad_requests.inc()
            return _error(400, str(exc))
        started = time.perf_counter()
        try:
            if request.request_id is None:
                result, replayed = await self._sandbox.run(request), False
            else:
                result, replayed = await self._runs.run(
                    request.request_id, fingerprint(body), lambda: self._sandbox.run(request)
                )
        except SandboxBusyError as exc:
            self.metrics.busy_rejections.inc()
            retry_after = str(max(1, math.ceil(exc.retry_after)))
            return _error(503, str(exc), headers={"Retry-After": retry_after})
        except RequestIdConflict as exc:
            return _error(409, f"request_id: {exc}")
        if replayed:
            self.metrics.replays.inc()
        else:
            self.metrics.observe(result.status, time.perf_counter() - started)
        headers = {"Idempotent-Replay": "true"} if replayed else None
        return web.json_response(result.to_json(), headers=headers)

    async def handle_health(self, _request: web.Request) -> web.Response:
        """Answer 200 while the pool serves, 503 otherwise."""
        stats = self._stats() if self._stats else None
        if stats is not None and not stats.healthy:
            return web.json_response({"status": "starting or restarting"}, status=503)
        return web.json_response({"status": "ok"})

    async def handle_ready(self, _request: web.Request) -> web.Response:
        """Answer 200 while the pool serves and has room for another run, 503 otherwise."""
        stats = self._stats() if self._stats else None
        if stats is not None and not stats.healthy:
            return web.json_response(
                {"status": "not ready", "reason": "the warm parent is not serving"}, status=503
            )
        if stats is not None and stats.running + stats.waiting >= stats.concurrency + stats.queue_size:
            return web.json_response({"status": "not ready", "reason": "the queue is full"}, status=503)
        return web.json_response({"status": "ready"})


async def serve(
    host: str, port: int, pool: PoolConfig, config: ServiceConfig, stop: asyncio.Event | None = None
) -> None:
    """Run the pool and the HTTP service until ``stop`` is set (or forever)."""
    async with LocalSandbox.start(pool) as sandbox:
        service = SandboxService(sandbox, config, sandbox.stats)
        runner = web.AppRunner(service.app(), access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, host, port)
            await site.start()
            for address in _addresses(runner):
                log.info("sandbox service listening on http://%s", address)
            await (stop or asyncio.Event()).wait()
        finally:
            await runner.cleanup()


def _addresses(runner: web.AppRunner) -> list[str]:
    found = []
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            host = f"[{address[0]}]" if ":" in str(address[0]) else str(address[0])
            found.append(f"{host}:{address[1]}")
    return found
