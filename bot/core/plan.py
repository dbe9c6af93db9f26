"""A run plan: what a command that runs code hands the tutor instead of replies.

Running code takes seconds, so no command may hold a transaction open across it. A command that runs code
prepares, in its transaction, what to run and returns a ``RunPlan``; the tutor claims the learner's run,
commits, awaits the sandbox with no session open, then calls ``finish`` in a second short transaction
with the result and a context rebuilt for the learner the run now belongs to (see ``bot.core.runner``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.replies import Reply
from sandbox.result import RunRequest, RunResult

if TYPE_CHECKING:
    from bot.core.context import Ctx

Finish = Callable[["Ctx", RunResult], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class RunPlan:
    """Run ``request`` in the sandbox, then answer with ``finish(ctx, result)``; ``before`` goes first."""

    request: RunRequest
    finish: Finish
    before: tuple[Reply, ...] = ()
