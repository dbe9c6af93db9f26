"""Serve the dashboard's application on the configured address for as long as a block runs."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.config import DashboardSettings
from bot.observability.server import serve_app

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def serve_dashboard(settings: DashboardSettings, app: web.Application) -> AsyncIterator[None]:
    """Serve ``app`` on the dashboard's host and port for the block (nothing when the port is 0 or None).

    Raises ``StartupError`` when the address cannot be bound.
    """
    if not settings.enabled:
        yield
        return
    async with serve_app(app, settings.host, settings.port, "the dashboard"):
        log.info(
            "dashboard on http://%s:%s (links point to %s)", settings.host, settings.port, settings.base_url
        )
        yield
