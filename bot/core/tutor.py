"""The tutor: takes a chat line, a button press or typed options, runs one command, returns an ``Answer``.

Per command: one short store session (one transaction), a fresh ``Ctx``, rate limits, and ``UserError``
turned into a localized reply. A command that runs code returns a ``RunPlan`` instead of replies: the
``Runner`` claims the run in that transaction and runs the code after it committed, so no transaction or
pooled connection is held while the sandbox works. Any other exception propagates to the adapter's error
handler.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from bot.core.arguments import bind_text, bind_values
from bot.core.choices import LessonChoice, lesson_choices
from bot.core.commands import build_registry
from bot.core.commands.buttons import route_action
from bot.core.commands.info import unknown_command
from bot.core.commands.quiz import plain_message
from bot.core.context import Ctx, GraphRenderer, Services, TutorSettings
from bot.core.errors import RateLimited, UserError
from bot.core.exchange import Answer, Incoming, Presentation, ServerRef
from bot.core.i18n import locale_for, translate
from bot.core.observer import CommandObserver, NoObserver, Outcome
from bot.core.parsing import parse_command
from bot.core.plan import RunPlan
from bot.core.ports import CatalogSource, Learner, PlatformUser, ServerSettings, Store, StoreSession
from bot.core.ratelimit import SlidingWindow
from bot.core.registry import Command, Registry
from bot.core.reminders import ReminderSender, send_due_reminders
from bot.core.replies import Notice, Reply
from bot.core.runner import Claim, Runner
from bot.curriculum.catalog import UploadSource
from bot.curriculum.problems import Problem
from sandbox.client import SandboxClient

Call = Callable[[Ctx], Awaitable["list[Reply] | RunPlan"]]
POLL_LIFETIME = timedelta(days=90)
"""How long a sent poll's options are remembered: a vote after that is answered with /answer instead."""

__all__ = ["Answer", "Incoming", "Presentation", "ServerRef", "Tutor", "utc_now"]


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


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
        self._runner = Runner(store, self.services, self.settings)
        self._uploads_applied: tuple[tuple[str, datetime], ...] | None = None

    async def handle(self, message: Incoming) -> Answer:
        """Answer one chat line: a command with its arguments, or plain text."""
        line = parse_command(message.text)
        if line is None:
            text = message.text
            return await self._dispatch(message, lambda ctx: plain_message(ctx, text), name="message")
        registry = self.registry.on(message.user.platform)
        resolved = registry.resolve(line.name, line.rest)
        if resolved is None:
            name = line.name
            if name in registry.groups and line.rest.split():
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
    ) -> Answer:
        """Answer a button press; ``action_id`` is a ``Button.action`` from an earlier reply."""
        origin = Incoming(user, "", server, is_admin, locale)
        call = route_action(action_id)
        return await self._dispatch(origin, call or _stale, name="button")

    async def invoke(
        self,
        user: PlatformUser,
        command_name: str,
        args: Mapping[str, object],
        *,
        server: ServerRef | None = None,
        is_admin: bool = False,
        locale: str | None = None,
    ) -> Answer:
        """Run a command with typed option values, as Discord app commands give them."""
        origin = Incoming(user, "", server, is_admin, locale)
        command = self.registry.on(user.platform).get(command_name)
        if command is None:
            return await self._dispatch(origin, lambda ctx: _unknown(ctx, command_name), name="unknown")
        found = command
        return await self._dispatch(
            origin, lambda ctx: found.func(ctx, **bind_values(found, args)), command=found
        )

    async def _dispatch(
        self, origin: Incoming, call: Call, *, command: Command | None = None, name: str = "message"
    ) -> Answer:
        """Run one command and tell the observer how it ended (by command name: a bounded label set)."""
        started = time.perf_counter()
        outcome: Outcome = "error"
        try:
            answer, outcome = await self._serve(origin, call, command)
        finally:
            label = command.full_name if command is not None else name
            self.services.observer.command_done(label, outcome, time.perf_counter() - started)
        return answer

    async def _serve(self, origin: Incoming, call: Call, command: Command | None) -> tuple[Answer, Outcome]:
        user = origin.user
        now = self.services.clock()
        wait = self._commands.hit((user.platform, user.user_id), now)
        if wait is not None:
            locale = self._locale(origin, None)
            notice = Notice(translate(locale, "rate.commands", seconds=wait), "warning")
            return Answer((notice,), locale), "rate_limited"
        claim: Claim | None = None
        try:
            async with self._store.session() as session:
                ctx = await self._context(session, origin, now, lock=command is None or command.writes)
                try:
                    if command is not None and command.admin is not None and not ctx.is_admin:
                        raise UserError("admin.only")
                    result = await call(ctx)
                    if not isinstance(result, RunPlan):
                        return _answer(ctx, result), "ok"
                    plan = result
                    claim = await self._runner.claim(ctx, now)
                except UserError as error:
                    outcome: Outcome = "rate_limited" if isinstance(error, RateLimited) else "user_error"
                    return _answer(ctx, [Notice(ctx.t(error.key, **error.params), error.kind)]), outcome
        except BaseException:
            if claim is not None:
                self._runner.abandon(claim)
            raise
        # The command's transaction has committed: the sandbox runs with no session held.
        replies, outcome = await self._runner.run(ctx, plan, claim)
        return _answer(ctx, replies), outcome

    async def _context(self, session: StoreSession, origin: Incoming, now: datetime, *, lock: bool) -> Ctx:
        """Load the learner (and the server the message came from) and build the command's context."""
        user = origin.user
        learner = await session.learners.get_or_create(user, lock=lock)
        server = None
        if origin.server is not None:
            where = origin.server
            server = await session.servers.settings(where.platform, where.server_id)
            await session.servers.note_member(where.platform, where.server_id, learner.id, now)
        return Ctx(
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

    async def lesson_choices(
        self, user: PlatformUser, typed: str, *, locale: str | None = None, limit: int = 25
    ) -> list[LessonChoice]:
        """Return the lessons matching what a learner typed so far, with their progress (autocomplete).

        Not rate limited: front ends call it on every keystroke, and it only reads.
        """
        async with self._store.session() as session:
            learner = await session.learners.get_or_create(user, lock=False)
            progress = await session.progress.all(learner.id)
        language = self._locale(Incoming(user, "", locale=locale), learner)
        return lesson_choices(self.services.catalog.current(), progress, language, typed, limit)

    async def presentation(self, user: PlatformUser, server: ServerRef | None = None) -> Presentation:
        """Return how to present replies to this user: their language and the server's settings."""
        async with self._store.session() as session:
            learner = await session.learners.get_or_create(user, lock=False)
            settings = None
            if server is not None:
                settings = await session.servers.settings(server.platform, server.server_id)
        return Presentation(self._locale(Incoming(user, ""), learner, settings), settings)

    async def remember_poll(self, platform: str, poll_id: str, actions: Sequence[str]) -> None:
        """Record what each option of a native poll just sent does, for a vote however late it comes."""
        now = self.services.clock()
        async with self._store.session() as session:
            await session.polls.forget_before(now - POLL_LIFETIME)
            await session.polls.remember(platform, poll_id, actions, now)

    async def poll_action(self, platform: str, poll_id: str, option: int) -> str | None:
        """Return the action of option ``option`` of a poll sent earlier, or None if it is unknown."""
        async with self._store.session() as session:
            actions = await session.polls.actions(platform, poll_id)
        if actions is None or not 0 <= option < len(actions):
            return None
        return actions[option]

    async def refresh_uploads(self) -> list[Problem]:
        """Serve the lessons uploaded through chat as the store has them now (a no-op when unchanged).

        Every bot process calls this at start and from time to time, so an upload reaches all of them.
        """
        async with self._store.session() as session:
            uploads = [u for u in await session.uploads.all() if u.enabled]
        stamp = tuple((u.lesson_id, u.uploaded_at) for u in uploads)
        if stamp == self._uploads_applied:
            return []
        self._uploads_applied = stamp
        sources = [UploadSource(u.filename, u.source) for u in uploads]
        # Parsing YAML is CPU work; keep it off the event loop.
        return await asyncio.to_thread(self.services.catalog.set_uploads, sources)

    async def send_reminders(self, senders: Mapping[str, ReminderSender]) -> int:
        """Send the daily reminders due now on the senders' platforms (once, across every bot process)."""
        return await send_due_reminders(self._store, self.settings, self.services.clock(), senders)

    def _locale(self, origin: Incoming, learner: Learner | None, server: ServerSettings | None = None) -> str:
        languages = self.settings.languages
        if origin.locale is not None and origin.locale in languages:
            return origin.locale
        return locale_for(learner, origin.user, server, self.settings.default_locale, languages)


def _answer(ctx: Ctx, replies: list[Reply]) -> Answer:
    """Return the replies with the language the learner is addressed in from now on."""
    return Answer(tuple(replies), ctx.effects.locale or ctx.locale, ctx.server, ctx.effects.ends_chat)


async def _unknown(ctx: Ctx, name: str) -> list[Reply]:
    return unknown_command(ctx, name)


async def _stale(ctx: Ctx) -> list[Reply]:
    raise UserError("action.stale")
