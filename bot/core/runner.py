"""Run the code of a ``RunPlan`` with no transaction open, one run at a time per learner.

A run goes through three steps:

1. ``claim``, inside the command's own short transaction: the server's rules, the learner's run rate, and
   the one-run-at-a-time guard, both in this process (per platform account, which holds even past a
   claim's expiry) and across bot processes (a claim row in the store, held by a random token until it
   expires, so a crashed process locks nobody out for longer than that).
2. The sandbox run, awaited after that transaction committed: no session or pooled connection is held.
3. ``finish``, in a second short transaction: release the claim by its token, which tells whose run it is
   now (a link merge moves it; ``/forget`` deletes it), record the run and let the plan answer. A result
   whose learner is gone is still shown, but nothing is recorded.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.context import Ctx, Effects, Services, TutorSettings
from bot.core.errors import RateLimited, UserError
from bot.core.observer import BUSY, Outcome
from bot.core.plan import RunPlan
from bot.core.ports import RunRecord, Store
from bot.core.ratelimit import SlidingWindow
from bot.core.replies import Notice, Reply, RunOutput
from bot.core.running import figure_pngs, headline
from sandbox.client import SandboxBusyError
from sandbox.result import RunResult, Status

log = logging.getLogger(__name__)

RUN_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Claim:
    """A learner's claim to run code: its token in the store, the account in this process, its start."""

    token: str
    account: tuple[str, str]
    at: datetime


class Runner:
    """Claims runs, awaits the sandbox outside any transaction and finishes runs; one per tutor."""

    def __init__(self, store: Store, services: Services, settings: TutorSettings) -> None:
        self._store = store
        self._services = services
        self._settings = settings
        self._window = SlidingWindow(settings.runs_per_minute, RUN_WINDOW)
        self._running: set[tuple[str, str]] = set()

    async def claim(self, ctx: Ctx, now: datetime) -> Claim:
        """Check the server's rules and the run rate, and claim the learner's run; raise ``UserError``."""
        server = ctx.server
        if server is not None and not server.sandbox_enabled:
            raise UserError("run.disabled")
        if server is not None and server.allowed_channels and ctx.channel_id not in server.allowed_channels:
            raise UserError("run.channel_not_allowed")
        account = (ctx.user.platform, ctx.user.user_id)
        if account in self._running:
            raise UserError("run.one_at_a_time")
        # Taken before the first await, so a second command of this account can never pass the check too.
        self._running.add(account)
        try:
            token = await self._claim_in_store(ctx, now)
        except BaseException:
            self._running.discard(account)
            raise
        return Claim(token, account, now)

    async def _claim_in_store(self, ctx: Ctx, now: datetime) -> str:
        learner_id = ctx.learner.id
        limit = self._settings.runs_per_minute
        # Counted in the store so the limit holds across bot processes; the local window only tells when.
        if await ctx.session.runs.count_since(learner_id, now - RUN_WINDOW) >= limit:
            wait = self._window.retry_after(learner_id, now, limit) or int(RUN_WINDOW.total_seconds())
            raise RateLimited("rate.runs", wait)
        token = secrets.token_hex(16)
        until = now + timedelta(seconds=self._settings.run_claim_seconds)
        if not await ctx.session.runs.claim(learner_id, token, now, until):
            raise UserError("run.one_at_a_time")
        self._window.record(learner_id, now)
        return token

    def abandon(self, claim: Claim) -> None:
        """Forget a claim whose transaction failed to commit (the store rolled its row back)."""
        self._running.discard(claim.account)

    async def run(self, ctx: Ctx, plan: RunPlan, claim: Claim) -> tuple[list[Reply], Outcome]:
        """Run the plan's code with no transaction open, then finish it in a new one."""
        released = False
        try:
            try:
                result = await self._sandbox_run(plan)
            except SandboxBusyError as busy:
                await self._release(claim)
                released = True
                wait = max(1, math.ceil(busy.retry_after))
                return [
                    *plan.before,
                    Notice(ctx.t("run.sandbox_busy", seconds=wait), "warning"),
                ], "user_error"
            replies = await self._finish(ctx, plan, claim, result)
            released = True
            return [*plan.before, *replies], "ok"
        finally:
            self._running.discard(claim.account)
            if not released:
                await self._release_quietly(claim)

    async def _sandbox_run(self, plan: RunPlan) -> RunResult:
        """Run the plan's request and tell the observer how it ended (``SandboxBusyError`` passes)."""
        observer = self._services.observer
        started = time.perf_counter()
        try:
            result = await self._services.sandbox.run(plan.request)
        except SandboxBusyError:
            observer.run_done(BUSY, time.perf_counter() - started)
            raise
        observer.run_done(result.status.value, time.perf_counter() - started)
        return result

    async def _finish(self, ctx: Ctx, plan: RunPlan, claim: Claim, result: RunResult) -> list[Reply]:
        async with self._store.session() as session:
            learner_id = await session.runs.release(claim.token)
            learner = await session.learners.by_id(learner_id) if learner_id is not None else None
            if learner is None:
                return dropped(ctx, result)
            await session.runs.add(learner.id, RunRecord(result.status.value, result.duration_ms, claim.at))
            after = dataclasses.replace(ctx, session=session, learner=learner, effects=Effects())
            try:
                return await plan.finish(after, result)
            except UserError as error:
                return [Notice(after.t(error.key, **error.params), error.kind)]

    async def _release(self, claim: Claim) -> None:
        async with self._store.session() as session:
            await session.runs.release(claim.token)

    async def _release_quietly(self, claim: Claim) -> None:
        """Release a claim after a failure; if even that fails, the claim expires on its own."""
        try:
            await self._release(claim)
        except Exception:
            log.warning("could not release run claim of %s:%s", *claim.account, exc_info=True)


def dropped(ctx: Ctx, result: RunResult) -> list[Reply]:
    """Show a result whose learner is gone (forgotten, or merged mid-run), recording nothing."""
    if result.status is Status.INTERNAL:
        return [Notice(ctx.t("run.internal"), "error")]
    output = RunOutput(result, headline(ctx, result), figures=figure_pngs(result))
    return [output, Notice(ctx.t("run.not_kept"), "warning")]
