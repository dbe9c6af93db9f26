"""A learner's notebook: each free ``/run`` continues from the cells that ran before it.

Every run still executes in a fresh sandbox child. Continuity comes from the store: the code of every
free run that ended ``ok`` is kept with the seed it ran with, and the next run sends those cells for the
sandbox to replay silently, with the same seeds, before the new cell. So names carry over, random draws
included, and any sandbox replica can serve any run.

Bounds: at most ``NotebookLimits.max_cells`` cells, whose CPU times (as each first ran) add up to at most
``replay_budget_s``; keeping a new cell drops the oldest ones that no longer fit, and the reply names them.
A notebook unused for ``idle`` starts over. A cell that fails when replayed (it depended on a dropped
cell, say) is dropped, and the learner is asked to send their new code again. Lesson code steps and
exercises never touch the notebook: they run as their lesson defines them.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.context import Ctx, NotebookLimits
from bot.core.plan import RunPlan
from bot.core.ports import NotebookCell
from bot.core.replies import Notice, Reply
from bot.core.running import result_replies
from sandbox.result import Cell, RunRequest, RunResult, Status

FIRST_LINE_CHARS = 60
SEED_BOUND = 2**63  # the sandbox takes seeds from 0 to 2**63 - 1
_REPLAY_PREFIX = "of your notebook failed when it was run again: "


@dataclass(frozen=True, slots=True)
class Fit:
    """What keeping a new cell means: which kept cells make room (0-based, oldest first), or that it can't."""

    dropped: tuple[int, ...] = ()
    kept: bool = True


def fit(cells: Sequence[NotebookCell], cpu_ms: float, limits: NotebookLimits) -> Fit:
    """Return which of ``cells`` must go for a new cell of ``cpu_ms`` to fit the limits, oldest first."""
    budget_ms = limits.replay_budget_s * 1000
    if cpu_ms > budget_ms:
        return Fit(kept=False)
    total = sum(cell.cpu_ms for cell in cells) + cpu_ms
    dropped = 0
    while len(cells) - dropped + 1 > limits.max_cells or total > budget_ms:
        total -= cells[dropped].cpu_ms
        dropped += 1
    return Fit(tuple(range(dropped)))


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
    found = fit(cells, cpu_ms, limits)
    if not found.kept:
        seconds = f"{cpu_ms / 1000:.1f}"
        budget = f"{limits.replay_budget_s:g}"
        return [Notice(ctx.t("notebook.too_slow", seconds=seconds, budget=budget), "warning")]
    replies: list[Reply] = []
    if found.dropped:
        for_count = max(0, len(cells) + 1 - limits.max_cells)  # what the cell limit alone would drop
        key = "notebook.dropped_count" if len(found.dropped) <= for_count else "notebook.dropped_budget"
        text = ctx.t(
            key,
            count=len(found.dropped),
            cells=listing(cells, found.dropped),
            max=limits.max_cells,
            budget=f"{limits.replay_budget_s:g}",
        )
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
