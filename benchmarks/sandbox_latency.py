"""Latency and throughput of the sandbox: warm pool, HTTP service, and spawning a fresh Python per run.

Run: ``.venv/bin/python benchmarks/sandbox_latency.py [--runs N]``. Prints p50/p99 latency and runs per
second for the handbook's small autograd snippet: through the local warm pool (in this process), through
the HTTP service (``sandbox serve`` in its own process, on loopback), and by spawning ``python -c`` per run.
Then, side by side through the HTTP service: the seed snippet with and without matplotlib preloaded in the
warm parent (``benchmarks/lean_executor.py``), and a cell that draws one line plot (target: p50 < 150 ms).
It reports CPU per run through the pool and through the HTTP service, and the floor under it: forking a
warm parent and exiting, with and without running the snippet (``benchmarks/fork_floor.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.client import SandboxClient  # noqa: E402
from sandbox.http_client import HttpSandbox  # noqa: E402
from sandbox.local import LocalSandbox, PoolConfig  # noqa: E402
from sandbox.result import RunRequest, Status  # noqa: E402

SNIPPET = (
    "x = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
    "out = z.mean()\nout.backward()\nx.grad"
)
SNIPPETS = {"seed": "import torch\n" + SNIPPET, "pass": "pass"}
PLOT = RunRequest(code="import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])")
LEAN_EXECUTOR = "benchmarks.lean_executor"
REQUEST = RunRequest(code=SNIPPETS["seed"])


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Figures:
    def __init__(self, name: str, latencies_ms: list[float], elapsed_s: float) -> None:
        self.name = name
        self.p50 = percentile(latencies_ms, 0.50)
        self.p99 = percentile(latencies_ms, 0.99)
        self.rate = len(latencies_ms) / elapsed_s
        self.count = len(latencies_ms)
        self.samples = list(latencies_ms)
        self.elapsed = elapsed_s

    def line(self) -> str:
        return (
            f"{self.name:<34} n={self.count:<4} p50 {self.p50:8.1f} ms   p99 {self.p99:8.1f} ms"
            f"   {self.rate:7.1f} runs/s"
        )


async def measure(name: str, run: Callable[[], Awaitable[float]], runs: int, clients: int) -> Figures:
    latencies: list[float] = []

    async def client(count: int) -> None:
        for _ in range(count):
            latencies.append(await run())

    started = time.perf_counter()
    await asyncio.gather(*(client(runs // clients) for _ in range(clients)))
    return Figures(name, latencies, time.perf_counter() - started)


def timed(sandbox: SandboxClient, request: RunRequest | None = None) -> Callable[[], Awaitable[float]]:
    async def once() -> float:
        started = time.perf_counter()
        result = await sandbox.run(request or REQUEST)
        if result.status is not Status.OK:
            raise RuntimeError(f"benchmark run failed: {result.status} {result.error}")
        return (time.perf_counter() - started) * 1000

    return once


def spawn_per_run(runs: int) -> Figures:
    code = "import torch\n" + SNIPPET.replace("\nx.grad", "\nprint(x.grad)")
    latencies = []
    started = time.perf_counter()
    for _ in range(runs):
        begin = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            env={"OMP_NUM_THREADS": "1", "PATH": os.environ.get("PATH", "")},
        )
        latencies.append((time.perf_counter() - begin) * 1000)
    return Figures("spawn python -c per run", latencies, time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


TOKEN = "benchmark-token-0123456789"


async def start_service(port: int, executor: str | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sandbox.cli", "sandbox", "serve", "--port", str(port)]
    if executor:
        command += ["--executor", executor]
    environment = {**os.environ, "TUTOR_SANDBOX__TOKEN": TOKEN}
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return server
            except aiohttp.ClientError:
                pass
            if server.poll() is not None:
                raise RuntimeError("the sandbox service exited while starting")
            await asyncio.sleep(0.1)
    server.terminate()
    raise RuntimeError("the sandbox service did not start")


async def figures_side_by_side(runs: int) -> tuple[Figures, Figures, Figures]:
    """Measure, alternating lean and full services, the seed snippet; then the plot cell on the full one."""
    results: dict[str, list[float]] = {"lean": [], "full": [], "plot": []}
    elapsed = {"lean": 0.0, "full": 0.0, "plot": 0.0}
    for round_runs in [runs // 2, runs - runs // 2]:
        for kind, executor in (("lean", LEAN_EXECUTOR), ("full", None)):
            port = free_port()
            server = await start_service(port, executor)
            client = HttpSandbox(f"http://127.0.0.1:{port}", token=TOKEN)
            try:
                await measure("warm-up", timed(client), 20, 1)
                figure = await measure(kind, timed(client), round_runs, 1)
                results[kind] += figure.samples
                elapsed[kind] += figure.elapsed
                if executor is None:
                    plot = await measure("plot", timed(client, PLOT), max(round_runs // 3, 10), 1)
                    results["plot"] += plot.samples
                    elapsed["plot"] += plot.elapsed
            finally:
                await client.aclose()
                server.send_signal(signal.SIGTERM)
                server.wait(30)
    named = {
        "lean": "HTTP, seed, lean warm parent",
        "full": "HTTP, seed, matplotlib preloaded",
        "plot": "HTTP, one-line plot cell",
    }
    made = [Figures(named[kind], results[kind], elapsed[kind]) for kind in ("lean", "full", "plot")]
    for figure in made:
        print(figure.line())
    return made[0], made[1], made[2]


def cpu_seconds(warm_pid: int) -> float:
    """Return CPU time used so far by this process, the warm parent and its reaped children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    with open(f"/proc/{warm_pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    warm = sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime
    return own.ru_utime + own.ru_stime + warm


def _stat_times(pid: int) -> tuple[int, list[int], float]:
    """Return (parent pid, child pids, CPU seconds of the process and of its reaped children)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
        kids = [int(value) for value in children.read().split()]
    return int(fields[1]), kids, sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int) -> float:
    """Return CPU time used so far by ``root`` and every process under it, reaped ones included.

    Each live process counts its own time and that of the children it has reaped, so a process that ends
    between two readings moves from its own line to its parent's without changing the sum.
    """
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        try:
            _, kids, seconds = _stat_times(pid)
        except (OSError, ValueError):
            continue  # ended between the two reads: its parent's next reading has it
        total += seconds
        frontier.extend(kids)
    return total


def own_cpu_seconds() -> float:
    """Return the CPU time this (client) process has used."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


async def main(runs: int, spawn_runs: int) -> None:
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    figures: list[Figures] = []
    started = time.perf_counter()
    async with LocalSandbox.start(PoolConfig(concurrency=os.cpu_count() or 1, queue_size=64)) as pool:
        print(f"warm pool started in {time.perf_counter() - started:.1f} s")
        local = timed(pool)
        await measure("warm-up", local, 30, 1)
        assert pool.warm_pid is not None
        cpu_before = cpu_seconds(pool.warm_pid)
        figures.append(await measure("local pool, 1 client", local, runs, 1))
        figures.append(await measure("local pool, 2 concurrent clients", local, runs, 2))
        await asyncio.sleep(0.5)  # let the last children exit and be reaped
        cpu_per_run_ms = (cpu_seconds(pool.warm_pid) - cpu_before) * 1000 / (2 * (runs // 2) + runs)
    port = free_port()
    server = await start_service(port)
    client = HttpSandbox(f"http://127.0.0.1:{port}", token=TOKEN)
    try:
        remote = timed(client)
        await measure("warm-up", remote, 30, 1)
        figures.append(await measure("HTTP service, 1 client", remote, runs, 1))
        await asyncio.sleep(0.5)
        client_before, service_before = own_cpu_seconds(), tree_cpu_seconds(server.pid)
        figures.append(await measure("HTTP service, 2 concurrent clients", remote, runs, 2))
        await asyncio.sleep(0.5)  # let the last children exit and be reaped
        measured = 2 * (runs // 2)
        http_client_ms = (own_cpu_seconds() - client_before) * 1000 / measured
        http_service_ms = (tree_cpu_seconds(server.pid) - service_before) * 1000 / measured
    finally:
        await client.aclose()
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    side_by_side = await figures_side_by_side(runs)
    spawn = spawn_per_run(spawn_runs)
    figures.append(spawn)
    floor_script = str(ROOT / "benchmarks" / "fork_floor.py")
    floor = subprocess.run([sys.executable, floor_script], check=True, capture_output=True, text=True)
    print()
    for figure in figures:
        print(figure.line())
    print()
    local_seq, local_conc, http_seq, http_conc = figures[:4]
    print(f"spawn p50 / local pool p50:     {spawn.p50 / local_seq.p50:7.1f}x")
    print(f"spawn p50 / HTTP service p50:   {spawn.p50 / http_seq.p50:7.1f}x")
    print(
        f"best throughput: local {max(local_seq.rate, local_conc.rate):.1f} runs/s, "
        f"HTTP {max(http_seq.rate, http_conc.rate):.1f} runs/s, spawn {spawn.rate:.2f} runs/s"
    )
    cores = os.cpu_count() or 1
    print(
        f"CPU per run (pool side + warm parent + child, incl. fork/exit): {cpu_per_run_ms:.1f} ms "
        f"-> capacity on {cores} idle cores: {cores * 1000 / cpu_per_run_ms:.0f} runs/s"
    )
    http_total = http_client_ms + http_service_ms
    print(
        f"CPU per run through HTTP, 2 clients: {http_total:.1f} ms (benchmark client "
        f"{http_client_ms:.1f} ms, service + warm parent + child {http_service_ms:.1f} ms) -> capacity on "
        f"{cores} idle cores: "
        f"{cores * 1000 / http_total:.0f} runs/s"
    )
    print(floor.stdout.rstrip())
    lean, full, plot = side_by_side
    print(
        f"seed snippet, HTTP, matplotlib preloaded / lean warm parent: p50 {full.p50 / lean.p50:5.2f}x "
        f"({full.p50:.1f} ms vs {lean.p50:.1f} ms; must stay within 1.10x)"
    )
    print(f"one-line plot cell, HTTP p50: {plot.p50:.1f} ms (target < 150 ms)")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=300, help="runs per warm measurement (default 300)")
    parser.add_argument("--spawn-runs", type=int, default=10, help="runs of the spawn baseline (default 10)")
    parser.add_argument("--snippet", choices=sorted(SNIPPETS), default="seed", help="what each run executes")
    arguments = parser.parse_args()
    REQUEST = RunRequest(code=SNIPPETS[arguments.snippet])
    asyncio.run(main(arguments.runs, arguments.spawn_runs))
