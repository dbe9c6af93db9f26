"""Serve the dashboard's application on the configured address for as long as a block runs."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator

from aiohttp import web

from bot.config import DashboardSettings
from bot.errors import StartupError

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def serve_dashboard(settings: DashboardSettings, app: web.Application) -> AsyncIterator[None]:
    """Serve ``app`` on the dashboard's host and port for the block (nothing when the port is 0 or None).

    Raises ``StartupError`` when the address cannot be bound.
    """
    if not settings.enabled:
        yield
        return
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, settings.host, settings.port).start()
        except OSError as exc:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise StartupError(
                f"cannot serve the dashboard on {settings.host}:{settings.port}: {reason}"
            ) from None
        log.info(
            "dashboard on http://%s:%s (links point to %s)", settings.host, settings.port, settings.base_url
        )
        yield
    finally:
        await runner.cleanup()
