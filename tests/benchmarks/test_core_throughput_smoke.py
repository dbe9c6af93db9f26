"""The core throughput benchmark runs end to end on SQLite without a single failed command."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "core_throughput.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("core_throughput", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(30)
def test_benchmark_runs_three_learners_on_sqlite_without_errors(capsys: pytest.CaptureFixture[str]) -> None:
    benchmark = load_benchmark()
    started = time.perf_counter()

    status = benchmark.main(["--learners", "3", "--commands", "5", "--backend", "sqlite"])

    output = capsys.readouterr().out
    assert status == 0, output
    assert time.perf_counter() - started < 10
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("backend ")).split("  ")
    columns = [name.strip() for name in header if name.strip()]
    row = dict(zip(columns, next(line for line in lines if line.startswith("sqlite ")).split(), strict=True))
    assert (row["learners"], row["commands"]) == ("3", "21")  # /start + /lesson + 5 commands each
    assert row["errors"] == "0"


@pytest.mark.timeout(30)
def test_benchmark_with_runs_reports_that_no_run_held_a_session(capsys: pytest.CaptureFixture[str]) -> None:
    benchmark = load_benchmark()

    status = benchmark.main(
        [
            "--learners",
            "3",
            "--commands",
            "6",
            "--backend",
            "sqlite",
            "--runs",
            "50",
            "--run-seconds",
            "0.01",
            "0.02",
        ]
    )

    output = capsys.readouterr().out
    assert status == 0, output
    assert "/run " in output
    assert "a run held while it waited on the sandbox: 0 (must be 0)" in output
