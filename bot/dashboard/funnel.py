"""A lesson's funnel: how many learners reached each step, and where most of them stopped.

The store counts learners by the furthest step they reached (``/back`` never lowers it). A learner reached
every step up to their furthest, and every step of a lesson they completed. Steps past the end of the
lesson as it is now (it was shortened) count as its last step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.ports.dashboard import FurthestStep


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the funnel: learners who reached it, and those who stopped there without finishing."""

    index: int
    reached: int
    stopped: int
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Funnel:
    """Started, each step, completed; the step where most learners stopped is flagged."""

    started: int
    stages: tuple[Stage, ...]
    completed: int


def funnel(furthest: Sequence[FurthestStep], steps: int) -> Funnel:
    """Return the funnel of a lesson of ``steps`` steps from its learners' furthest steps."""
    last = max(steps - 1, 0)
    started = sum(row.learners for row in furthest)
    completed = sum(row.completed for row in furthest)
    stages = []
    for index in range(steps):
        reached = sum(row.learners if min(row.index, last) >= index else row.completed for row in furthest)
        stopped = sum(row.learners - row.completed for row in furthest if min(row.index, last) == index)
        stages.append(Stage(index, reached, stopped))
    worst = max((stage.stopped for stage in stages), default=0)
    if worst > 0:
        stages = [Stage(s.index, s.reached, s.stopped, flagged=s.stopped == worst) for s in stages]
    return Funnel(started, tuple(stages), completed)
