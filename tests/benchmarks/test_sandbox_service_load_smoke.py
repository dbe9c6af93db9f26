"""The sandbox service load benchmark runs end to end: nothing lost, no process left behind."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "sandbox_service_load.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sandbox_service_load", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(90)
def test_three_clients_lose_no_request_and_leave_no_process(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--clients", "3", "--runs", "10", "--rounds", "1", "--largest", "6", "--slow-clients", "20"]
    status = load_benchmark().main(arguments)

    output = capsys.readouterr().out
    assert status == 0, output
    assert "requests lost (sent, never answered): 0" in output
    assert "processes left behind once idle: 0" in output
    assert "processes of the service left after it stopped (SIGTERM): 0" in output
    assert "round 1: 10 runs answered" in output
    assert "largest results: 6 runs, each answer about" in output
    assert "normal runs answered 50, failed 0" in output
