"""Notebook continuity in the sandbox: earlier cells replay silently, with their seeds, before a new one."""

from __future__ import annotations

import pytest

from sandbox.result import MAX_CELLS, Cell, RunLimits, RunRequest, Status
from sandbox.service import BadRequest, ServiceConfig, parse_request


def test_a_random_tensor_drawn_in_cell_one_shows_the_same_values_in_cell_three(pool):
    first = pool.run(RunRequest(code="import torch\nx = torch.randn(3)\nx"))
    assert first.status is Status.OK, first.error
    second = pool.run(
        RunRequest(code="y = x * 2", cells=(Cell("import torch\nx = torch.randn(3)\nx", first.seed),))
    )
    assert second.status is Status.OK, second.error
    cells = (Cell("import torch\nx = torch.randn(3)\nx", first.seed), Cell("y = x * 2", second.seed))
    third = pool.run(RunRequest(code="x", cells=cells))
    assert third.status is Status.OK, third.error
    assert third.value == first.value


def test_replayed_cells_print_nothing_and_the_tables_cover_every_name(pool):
    cells = (Cell("import torch\nprint('from before')\na = torch.ones(2)", 1),)
    result = pool.run(RunRequest(code="b = a + 1\nprint('now')", cells=cells))
    assert result.status is Status.OK, result.error
    assert result.stdout == "now\n"
    assert [tensor.name for tensor in result.tensors] == ["a", "b"]


def test_the_same_seed_gives_the_same_draw(pool):
    one = pool.run(RunRequest(code="import torch\ntorch.rand(2).tolist()", seed=1234))
    two = pool.run(RunRequest(code="import torch\ntorch.rand(2).tolist()", seed=1234))
    assert one.value == two.value and one.seed == two.seed == 1234


def test_every_run_reports_its_seed_and_cpu_time(pool):
    result = pool.run(RunRequest(code="1 + 1"))
    assert isinstance(result.seed, int)
    assert result.cpu_ms is not None and result.cpu_ms >= 0


def test_a_cell_that_no_longer_runs_is_named(pool):
    cells = (Cell("a = 1", 1), Cell("b = missing_name", 2))
    result = pool.run(RunRequest(code="a", cells=cells))
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.type == "NotebookError"
    assert result.failed_cell == 2
    assert "cell 2 of your notebook" in result.error.message


def test_replay_stops_at_its_budget(pool):
    slow = "t = 0\nfor i in range(3_000_000):\n    t += i"
    limits = RunLimits(time_s=20, cpu_s=20, replay_s=0.2)
    result = pool.run(RunRequest(code="t", cells=(Cell(slow, 1), Cell("u = 1", 2)), limits=limits))
    assert result.status is Status.ERROR
    assert result.failed_cell == 1
    assert "budget of 0.2 s" in result.error.message


def test_a_cell_that_replays_forever_is_named_not_reported_as_the_new_cells_timeout(pool):
    limits = RunLimits(time_s=3, cpu_s=3, replay_s=0.5)
    result = pool.run(
        RunRequest(code="1", cells=(Cell("a = 1", 1), Cell("while True:\n    pass", 2)), limits=limits)
    )
    assert result.status is Status.ERROR, (result.status, result.error)
    assert result.error is not None and result.error.type == "NotebookError"
    assert result.failed_cell == 2
    assert "budget of 0.5 s" in result.error.message


def test_replay_time_comes_on_top_of_the_cells_own_limit(pool):
    slow = "t = 0\nfor i in range(400_000):\n    t += i"
    limits = RunLimits(time_s=1, cpu_s=1, replay_s=5)
    result = pool.run(RunRequest(code="t", cells=(Cell(slow, 1),) * 3, limits=limits))
    assert result.status is Status.OK, result.error


def test_the_service_takes_cells_as_data():
    body = {"code": "x", "cells": [{"code": "x = 1", "seed": 7}], "seed": 9}
    request = parse_request(body, ServiceConfig())
    assert request.cells == (Cell("x = 1", 7),)
    assert request.seed == 9


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("x = 1", "cells: must be a list"),
        ([{"code": "x = 1"}], "cells[0]: must be an object with exactly 'code' and 'seed'"),
        ([{"code": 1, "seed": 1}], "cells[0].code: must be a string"),
        ([{"code": "x", "seed": -1}], "cells[0].seed: must be a whole number"),
        ([{"code": "x", "seed": 1}] * (MAX_CELLS + 1), f"cells: at most {MAX_CELLS} cells"),
    ],
)
def test_malformed_cells_are_a_bad_request(cells, message):
    with pytest.raises(BadRequest, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_request({"code": "x", "cells": cells}, ServiceConfig())
