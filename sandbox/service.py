"""The HTTP sandbox service (``tutor sandbox serve``): run code, health, readiness and metrics.

``POST /run`` takes ``{"code": str, "request_id"?: str, "setup"?: str, "check"?: str, "probe"?: str,
"limits"?: {...}}`` and answers 200 with the run result (docs/sandbox.md); a malformed request gets 400 with
``{"error": "..."}`` naming the field (limits must be finite, positive and within the service's maxima); a
full queue gets 503 with ``Retry-After``; a ``request_id`` reused for a different request gets 409. Runs with
the same ``request_id`` run once: a retry gets the first result (header ``Idempotent-Replay: true``), a
concurrent retry waits for it; finished results are kept up to a byte budget.

It is an internal API for the bot, guarded accordingly: with a token configured (required unless
``--insecure-dev``), ``POST /run`` needs ``Authorization: Bearer <token>`` (compared in constant time) and
answers 401 without it; ``setup``, ``check`` and ``probe`` (trusted code, run unrestricted in isolated
children; the check in a child of its own, ``sandbox.verdict``) are refused with 403 unless the caller
holds the token. Connections are capped and must send each request's headers within a deadline
(``sandbox.guard``); the body has a deadline of its own.

``GET /healthz`` (liveness) and ``GET /readyz`` (readiness) follow a probe that, every few seconds, asks
the warm parent for an answer and runs a tiny snippet end to end: a wedged warm parent fails both, so an
orchestrator restarts the replica; ``/readyz`` also fails while the queue is full. ``GET /metrics`` is
Prometheus text from a registry of this service's own.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry
from prometheus_client.aiohttp import make_aiohttp_handler

from sandbox.client import SandboxBusyError, SandboxClient
from sandbox.guard import ConnectionGuard
from sandbox.idempotency import IdempotentRuns, RequestIdConflict, fingerprint
from sandbox.local import LocalSandbox, PoolConfig, PoolStats
from sandbox.metrics import ServiceMetrics
from sandbox.result import MAX_CELLS, Cell, RunLimits, RunRequest

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 512 * 1024
MAX_CODE_CHARS = 100_000
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_FIELDS = {"code", "request_id", "setup", "check", "probe", "limits", "cells", "seed"}
_SEED_MAX = 2**63 - 1


class BadRequest(ValueError):
    """The request body is malformed; the message names the field and the problem."""


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """The service's own settings (the pool has its own)."""

    limits: RunLimits = field(default_factory=RunLimits)
    max_limits: RunLimits = field(default_factory=RunLimits)
    max_body_bytes: int = MAX_BODY_BYTES
    cache_entries: int = 2048
    cache_bytes: int = 32 * 2**20
    cache_ttl_s: float = 600.0
    token: str | None = None
    max_connections: int = 256
    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    probe_interval_s: float = 5.0
    probe_failures_for_restart: int = 3


class Forbidden(ValueError):
    """The request asks for something only a caller with the token may ask for."""


def parse_request(body: Any, config: ServiceConfig, *, trusted: bool = True) -> RunRequest:
    """Validate a ``POST /run`` body and build the request; raise ``BadRequest`` saying what is wrong.

    ``trusted`` says whether the caller proved it holds the token; only then may it send ``setup``,
    ``check`` or ``probe`` code (``Forbidden`` otherwise).
    """
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    unknown = sorted(set(body) - _FIELDS)
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(unknown)}")
    if "code" not in body:
        raise BadRequest("code: required")
    texts: dict[str, str | None] = {}
    for name in ("code", "setup", "check", "probe"):
        value = body.get(name)
        if value is None and name != "code":
            texts[name] = None
            continue
        if not isinstance(value, str):
            raise BadRequest(f"{name}: must be a string")
        if len(value) > MAX_CODE_CHARS:
            raise BadRequest(f"{name}: longer than {MAX_CODE_CHARS} characters")
        if name != "code" and not trusted:
            raise Forbidden(f"{name}: trusted code needs the service token")
        texts[name] = value
    request_id = body.get("request_id")
    if request_id is not None and (not isinstance(request_id, str) or not _REQUEST_ID.fullmatch(request_id)):
        raise BadRequest("request_id: must be 1-128 characters of letters, digits and . _ : -")
    limits = config.limits
    if body.get("limits") is not None:
        if not isinstance(body["limits"], dict):
            raise BadRequest("limits: must be an object")
        try:
            limits = RunLimits.from_json(body["limits"], config.limits, config.max_limits)
        except (TypeError, ValueError) as exc:
            raise BadRequest(f"limits: {exc}") from None
    code = texts["code"]
    assert code is not None
    if texts["probe"] is not None and texts["check"] is None:
        raise BadRequest("probe: needs a check (the probe gathers what the check reads)")
    return RunRequest(
        code=code,
        setup=texts["setup"],
        check=texts["check"],
        probe=texts["probe"],
        request_id=request_id,
        limits=limits.clamp(config.max_limits),  # the service's own defaults, if set above its maxima
        cells=_cells(body.get("cells")),
        seed=_seed(body.get("seed"), "seed"),
    )


def _seed(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _SEED_MAX:
        raise BadRequest(f"{where}: must be a whole number from 0 to 2**63 - 1")
    return value


def _cells(value: Any) -> tuple[Cell, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BadRequest('cells: must be a list of {"code": ..., "seed": ...} objects')
    if len(value) > MAX_CELLS:
        raise BadRequest(f"cells: at most {MAX_CELLS} cells are replayed")
    cells = []
    for number, item in enumerate(value, start=1):
        where = f"cells[{number - 1}]"
        if not isinstance(item, dict) or set(item) != {"code", "seed"}:
            raise BadRequest(f"{where}: must be an object with exactly 'code' and 'seed'")
        if not isinstance(item["code"], str) or len(item["code"]) > MAX_CODE_CHARS:
            raise BadRequest(f"{where}.code: must be a string of at most {MAX_CODE_CHARS} characters")
        seed = _seed(item["seed"], f"{where}.seed")
        assert seed is not None
        cells.append(Cell(item["code"], seed))
    return tuple(cells)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


class Liveness:
    """The verdict of the periodic probe: ready after a recent success, alive unless it keeps failing."""

    def __init__(
        self, probe: Callable[[], Awaitable[bool]], interval_s: float, failures_for_restart: int
    ) -> None:
        self._probe = probe
        self._interval_s = interval_s
        self._failures_for_restart = failures_for_restart
        self._last_ok: float | None = None
        self.failures = 0

    @property
    def ready(self) -> bool:
        """Return whether the last probe, recent enough, succeeded."""
        fresh = self._last_ok is not None and time.monotonic() - self._last_ok < 3 * self._interval_s
        return fresh and self.failures == 0

    @property
    def alive(self) -> bool:
        """Return False once the probe has failed ``failures_for_restart`` times in a row."""
        return self.failures < self._failures_for_restart

    async def check(self) -> None:
        """Probe once and record the outcome."""
        if await self._probe():
            self._last_ok = time.monotonic()
            self.failures = 0
        else:
            self.failures += 1
            log.error("sandbox health probe failed (%d in a row)", self.failures)

    async def run(self) -> None:
        """Probe forever, every ``interval_s``."""
        while True:
            await self.check()
            await asyncio.sleep(self._interval_s)


class SandboxService:
    """The request handlers, around one ``SandboxClient`` (normally a ``LocalSandbox``)."""

    def __init__(
        self,
        sandbox: SandboxClient,
        config: ServiceConfig,
        stats: Callable[[], PoolStats] | None = None,
        registry: CollectorRegistry | None = None,
        liveness: Liveness | None = None,
    ) -> None:
        self._sandbox = sandbox
        self._config = config
        self._stats = stats
        self._liveness = liveness
        self._token = config.token.encode() if config.token else None
        self._runs = IdempotentRuns(config.cache_entries, config.cache_ttl_s, config.cache_bytes)
        self.guard = ConnectionGuard(
            max_connections=config.max_connections, header_timeout_s=config.header_timeout_s
        )
        # One registry per service: two services in one process (tests) never share counters.
        self.registry = registry if registry is not None else CollectorRegistry()
        self.metrics = ServiceMetrics(self.registry, stats)

    def app(self) -> web.Application:
        """Build the aiohttp application."""
        application = web.Application(
            client_max_size=self._config.max_body_bytes, middlewares=[self.guard.middleware]
        )
        application.add_routes(
            [
                web.post("/run", self.handle_run),
                web.get("/healthz", self.handle_health),
                web.get("/readyz", self.handle_ready),
                web.get("/metrics", make_aiohttp_handler(self.registry, disable_compression=True)),
            ]
        )
        return application

    def _authorised(self, http_request: web.Request) -> bool:
        if self._token is None:
            return False
        offered = http_request.headers.get("Authorization", "")
        scheme, _, secret = offered.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(secret.strip().encode(), self._token)

    async def handle_run(self, http_request: web.Request) -> web.Response:
        """Run the posted code and answer with its result."""
        trusted = self._authorised(http_request)
        if self._token is not None and not trusted:
            self.metrics.bad_requests.inc()
            return _error(401, "missing or wrong service token", headers={"WWW-Authenticate": "Bearer"})
        try:
            body = await asyncio.wait_for(http_request.json(), self._config.body_timeout_s)
        except web.HTTPRequestEntityTooLarge:
            self.metrics.bad_requests.inc()
            return _error(413, f"the body is larger than {self._config.max_body_bytes} bytes")
        except TimeoutError:
            self.metrics.bad_requests.inc()
            return _error(408, f"the body did not arrive within {self._config.body_timeout_s:g} s")
        except ValueError:
            self.metrics.bad_requests.inc()
            return _error(400, "the body is not valid JSON")
        try:
            request = parse_request(body, self._config, trusted=trusted)
        except Forbidden as exc:
            self.metrics.bad_requests.inc()
            return _error(403, str(exc))
        except BadRequest as exc:
            self.metrics.bad_requests.inc()
            return _error(400, str(exc))
        try:
            if request.request_id is None:
                answer, replayed = await self._run_encoded(request), False
            else:
                answer, replayed = await self._runs.run(
                    request.request_id, fingerprint(body), lambda: self._run_encoded(request)
                )
        except SandboxBusyError as exc:
            self.metrics.busy_rejections.inc()
            retry_after = str(max(1, math.ceil(exc.retry_after)))
            return _error(503, str(exc), headers={"Retry-After": retry_after})
        except RequestIdConflict as exc:
            return _error(409, f"request_id: {exc}")
        if replayed:
            self.metrics.replays.inc()
        headers = {"Idempotent-Replay": "true"} if replayed else None
        return web.Response(body=answer, content_type="application/json", headers=headers)

    async def _run_encoded(self, request: RunRequest) -> bytes:
        started = time.perf_counter()
        result = await self._sandbox.run(request)
        self.metrics.observe(result.status, time.perf_counter() - started)
        return json.dumps(result.to_json()).encode()

    async def handle_health(self, _request: web.Request) -> web.Response:
        """Answer 200 while the pool serves and the probe has not kept failing, 503 otherwise."""
        stats = self._stats() if self._stats else None
        if stats is not None and not stats.healthy:
            return web.json_response({"status": "starting or restarting"}, status=503)
        if self._liveness is not None and not self._liveness.alive:
            failures = self._liveness.failures
            return web.json_response(
                {"status": f"the health probe failed {failures} times in a row"}, status=503
            )
        return web.json_response({"status": "ok"})

    async def handle_ready(self, _request: web.Request) -> web.Response:
        """Answer 200 while the pool serves, its probe succeeds and it has room for another run."""
        stats = self._stats() if self._stats else None
        if stats is not None and not stats.healthy:
            return web.json_response(
                {"status": "not ready", "reason": "the warm parent is not serving"}, status=503
            )
        if self._liveness is not None and not self._liveness.ready:
            return web.json_response(
                {"status": "not ready", "reason": "the warm parent does not answer its health probe"},
                status=503,
            )
        if stats is not None and stats.running + stats.waiting >= stats.concurrency + stats.queue_size:
            return web.json_response({"status": "not ready", "reason": "the queue is full"}, status=503)
        return web.json_response({"status": "ready"})


async def serve(
    host: str, port: int, pool: PoolConfig, config: ServiceConfig, stop: asyncio.Event | None = None
) -> None:
    """Run the pool and the HTTP service until ``stop`` is set (or forever)."""
    async with LocalSandbox.start(pool) as sandbox:
        liveness = Liveness(sandbox.probe, config.probe_interval_s, config.probe_failures_for_restart)
        await liveness.check()  # ready from the first answer on, not after the first interval
        service = SandboxService(sandbox, config, sandbox.stats, liveness=liveness)
        runner = web.AppRunner(service.app(), access_log=None, keepalive_timeout=config.header_timeout_s)
        await runner.setup()
        probing = asyncio.create_task(liveness.run())
        assert runner.server is not None  # set by setup()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(service.guard.factory(runner.server), host, port)
        try:
            for address in _addresses(server):
                log.info("sandbox service listening on http://%s", address)
            await (stop or asyncio.Event()).wait()
        finally:
            probing.cancel()
            server.close()
            await server.wait_closed()
            await runner.cleanup()


def _addresses(server: asyncio.Server) -> list[str]:
    found = []
    for sock in server.sockets:
        address = sock.getsockname()
        if isinstance(address, tuple) and len(address) >= 2:
            host = f"[{address[0]}]" if ":" in str(address[0]) else str(address[0])
            found.append(f"{host}:{address[1]}")
    return found
