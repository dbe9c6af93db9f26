"""The composition root: the one place the tutor's dependencies are built and their lifetimes owned.

Only the entry layer (``bot.cli``) imports ``bot.app``; no feature package does (a test walks the imports).

The store, the lesson library and the sandbox are imported inside ``open_runtime``, so importing this module
costs nothing and the core's tests never need those parts.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from importlib import metadata
from typing import TYPE_CHECKING

from bot.core.context import DEFAULT_SOURCE_URL, GraphRenderer, NotebookLimits, TutorSettings
from bot.core.observer import CommandObserver
from bot.core.reminders import ReminderSender
from bot.core.tutor import Tutor
from bot.errors import StartupError
from bot.languages import FALLBACK, configured, language_problems
from bot.resources import lesson_dirs

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.curriculum.source import LessonLibrary
    from bot.store.database import SqlStore
    from sandbox.client import SandboxClient

UPLOADS_REFRESH_SECONDS = 60.0
REMINDERS_EVERY_SECONDS = 30.0
RUN_CLAIM_MARGIN_S = 60.0
log = logging.getLogger(__name__)
_PASSWORD = re.compile(r"(?P<head>://[^/:@\s]*:)[^@\s]*@")
_DISTRIBUTION = "torch-tutor"


def mask_password(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``."""
    return _PASSWORD.sub(r"\g<head>***@", url)


def tutor_settings(settings: Settings) -> TutorSettings:
    """Return the knobs the tutor core needs, taken from the process settings."""
    problems = language_problems(settings.languages, settings.default_locale)
    if problems:
        raise StartupError("; ".join(problems))
    version, source_url = _package_facts()
    return TutorSettings(
        commands_per_minute=settings.rate_limits.commands_per_minute,
        runs_per_minute=settings.rate_limits.runs_per_minute,
        admins=frozenset(settings.admins),
        default_locale=settings.default_locale or FALLBACK,
        languages=configured(settings.languages),
        version=version,
        source_url=source_url,
        # A claim outlives any run it guards (queueing and retries included), then frees a crashed one.
        run_claim_seconds=settings.sandbox.time_limit + RUN_CLAIM_MARGIN_S,
        dashboard_url=settings.dashboard.base_url if settings.dashboard.enabled else None,
        dashboard_link_seconds=settings.dashboard.link_minutes * 60,
        notebook=NotebookLimits(
            max_cells=settings.notebook.max_cells,
            replay_budget_s=settings.notebook.replay_budget,
            idle=timedelta(minutes=settings.notebook.idle_minutes),
        ),
    )


@dataclass(frozen=True, slots=True)
class Runtime:
    """The tutor and the parts it was built from, for what watches them (health and readiness checks)."""

    tutor: Tutor
    store: SqlStore
    library: LessonLibrary
    sandbox: SandboxClient


@asynccontextmanager
async def open_tutor(
    settings: Settings,
    *,
    sandbox: SandboxClient | None = None,
    render_graph: GraphRenderer | None = None,
) -> AsyncIterator[Tutor]:
    """Open the store, load the lessons, start the sandbox (unless given) and yield the tutor.

    Raises ``StartupError`` with a one-line message if the database cannot be opened.
    """
    async with open_runtime(settings, sandbox=sandbox, render_graph=render_graph) as runtime:
        yield runtime.tutor


@asynccontextmanager
async def open_runtime(
    settings: Settings,
    *,
    sandbox: SandboxClient | None = None,
    render_graph: GraphRenderer | None = None,
    observer: CommandObserver | None = None,
) -> AsyncIterator[Runtime]:
    """Like ``open_tutor``, and tell ``observer`` about every command; yield the tutor with its parts."""
    # Imported here so that importing the runtime (and testing the core) needs none of these parts.
    from bot.app.sandbox import open_sandbox
    from bot.curriculum.source import LessonLibrary
    from bot.store.database import open_store
    from bot.store.errors import StoreError

    url = settings.database_url.get_secret_value()
    async with AsyncExitStack() as stack:
        try:
            store = await stack.enter_async_context(open_store(url))
        except StoreError as error:
            # Unreachable, outdated schema, bad URL: one line naming the (masked) URL, no traceback.
            raise StartupError(_safe(error, url)) from None
        # The library logs each problem of the lesson files itself and serves the valid lessons.
        folders = lesson_dirs(settings.lessons_dirs, settings.extra_lessons_dirs)
        library = LessonLibrary(folders, configured(settings.languages))
        if sandbox is None:
            sandbox = await stack.enter_async_context(open_sandbox(settings.sandbox))
        tutor = Tutor(
            store,
            library,
            sandbox,
            settings=tutor_settings(settings),
            render_graph=render_graph,
            observer=observer,
        )
        # Lessons uploaded through chat live in the database and overlay the folders' lessons.
        await tutor.refresh_uploads()
        yield Runtime(tutor, store, library, sandbox)


async def keep_uploads_fresh(tutor: Tutor, every: float = UPLOADS_REFRESH_SECONDS) -> None:
    """Pick up lessons uploaded, disabled or removed through another bot process, until cancelled."""
    while True:
        await asyncio.sleep(every)
        try:
            await tutor.refresh_uploads()
        except Exception:
            # A database hiccup must not stop the bot; the next round tries again.
            log.exception("refreshing the uploaded lessons failed")


async def keep_reminding(
    tutor: Tutor, senders: Mapping[str, ReminderSender], every: float = REMINDERS_EVERY_SECONDS
) -> None:
    """Send the daily reminders due on the senders' platforms, every ``every`` seconds, until cancelled.

    Every bot process may do this at once: each reminder is claimed in the database and sent once.
    """
    while True:
        await asyncio.sleep(every)  # first after the front ends had time to connect
        try:
            await tutor.send_reminders(senders)
        except Exception:
            log.exception("sending the daily reminders failed")


def _safe(error: Exception, url: str) -> str:
    """Return an error's message on one line, with the database password masked wherever it appears."""
    message = " ".join(str(error).split()) or type(error).__name__
    password = re.search(r"://[^/:@\s]*:(?P<pw>[^@\s]*)@", url)
    if password and password["pw"]:
        message = message.replace(password["pw"], "***")
    return mask_password(message)


def _package_facts() -> tuple[str, str]:
    """Return the installed version and source URL, or placeholders in an uninstalled checkout."""
    try:
        meta = metadata.metadata(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "dev", DEFAULT_SOURCE_URL
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or ():
        label, _, url = str(entry).partition(",")
        urls[label.strip().lower()] = url.strip()
    return str(meta["Version"]), urls.get("source") or urls.get("homepage") or DEFAULT_SOURCE_URL
