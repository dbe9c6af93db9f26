"""Present a sandbox run: its output, a one-line headline, and hints about names an earlier run defined."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import re

from bot.core.context import Ctx
from bot.core.replies import Notice, Reply, RunOutput
from sandbox.result import RunRequest, RunResult, Status

log = logging.getLogger(__name__)
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


async def result_replies(
    ctx: Ctx, request: RunRequest, result: RunResult, *, notebook: bool = False
) -> list[Reply]:
    """Present a run: its output, plus a note when it failed on a name an earlier run defined.

    ``notebook`` says the run continued the learner's notebook (a free ``/run``), which changes the notes:
    such a run does not start fresh.
    """
    if result.status is Status.INTERNAL:
        return [Notice(ctx.t("run.internal"), "error")]
    output = RunOutput(result, headline(ctx, result), await _graph_png(ctx, result), figure_pngs(result))
    replies: list[Reply] = [output]
    missing = undefined_name(result)
    if missing in _USUAL_IMPORTS:
        key = "notebook.missing_import" if notebook else "run.missing_import"
        replies.append(Notice(ctx.t(key, name=missing, statement=_USUAL_IMPORTS[missing])))
    elif missing and ctx.services.names.defined_before(ctx.learner.id, missing):
        key = "notebook.name_not_kept" if notebook else "run.fresh_start"
        replies.append(Notice(ctx.t(key, name=missing)))
    ctx.services.names.remember(ctx.learner.id, request.setup, request.code)
    return replies


def figure_pngs(result: RunResult) -> tuple[bytes, ...]:
    """Return the run's figures as PNG bytes, leaving out any the sandbox sent malformed (logged)."""
    found: list[bytes] = []
    for number, figure in enumerate(result.figures, start=1):
        if figure.format != "png":
            log.warning("figure %d of a run is %r, not png; not shown", number, figure.format)
            continue
        try:
            found.append(base64.b64decode(figure.data, validate=True))
        except (binascii.Error, ValueError):
            log.warning("figure %d of a run is not valid base64; not shown", number)
    return tuple(found)


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
