"""Serve every front end whose token is set, in one process and one event loop (``tutor serve``).

The tutor (store, lessons, sandbox client) is built once and shared. SIGTERM or SIGINT stops the front ends
from taking commands, lets the commands in flight finish (their runs and writes included), and only then
closes the sandbox and the database, as ``open_runtime`` unwinds. Alongside the front ends, on the same
loop, ``TUTOR_METRICS__HOST``/``TUTOR_METRICS__PORT`` serve ``/metrics``, ``/healthz`` and ``/readyz``
(``bot.observability``) and ``TUTOR_DASHBOARD__HOST``/``PORT`` the web dashboard (``bot.dashboard``) until
the front ends have stopped, and every half minute the daily reminders due on its platforms are sent
(``bot.core.reminders``: claimed in the database, so once across processes). In a Kubernetes StatefulSet
(``TUTOR_POD_NAME`` set), the pod's name picks its Discord shards and whether it runs Telegram
(``bot.app.sharding``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from bot.app.runtime import Runtime, keep_reminding, keep_uploads_fresh, open_runtime
from bot.errors import StartupError
from bot.frontends import Frontend, FrontendError

if TYPE_CHECKING:
    from aiohttp import web
    from prometheus_client import CollectorRegistry

    from bot.config import Settings
    from bot.core.reminders import ReminderSender
    from bot.core.tutor import Tutor
    from sandbox.client import SandboxClient

logger = logging.getLogger(__name__)

FrontendFactory = Callable[["Tutor", "Settings"], Frontend]
PLATFORMS = ("discord", "telegram")


def enabled_platforms(settings: Settings) -> list[str]:
    """Return the platforms whose token is set."""
    return [name for name in PLATFORMS if getattr(settings, name).token is not None]


def default_factory(platform: str) -> FrontendFactory:
    """Return what builds the front end of ``platform`` (imported only when it is served)."""
    if platform == "telegram":

        def telegram(tutor: Tutor, settings: Settings) -> Frontend:
            from bot.adapters.telegram.app import TelegramFrontend

            return TelegramFrontend(tutor, settings.telegram)

        return telegram
    if platform == "discord":

        def discord(tutor: Tutor, settings: Settings) -> Frontend:
            from bot.adapters.discord.service import DiscordService

            return DiscordService(tutor, settings)

        return discord
    raise ValueError(f"no front end for {platform!r}")


async def serve(
    settings: Settings,
    platforms: Sequence[str],
    *,
    factories: dict[str, FrontendFactory] | None = None,
    sandbox: SandboxClient | None = None,
) -> int:
    """Run the front ends of ``platforms`` on one shared tutor until a stop signal; return the exit code."""
    if not platforms:
        print(
            "tutor: no front end to serve: set TUTOR_DISCORD__TOKEN or TUTOR_TELEGRAM__TOKEN", file=sys.stderr
        )
        return 2
    from prometheus_client import CollectorRegistry

    from bot.app.dashboard import dashboard_app
    from bot.dashboard.server import serve_dashboard
    from bot.observability.metrics import PrometheusObserver
    from bot.observability.server import serve_observability
    from sandbox.render import render_png

    chosen = factories or {}
    registry = CollectorRegistry()  # this process's metrics; never prometheus-client's global one
    try:
        async with open_runtime(
            settings, sandbox=sandbox, render_graph=render_png, observer=PrometheusObserver(registry)
        ) as runtime:
            tutor = runtime.tutor
            frontends = [chosen.get(name, default_factory(name))(tutor, settings) for name in platforms]
            # Lessons uploaded through another process reach this one too, whatever the front ends.
            refresher = asyncio.create_task(keep_uploads_fresh(tutor))
            reminders = asyncio.create_task(keep_reminding(tutor, reminder_senders(frontends)))
            try:
                async with (
                    serve_observability(settings.metrics, observability_app(runtime, registry)),
                    serve_dashboard(settings.dashboard, dashboard_app(runtime, settings)),
                ):
                    await run_until_signalled(frontends)
            finally:
                for task in (refresher, reminders):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
    except StartupError as error:
        print(f"tutor: {error}", file=sys.stderr)
        return 1
    except FrontendError as error:
        print(f"tutor: {error}", file=sys.stderr)
        return 1
    return 0


def reminder_senders(frontends: Sequence[Frontend]) -> dict[str, ReminderSender]:
    """Return the front ends that send daily reminders, by platform (the console has none to run)."""
    return {
        frontend.name: cast("ReminderSender", frontend)
        for frontend in frontends
        if callable(getattr(frontend, "send_reminder", None))
    }


def observability_app(runtime: Runtime, registry: CollectorRegistry) -> web.Application:
    """Build the ``/metrics``, ``/healthz``, ``/readyz`` app over the runtime's parts."""
    from bot.observability.health import readiness_checks
    from bot.observability.metrics import watch_pool
    from bot.observability.server import build_app
    from sandbox.local import LocalSandbox

    if isinstance(runtime.sandbox, LocalSandbox):
        watch_pool(registry, runtime.sandbox.stats)
    return build_app(registry, readiness_checks(runtime.store, runtime.library, runtime.sandbox))


async def run_until_signalled(frontends: Sequence[Frontend]) -> None:
    """Run the front ends together; on SIGTERM/SIGINT stop them all and wait for them to finish."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        loop.add_signal_handler(signum, stopping.set)
    try:
        async with asyncio.TaskGroup() as group:
            tasks = {group.create_task(frontend.run(), name=frontend.name) for frontend in frontends}
            watcher = group.create_task(stopping.wait())
            while tasks and not watcher.done():
                await asyncio.wait({*tasks, watcher}, return_when=asyncio.FIRST_COMPLETED)
                tasks = {task for task in tasks if not task.done()}
            logger.info("stopping %s", ", ".join(frontend.name for frontend in frontends))
            for frontend in frontends:
                await frontend.stop()
            watcher.cancel()
    except BaseExceptionGroup as group:
        # A front end that cannot start ends them all; report its own error, not the group.
        failure = next((e for e in group.exceptions if isinstance(e, FrontendError)), None)
        if failure is None:
            raise
        raise failure from None
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
    logger.info("every front end stopped")
