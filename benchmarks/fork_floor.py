"""The floor under the sandbox's CPU per run: what forking the warm parent costs before any isolation.

Run: ``.venv/bin/python benchmarks/fork_floor.py [--forks N]`` (``sandbox_latency.py`` runs it too). Brings
this process to the warm parent's state (the executor warmed up, objects frozen, the heap on huge pages),
then forks it N times two ways and prints the CPU per fork of parent and child together:

- fork and exit at once: the least any fork-per-run design pays here;
- fork, run the seed snippet through the executor, exit: the same without isolation, pipes, pool or HTTP.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sandbox import executor, linux
from sandbox.result import RunRequest

SEED = RunRequest(
    code="import torch\nx = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
    "out = z.mean()\nout.backward()\nx.grad"
)


def _cpu() -> tuple[float, float, int]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime, children.ru_minflt


def per_fork(forks: int, in_child: Callable[[], object]) -> tuple[float, float, float]:
    """Fork ``forks`` times, each child running ``in_child``; return parent and child CPU ms, child faults."""
    before = _cpu()
    for _ in range(forks):
        pid = os.fork()
        if pid == 0:
            in_child()
            os._exit(0)
        os.waitpid(pid, 0)
    after = _cpu()
    return (
        (after[0] - before[0]) * 1000 / forks,
        (after[1] - before[1]) * 1000 / forks,
        (after[2] - before[2]) / forks,
    )


def main(forks: int) -> None:
    executor.warm_up()
    gc.freeze()
    linux.collapse_to_huge_pages()
    cases: dict[str, Callable[[], object]] = {
        "fork + exit": lambda: None,
        "fork + seed snippet + exit": lambda: executor.execute(SEED, lambda _text: None),
    }
    for name, in_child in cases.items():
        parent, child, faults = per_fork(forks, in_child)
        print(
            f"floor, {name:<27} {parent + child:5.1f} ms CPU per fork (parent {parent:.1f}, "
            f"child {child:.1f}, {faults:.0f} page faults in the child)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forks", type=int, default=200, help="forks per measurement (default 200)")
    main(parser.parse_args().forks)
