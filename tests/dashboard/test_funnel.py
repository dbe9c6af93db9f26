"""A lesson's funnel from its learners' furthest steps."""

from __future__ import annotations

from bot.core.ports.dashboard import FurthestStep
from bot.dashboard.funnel import Stage, funnel


def test_learners_reach_every_step_up_to_their_furthest() -> None:
    shape = funnel([FurthestStep(0, 2, 0), FurthestStep(2, 3, 0), FurthestStep(3, 5, 4)], steps=4)

    assert shape.started == 10 and shape.completed == 4
    assert [(s.reached, s.stopped) for s in shape.stages] == [(10, 2), (8, 0), (8, 3), (5, 1)]


def test_the_step_where_most_stopped_is_flagged() -> None:
    shape = funnel([FurthestStep(0, 1, 0), FurthestStep(1, 4, 0), FurthestStep(2, 2, 2)], steps=3)

    assert [s.index for s in shape.stages if s.flagged] == [1]


def test_a_completed_learner_reached_every_step_whatever_their_furthest() -> None:
    shape = funnel([FurthestStep(1, 1, 1)], steps=3)

    assert [s.reached for s in shape.stages] == [1, 1, 1]
    assert not any(s.flagged for s in shape.stages)


def test_steps_past_a_shortened_lesson_count_as_its_last() -> None:
    shape = funnel([FurthestStep(7, 2, 0)], steps=3)

    assert shape.stages[-1] == Stage(2, 2, 2, flagged=True)


def test_a_lesson_nobody_started_has_an_empty_funnel() -> None:
    shape = funnel([], steps=2)

    assert shape.started == 0 and [s.reached for s in shape.stages] == [0, 0]
