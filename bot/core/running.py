"""Present a sandbox run: its output, a one-line headline, and hints about names an earlier run defined."""

from __future__ import annotations

import asyncio
import re

from bot.core.context import Ctx
from bot.core.replies import Notice, Reply, RunOutput
from sandbox.result import RunRequest, RunResult, Status

_UNDEFINED_NAME = re.compile(r"name '(?P<name>[A-Za-z_][A-Za-z0-9_]*)' is not defined")


# Names learners use without importing them, because tutorials import them once at the top.
_USUAL_IMPORTS = {
    "torch": "import torch",
    "nn": "from torch import nn",
    "F": "import torch.nn.functional as F",
    "optim": "from torch import optim",
    "np": "import numpy as np",
    "numpy": "import numpy",
    "math": "import math",
}


async def result_replies(ctx: Ctx, request: RunRequest, result: RunResult) -> list[Reply]:
    """Present a run: its output, plus a note when it failed on a name an earlier run defined."""
    if result.status is Status.INTERNAL:
        return [Notice(ctx.t("run.internal"), "error")]
    replies: list[Reply] = [RunOutput(result, headline(ctx, result), await _graph_png(ctx, result))]
    missing = undefined_name(result)
    if missing in _USUAL_IMPORTS:
        replies.append(Notice(ctx.t("run.missing_import", name=missing, statement=_USUAL_IMPORTS[missing])))
    elif missing and ctx.services.names.defined_before(ctx.learner.id, missing):
        replies.append(Notice(ctx.t("run.fresh_start", name=missing)))
    ctx.services.names.remember(ctx.learner.id, request.setup, request.code)
    return replies


def headline(ctx: Ctx, result: RunResult) -> str:
    """Return a one-line, localized summary of how a run ended."""
    if result.status is Status.OK:
        return ctx.t("run.status.ok", ms=round(result.duration_ms))
    if result.status is Status.ERROR and result.error is not None:
        line = result.error.line
        key = "run.status.error_line" if line is not None else "run.status.error"
        return ctx.t(key, type=result.error.type, line=line)
    return ctx.t(f"run.status.{result.status.value}")


def undefined_name(result: RunResult) -> str | None:
    """Return the name a NameError complains about, if the run failed with one."""
    if result.error is None or result.error.type not in ("NameError", "UnboundLocalError"):
        return None
    match = _UNDEFINED_NAME.search(result.error.message)
    return match["name"] if match else None


async def _graph_png(ctx: Ctx, result: RunResult) -> bytes | None:
    render = ctx.services.render_graph
    if render is None or result.graph is None:
        return None
    # Rendering shells out to Graphviz; keep it off the event loop.
    return await asyncio.to_thread(render, result.graph)
