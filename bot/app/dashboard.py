"""The web dashboard in the composition root, built over a runtime's parts.

``tutor serve`` serves it next to the front ends; ``tutor dashboard`` serves it alone, for an operator who
runs no chat front end.

``tutor dashboard --login`` prints a one-time link for the operator at the terminal: every learner, read
only (reviews are moderated by lesson admins from chat). Whoever can run it can read the database anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import signal
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.app.runtime import Runtime, keep_uploads_fresh, open_runtime
from bot.errors import StartupError
from bot.languages import FALLBACK, configured

if TYPE_CHECKING:
    from aiohttp import web

    from bot.config import Settings
    from sandbox.client import SandboxClient


def dashboard_app(runtime: Runtime, settings: Settings) -> web.Application:
    """Build the dashboard over the runtime's store, lessons and sandbox."""
    from bot.dashboard.app import build_dashboard
    from bot.dashboard.deps import Dashboard, DashboardConfig

    config = DashboardConfig(
        base_url=settings.dashboard.base_url,
        session_seconds=settings.dashboard.session_hours * 3600,
        logins_per_minute=settings.dashboard.logins_per_minute,
        languages=configured(settings.languages),
    )
    return build_dashboard(Dashboard(runtime.store, runtime.library, runtime.sandbox, config))


async def operator_link(runtime: Runtime, settings: Settings) -> str:
    """Store a one-time, read-only link to every learner for the operator and return it."""
    from bot.core.logins import make_token, token_hash
    from bot.core.ports.dashboard import DashboardGrant, DashboardLogin, Scope

    now = datetime.now(UTC)
    expires = now + timedelta(minutes=settings.dashboard.link_minutes)
    user = getpass.getuser()
    grant = DashboardGrant(Scope(), f"operator:{user}", user, settings.default_locale or FALLBACK)
    async with runtime.store.session() as session:
        token = make_token(await session.dashboard.signing_key(), expires)
        await session.dashboard.add_login(DashboardLogin(token_hash(token), grant, now, expires))
    return f"{settings.dashboard.base_url}/login/{token}"


async def run_dashboard(
    settings: Settings, *, login: bool = False, sandbox: SandboxClient | None = None
) -> int:
    """Serve the dashboard alone until SIGTERM or SIGINT; return the exit code."""
    from bot.dashboard.server import serve_dashboard

    if not settings.dashboard.enabled:
        print("tutor: the dashboard is off: set TUTOR_DASHBOARD__PORT", file=sys.stderr)
        return 2
    try:
        async with open_runtime(settings, sandbox=sandbox) as runtime:
            refresher = asyncio.create_task(keep_uploads_fresh(runtime.tutor))
            try:
                async with serve_dashboard(settings.dashboard, dashboard_app(runtime, settings)):
                    if login:
                        print(await operator_link(runtime, settings), flush=True)
                    await _until_signalled()
            finally:
                refresher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await refresher
    except StartupError as error:
        print(f"tutor: {error}", file=sys.stderr)
        return 1
    return 0


async def _until_signalled() -> None:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
