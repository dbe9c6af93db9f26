"""The observability HTTP endpoint: ``GET /metrics``, ``GET /healthz``, ``GET /readyz`` (aiohttp).

It runs on the bot's own event loop, next to the front ends, so ``/healthz`` answering at all already
says the loop is not blocked; the ``LoopWatch`` adds how late it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping

from aiohttp import web
from prometheus_client import CollectorRegistry, Gauge
from prometheus_client.aiohttp import make_aiohttp_handler

from bot.config import MetricsSettings
from bot.errors import StartupError
from bot.observability.health import Check, LoopWatch, check_readiness

log = logging.getLogger(__name__)


def build_app(
    registry: CollectorRegistry, checks: Mapping[str, Check], watch: LoopWatch | None = None
) -> web.Application:
    """Build the endpoint's application; it runs the loop watch while it is up."""
    loop_watch = watch or LoopWatch()
    Gauge(
        "tutor_event_loop_lag_seconds",
        "How much later than asked the event loop last woke a sleeping task.",
        registry=registry,
    ).set_function(lambda: loop_watch.lag_s)

    async def healthz(_request: web.Request) -> web.Response:
        alive = loop_watch.responsive()
        body = {"status": "ok" if alive else "event loop lagging", "loop_lag_s": round(loop_watch.lag_s, 4)}
        return web.json_response(body, status=200 if alive else 503)

    async def readyz(_request: web.Request) -> web.Response:
        readiness = await check_readiness(checks)
        body = {"ready": readiness.ready, "checks": readiness.checks}
        return web.json_response(body, status=200 if readiness.ready else 503)

    async def run_watch(_app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop_watch.run(), name="loop-watch")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    app = web.Application()
    app.cleanup_ctx.append(run_watch)
    app.add_routes(
        [
            web.get("/metrics", make_aiohttp_handler(registry, disable_compression=True)),
            web.get("/healthz", healthz),
            web.get("/readyz", readyz),
        ]
    )
    return app


@contextlib.asynccontextmanager
async def serve_app(app: web.Application, host: str, port: int | None, what: str) -> AsyncIterator[None]:
    """Serve ``app`` on ``host:port`` for the block; a ``StartupError`` naming ``what`` if it can't bind."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            # The port is taken or the address is not this host's: one line, as for the database.
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise StartupError(f"cannot serve {what} on {host}:{port}: {reason}") from None
        yield
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def serve_observability(settings: MetricsSettings, app: web.Application) -> AsyncIterator[None]:
    """Serve ``app`` on the configured host and port for the block (nothing when the port is 0 or None).

    Raises ``StartupError`` when the address cannot be bound.
    """
    if not settings.enabled:
        yield
        return
    async with serve_app(app, settings.host, settings.port, "metrics"):
        log.info("metrics, /healthz and /readyz on http://%s:%s", settings.host, settings.port)
        yield
