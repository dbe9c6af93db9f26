"""The sandbox's executor without matplotlib in the warm parent: the baseline the benchmark compares with.

Used only by ``sandbox_latency.py`` (``--executor benchmarks.lean_executor``), to show what preloading
matplotlib costs runs that do not draw (a bigger warm parent forks more slowly).
"""

from __future__ import annotations

from sandbox import executor

execute = executor.execute


def warm_up() -> None:
    executor.warm_up(with_figures=False)
