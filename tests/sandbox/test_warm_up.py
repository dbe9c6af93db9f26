"""Warming up loads everything runs need, so a forked child never has to read a module file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from sandbox.executor import run_inline, warm_up
from sandbox.result import RunRequest
from tests.sandbox.test_benign_snippets import SNIPPETS
warm_up()
warm_up()  # idempotent
before = set(sys.modules)
statuses = [run_inline(RunRequest(code=param.values[0])).status.value for param in SNIPPETS]
print(json.dumps({"new": sorted(set(sys.modules) - before), "statuses": sorted(set(statuses))}))
"""


def test_tutorial_snippets_import_nothing_after_warm_up() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report == {"new": [], "statuses": ["ok"]}
