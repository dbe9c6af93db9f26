"""The dashboard benchmark seeds, serves and times every page end to end (tiny, on SQLite)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "dashboard.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dashboard_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.timeout(60)
def test_benchmark_times_every_page_of_both_scopes(capsys: pytest.CaptureFixture[str]) -> None:
    benchmark = load_benchmark()

    benchmark.main(["--backend", "sqlite", "--learners", "40", "--answers", "400", "--repeat", "2"])

    output = capsys.readouterr().out
    assert "seeded in" in output and "40 learners" in output and "400 answers" in output
    rows = {line.split("  ")[0] for line in output.splitlines() if line[:1].isalpha()}
    for page in ("overview", "lessons", "funnel", "questions", "reviews", "learners", "preview", "exports"):
        assert page in rows, output
    assert "every page under 100 ms (p95)" in output
