"""A learner's notebook: each free ``/run`` continues from the cells that ran before it.

Every run still executes in a fresh sandbox child. Continuity comes from the store: the code of every
free run that ended ``ok`` is kept with the seed it ran with, and the next run sends those cells for the
sandbox to replay silently, with the same seeds, before the new cell. So names carry over, random draws
included, and any sandbox replica can serve any run.

Bounds: at most ``NotebookLimits.max_cells`` cells, whose CPU times (as each first ran) add up to at most
``replay_budget_s`` and whose code fits ``max_code_bytes`` (so a request stays well within the sandbox
service's body limit); keeping a new cell drops the oldest ones that no longer fit, and the reply names them.
A notebook unused for ``idle`` starts over. A cell that fails when replayed (it depended on a dropped
cell, say) is dropped, and the learner is asked to send their new code again. Lesson code steps and
exercises never touch the notebook: they run as their lesson defines them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from bot.core.context import Ctx, NotebookLimits
from bot.core.plan import RunPlan
from bot.core.ports import NotebookCell
from bot.core.replies import Notice, Reply
from bot.core.running import result_replies
from sandbox.result import Cell, RunRequest, RunResult, Status

FIRST_LINE_CHARS = 60
SEED_BOUND = 2**63  # the sandbox takes seeds from 0 to 2**63 - 1
_REPLAY_PREFIX = "of your notebook failed when it was run again: "


Reason = Literal["cells", "budget", "size"]
"""Which bound a new cell met: the number of cells, the replay CPU budget, or the size of the code."""


@dataclass(frozen=True, slots=True)
class Fit:
    """What keeping a new cell means: which kept cells go to make room (0-based, oldest first), and why.

    When ``kept`` is False, the cell alone is over the bound named by ``reason``.
    """

    dropped: tuple[int, ...] = ()
    kept: bool = True
    reason: Reason | None = None


def code_size(code: str) -> int:
    """Return the bytes ``code`` takes in a request to the sandbox service (JSON-escaped)."""
    return len(json.dumps(code))


def fit(cells: Sequence[NotebookCell], code: str, cpu_ms: float, limits: NotebookLimits) -> Fit:
    """Return which of ``cells`` must go for a new cell (``code``, ``cpu_ms``) to fit the limits."""
    budget_ms = limits.replay_budget_s * 1000
    if cpu_ms > budget_ms:
        return Fit(kept=False, reason="budget")
    size = code_size(code)
    if size > limits.max_code_bytes:
        return Fit(kept=False, reason="size")
    count, total_ms = len(cells) + 1, sum(cell.cpu_ms for cell in cells) + cpu_ms
    total_size = sum(code_size(cell.code) for cell in cells) + size
    dropped = 0
    reason: Reason | None = None
    while True:  # the reason given is the bound that forced the last drop: it explains them all
        if count - dropped > limits.max_cells:
            reason = "cells"
        elif total_ms > budget_ms:
            reason = "budget"
        elif total_size > limits.max_code_bytes:
            reason = "size"
        else:
            return Fit(tuple(range(dropped)), reason=reason)
        total_ms -= cells[dropped].cpu_ms
        total_size -= code_size(cells[dropped].code)
        dropped += 1


def first_line(code: str) -> str:
    """Return the first non-blank line of ``code``, shortened, safe inside inline code."""
    line = next((line.strip() for line in code.splitlines() if line.strip()), "")
    line = line.replace("`", "'")
    return line if len(line) <= FIRST_LINE_CHARS else line[: FIRST_LINE_CHARS - 1] + "…"


def age(ctx: Ctx, then: datetime) -> str:
    """Return how long ago ``then`` was, in the learner's language and in round units."""
    seconds = max(0, int((ctx.now() - then).total_seconds()))
    if seconds < 60:
        return ctx.t("notebook.age_now")
    if seconds < 3600:
        return ctx.t("notebook.age_minutes", count=seconds // 60)
    return ctx.t("notebook.age_hours", count=seconds // 3600)


def minutes(span: timedelta) -> int:
    """Return a span in whole minutes (at least 1), for messages."""
    return max(1, round(span.total_seconds() / 60))


def listing(cells: Sequence[NotebookCell], positions: Sequence[int]) -> str:
    """Return the cells at these positions as ``1 (`first line`), 2 (...)``, numbered from 1."""
    return ", ".join(f"{position + 1} (`{first_line(cells[position].code)}`)" for position in positions)


async def open_cells(ctx: Ctx) -> tuple[list[NotebookCell], list[Reply]]:
    """Return the learner's kept cells; a notebook idle for too long starts over, with a notice saying so."""
    notebooks = ctx.session.notebooks
    cells = await notebooks.cells(ctx.learner.id)
    if not cells:
        return [], []
    idle = ctx.services.settings.notebook.idle
    used = await notebooks.used_at(ctx.learner.id)
    if used is None or ctx.now() - used < idle:
        return cells, []
    await notebooks.clear(ctx.learner.id)
    notice = Notice(ctx.t("notebook.idle_reset", count=len(cells), minutes=minutes(idle)), "warning")
    return [], [notice]


async def notebook_run(ctx: Ctx, code: str) -> RunPlan:
    """Return the plan that runs ``code`` as the next cell of the learner's notebook."""
    cells, notices = await open_cells(ctx)
    await ctx.session.notebooks.touch(ctx.learner.id, ctx.now())
    request = RunRequest(
        code=code,
        cells=tuple(Cell(cell.code, cell.seed) for cell in cells),
        seed=secrets.randbelow(SEED_BOUND),
    )

    async def finish(after: Ctx, result: RunResult) -> list[Reply]:
        return await finish_cell(after, request, cells, result)

    return RunPlan(request, finish, before=tuple(notices))


async def finish_cell(
    ctx: Ctx, request: RunRequest, sent: Sequence[NotebookCell], result: RunResult
) -> list[Reply]:
    """Show a notebook run and keep its cell if it ran (dropping what no longer fits)."""
    if result.failed_cell is not None and result.status is not Status.INTERNAL:
        return await _replay_failed(ctx, request, sent, result, result.failed_cell)
    replies = await result_replies(ctx, request, result, notebook=True)
    if result.status is Status.OK:
        replies += await _keep(ctx, request, result)
    return replies


async def _keep(ctx: Ctx, request: RunRequest, result: RunResult) -> list[Reply]:
    limits = ctx.services.settings.notebook
    notebooks = ctx.session.notebooks
    # Read again: a /notebook command may have changed the notebook while the code ran.
    cells = await notebooks.cells(ctx.learner.id)
    cpu_ms = result.cpu_ms if result.cpu_ms is not None else result.duration_ms
    found = fit(cells, request.code, cpu_ms, limits)
    bounds = {
        "max": limits.max_cells,
        "budget": f"{limits.replay_budget_s:g}",
        "kib": limits.max_code_bytes // 1024,
    }
    if not found.kept:
        key = "notebook.too_slow" if found.reason == "budget" else "notebook.too_long"
        return [Notice(ctx.t(key, seconds=f"{cpu_ms / 1000:.1f}", **bounds), "warning")]
    replies: list[Reply] = []
    if found.dropped:
        key = {"cells": "notebook.dropped_count", "budget": "notebook.dropped_budget"}.get(
            found.reason or "", "notebook.dropped_size"
        )
        text = ctx.t(key, count=len(found.dropped), cells=listing(cells, found.dropped), **bounds)
        replies.append(Notice(text, "info"))
        await notebooks.drop(ctx.learner.id, found.dropped)
    seed = result.seed if result.seed is not None else request.seed
    if seed is None:  # pragma: no cover - the request always carries a seed
        raise RuntimeError("a notebook run has no seed to keep")
    await notebooks.add(ctx.learner.id, NotebookCell(request.code, seed, cpu_ms, ctx.now()))
    return replies


async def _replay_failed(
    ctx: Ctx, request: RunRequest, sent: Sequence[NotebookCell], result: RunResult, number: int
) -> list[Reply]:
    """Drop the kept cell that no longer runs and ask for the new code again (it did not run)."""
    position = number - 1
    if not 0 <= position < len(sent):  # not a cell we sent: show the result as it is
        return await result_replies(ctx, request, result, notebook=True)
    failed = sent[position]
    cells = await ctx.session.notebooks.cells(ctx.learner.id)
    if position < len(cells) and (cells[position].code, cells[position].seed) == (failed.code, failed.seed):
        await ctx.session.notebooks.drop(ctx.learner.id, [position])
    message = result.error.message if result.error is not None else ""
    detail = message.split(_REPLAY_PREFIX, 1)[-1]
    text = ctx.t("notebook.replay_failed", n=number, line=first_line(failed.code), detail=detail)
    return [Notice(text, "warning")]
