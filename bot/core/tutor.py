"""The tutor: takes a chat line, a button press or typed options, runs one command, returns replies.

Per command: one store session (one transaction), a fresh ``Ctx``, rate limits, and ``UserError``
turned into a localized reply. Any other exception propagates to the adapter's error handler.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.arguments import bind_text, bind_values
from bot.core.choices import LessonChoice, lesson_choices
from bot.core.commands import build_registry
from bot.core.commands.buttons import route_action
from bot.core.commands.info import unknown_command
from bot.core.commands.quiz import plain_message
from bot.core.context import Ctx, GraphRenderer, Services, TutorSettings
from bot.core.errors import RateLimited, UserError
from bot.core.i18n import locale_for, translate
from bot.core.observer import CommandObserver, NoObserver, Outcome
from bot.core.parsing import parse_command
from bot.core.ports import CatalogSource, Learner, PlatformUser, ServerSettings, Store
from bot.core.ratelimit import SlidingWindow
from bot.core.registry import Command, CommandKind, Registry
from bot.core.replies import Notice, Reply
from bot.curriculum.overlay import UploadSource
from bot.curriculum.problems import Problem
from sandbox.client import SandboxClient

Call = Callable[[Ctx], Awaitable[list[Reply]]]
_RUN_WINDOW = timedelta(minutes=1)


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ServerRef:
    """The server (Discord guild, Telegram group) a message came from, and its channel where it has them."""

    platform: str
    server_id: str
    channel_id: str | None = None


@dataclass(frozen=True, slots=True)
class Presentation:
    """What a rich front end needs to present replies: the learner's language and the server's settings."""

    locale: str
    server: ServerSettings | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One chat line from a learner.

    ``is_admin`` is the adapter's verdict (``TutorSettings.admins`` are admins too); ``locale`` is a
    language the front end was explicitly told to use (the console's ``--lang``) and wins over all.
    """

    user: PlatformUser
    text: str
    server: ServerRef | None = None
    is_admin: bool = False
    locale: str | None = None


class Tutor:
    """Runs commands for every front end; holds no per-learner state that matters across restarts."""

    def __init__(
        self,
        store: Store,
        catalog: CatalogSource,
        sandbox: SandboxClient,
        *,
        settings: TutorSettings | None = None,
        clock: Callable[[], datetime] = utc_now,
        render_graph: GraphRenderer | None = None,
        observer: CommandObserver | None = None,
    ) -> None:
        self._store = store
        self.settings = settings or TutorSettings()
        self.registry: Registry = build_registry()
        self.services = Services(
            catalog=catalog,
            sandbox=sandbox,
            settings=self.settings,
            registry=self.registry,
            clock=clock,
            render_graph=render_graph,
            observer=observer or NoObserver(),
        )
        self._commands = SlidingWindow(self.settings.commands_per_minute)
        self._runs = SlidingWindow(self.settings.runs_per_minute, _RUN_WINDOW)
        self._running: set[int] = set()
        self._uploads_applied: tuple[tuple[str, datetime], ...] | None = None

    async def handle(self, message: Incoming) -> list[Reply]:
        """Answer one chat line: a command with its arguments, or plain text."""
        line = parse_command(message.text)
        if line is None:
            text = message.text
            return await self._dispatch(message, lambda ctx: plain_message(ctx, text), name="message")
        resolved = self.registry.resolve(line.name, line.rest)
        if resolved is None:
            name = line.name
            if name in self.registry.groups and line.rest.split():
                name = f"{name} {line.rest.split()[0]}"
            return await self._dispatch(message, lambda ctx: _unknown(ctx, name), name="unknown")
        command, rest = resolved
        return await self._dispatch(
            message, lambda ctx: command.func(ctx, **bind_text(command, rest)), command=command
        )

    async def action(
        self,
        user: PlatformUser,
        action_id: str,
        *,
        server: ServerRef | None = None,
        is_admin: bool = False,
        locale: str | None = None,
    ) -> list[Reply]:
        """Answer a button press; ``action_id`` is a ``Button.action`` from an earlier reply."""
        origin = Incoming(user, "", server, is_admin, locale)
        routed = route_action(action_id)
        if routed is None:
            return await self._dispatch(origin, _stale, name="button")
        return await self._dispatch(origin, routed.call, kind=routed.kind, name="button")

    async def invoke(
        self,
        user: PlatformUser,
        command_name: str,
        args: Mapping[str, object],
        *,
        server: ServerRef | None = None,
        is_admin: bool = False,
        locale: str | None = None,
    ) -> list[Reply]:
        """Run a command with typed option values, as Discord app commands give them."""
        origin = Incoming(user, "", server, is_admin, locale)
        command = self.registry.get(command_name)
        if command is None:
            return await self._dispatch(origin, lambda ctx: _unknown(ctx, command_name), name="unknown")
        found = command
        return await self._dispatch(
            origin, lambda ctx: found.func(ctx, **bind_values(found, args)), command=found
        )

    async def _dispatch(
        self,
        origin: Incoming,
        call: Call,
        *,
        command: Command | None = None,
        kind: CommandKind = "default",
        name: str = "message",
    ) -> list[Reply]:
        """Run one command and tell the observer how it ended (by command name: a bounded label set)."""
        started = time.perf_counter()
        outcome: Outcome = "error"
        try:
            replies, outcome = await self._serve(origin, call, command, kind)
        finally:
            label = command.full_name if command is not None else name
            self.services.observer.command_done(label, outcome, time.perf_counter() - started)
        return replies

    async def _serve(
        self, origin: Incoming, call: Call, command: Command | None, kind: CommandKind
    ) -> tuple[list[Reply], Outcome]:
        user = origin.user
        now = self.services.clock()
        wait = self._commands.hit((user.platform, user.user_id), now)
        if wait is not None:
            locale = self._locale(origin, None)
            return [Notice(translate(locale, "rate.commands", seconds=wait), "warning")], "rate_limited"
        async with self._store.session() as session:
            learner = await session.learner(user, lock=command is None or command.writes)
            server = None
            if origin.server is not None:
                where = origin.server
                server = await session.server_settings(where.platform, where.server_id)
                await session.note_server_member(where.platform, where.server_id, learner.id, now)
            ctx = Ctx(
                user=user,
                learner=learner,
                locale=self._locale(origin, learner, server),
                session=session,
                services=self.services,
                catalog=self.services.catalog.current(),
                is_admin=origin.is_admin or f"{user.platform}:{user.user_id}" in self.settings.admins,
                server=server,
                channel_id=origin.server.channel_id if origin.server else None,
            )
            try:
                if command is not None and command.admin and not ctx.is_admin:
                    raise UserError("admin.only")
                if (command.kind if command else kind) == "run":
                    return await self._guarded_run(ctx, call, now), "ok"
                return await call(ctx), "ok"
            except UserError as error:
                outcome: Outcome = "rate_limited" if isinstance(error, RateLimited) else "user_error"
                return [Notice(ctx.t(error.key, **error.params), error.kind)], outcome

    async def _guarded_run(self, ctx: Ctx, call: Call, now: datetime) -> list[Reply]:
        """Run a sandbox command within the server's rules, the learner's run rate and one at a time."""
        server = ctx.server
        if server is not None and not server.sandbox_enabled:
            raise UserError("run.disabled")
        if server is not None and server.allowed_channels and ctx.channel_id not in server.allowed_channels:
            raise UserError("run.channel_not_allowed")
        learner_id = ctx.learner.id
        if learner_id in self._running:
            raise UserError("run.one_at_a_time")
        limit = self.settings.runs_per_minute
        # Counted in the store so the limit holds across bot processes; the local window only tells when.
        if await ctx.session.runs_since(learner_id, now - _RUN_WINDOW) >= limit:
            wait = self._runs.retry_after(learner_id, now, limit) or int(_RUN_WINDOW.total_seconds())
            raise RateLimited("rate.runs", wait)
        self._runs.record(learner_id, now)
        self._running.add(learner_id)
        try:
            return await call(ctx)
        finally:
            self._running.discard(learner_id)

    async def lesson_choices(
        self, user: PlatformUser, typed: str, *, locale: str | None = None, limit: int = 25
    ) -> list[LessonChoice]:
        """Return the lessons matching what a learner typed so far, with their progress (autocomplete).

        Not rate limited: front ends call it on every keystroke, and it only reads.
        """
        async with self._store.session() as session:
            learner = await session.learner(user, lock=False)
            progress = await session.all_progress(learner.id)
        language = self._locale(Incoming(user, "", locale=locale), learner)
        return lesson_choices(self.services.catalog.current(), progress, language, typed, limit)

    async def presentation(self, user: PlatformUser, server: ServerRef | None = None) -> Presentation:
        """Return how to present replies to this user: their language and the server's settings."""
        async with self._store.session() as session:
            learner = await session.learner(user, lock=False)
            settings = None
            if server is not None:
                settings = await session.server_settings(server.platform, server.server_id)
        return Presentation(self._locale(Incoming(user, ""), learner, settings), settings)

    async def refresh_uploads(self) -> list[Problem]:
        """Serve the lessons uploaded through chat as the store has them now (a no-op when unchanged).

        Every bot process calls this at start and from time to time, so an upload reaches all of them.
        """
        async with self._store.session() as session:
            uploads = [u for u in await session.uploaded_lessons() if u.enabled]
        stamp = tuple((u.lesson_id, u.uploaded_at) for u in uploads)
        if stamp == self._uploads_applied:
            return []
        self._uploads_applied = stamp
        sources = [UploadSource(u.filename, u.source) for u in uploads]
        # Parsing YAML is CPU work; keep it off the event loop.
        return await asyncio.to_thread(self.services.catalog.set_uploads, sources)

    def _locale(self, origin: Incoming, learner: Learner | None, server: ServerSettings | None = None) -> str:
        languages = self.settings.languages
        if origin.locale is not None and origin.locale in languages:
            return origin.locale
        return locale_for(learner, origin.user, server, self.settings.default_locale, languages)


async def _unknown(ctx: Ctx, name: str) -> list[Reply]:
    return unknown_command(ctx, name)


async def _stale(ctx: Ctx) -> list[Reply]:
    raise UserError("action.stale")
