"""Load test of ONE sandbox service (``tutor sandbox serve``) with tutorial and hostile snippets.

Run: ``.venv/bin/python benchmarks/sandbox_service_load.py [--clients 50] [--runs 2000] [--rounds 2]``.
Starts the service as a subprocess on loopback (full isolation, no ``--insecure-dev``), then for each round
drives it with concurrent clients, each run with a unique ``request_id``: tutorial snippets (autograd, an
``nn.Module`` forward pass, a small training loop) mixed with hostile ones (an infinite loop under a 1 s
limit, a memory bomb, an output flood, a fork attempt, a denied import). A 503 is waited out for its
``Retry-After`` and retried with the same id (counted). Prints throughput, p50/p99 latency, results by
status, requests lost (sent, never answered: must be 0), processes left behind once idle (must be 0), and
the service's RSS before, after the first round and after the second identical one. Then two abuse phases:
``--largest N`` runs that each return the largest result the service allows (every list full, every string
at its cap; the service's RSS after each half shows whether it stays flat), and ``--slow-clients N``
connections that send their request headers a byte at a time while normal runs go on (each must be
answered). Exits 1 if a request was lost, a process left behind or a normal run refused.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from sandbox.isolation import DEFAULT_UID_BASE

ROOT = Path(__file__).resolve().parents[1]
TUTOR = str(Path(sys.executable).parent / "tutor")
TOKEN = "benchmark-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CHILD_UIDS = range(DEFAULT_UID_BASE, DEFAULT_UID_BASE + 65536)


@dataclass(frozen=True)
class Snippet:
    name: str
    code: str
    expect: str  # the status this snippet should end with
    weight: int
    limits: dict[str, float] | None = None


SNIPPETS = (
    Snippet(
        "autograd",
        "import torch\nx = torch.ones(2, 2, requires_grad=True)\ny = x + 2\nz = y * y * 3\n"
        "out = z.mean()\nout.backward()\nx.grad",
        "ok",
        34,
    ),
    Snippet(
        "nn.Module forward",
        "import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc1 = nn.Linear(8, 16)\n"
        "        self.fc2 = nn.Linear(16, 2)\n\n"
        "    def forward(self, x):\n        return self.fc2(torch.relu(self.fc1(x)))\n\n"
        "net = Net()\nout = net(torch.randn(4, 8))\nout.shape",
        "ok",
        30,
    ),
    Snippet(
        "training loop",
        "import torch\nfrom torch import nn, optim\ntorch.manual_seed(0)\nx = torch.randn(64, 3)\n"
        "y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.1\nmodel = nn.Linear(3, 1)\n"
        "opt = optim.SGD(model.parameters(), lr=0.1)\nfor step in range(30):\n    opt.zero_grad()\n"
        "    loss = nn.functional.mse_loss(model(x), y)\n    loss.backward()\n    opt.step()\n"
        "print(round(loss.item(), 4))",
        "ok",
        21,
    ),
    Snippet("infinite loop (1 s limit)", "while True:\n    pass", "timeout", 2, {"time_s": 1.0, "cpu_s": 2}),
    Snippet("memory bomb", "a = []\nwhile True:\n    a.append([0] * 100000)", "memory", 3),
    Snippet("output flood", "while True:\n    print('flood ' * 100)", "output_limit", 3),
    Snippet(
        "fork attempt (DataLoader workers)",
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        "loader = DataLoader(TensorDataset(torch.ones(4, 1)), num_workers=2)\nlist(loader)",
        "denied",
        3,
    ),
    Snippet("denied import", "import subprocess\nsubprocess.run(['sh'])", "denied", 4),
)


@dataclass
class Round:
    latencies_ms: list[float] = field(default_factory=list)  # the answered attempt
    end_to_end_ms: list[float] = field(default_factory=list)  # including 503 waits
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected: Counter[str] = field(default_factory=Counter)
    retries_503: int = 0
    lost: int = 0
    other_http: Counter[int] = field(default_factory=Counter)
    elapsed_s: float = 0.0


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the service's processes, from /proc ------------------------------------------------------------------


def _status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
        return {key: value.strip() for key, value in (line.split(":", 1) for line in handle if ":" in line)}


def processes() -> dict[int, tuple[int, int, str]]:
    """Return pid -> (ppid, uid, command line) for every process."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = _status(int(entry))
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry)] = (int(fields["PPid"]), int(fields["Uid"].split()[0]), cmdline)
    return found


def descendants(root: int, table: dict[int, tuple[int, int, str]]) -> list[int]:
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _, _) in table.items() if ppid == parent]
        found += children
        frontier += children
    return found


def rss_mib(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    try:
        return int(_status(pid)["VmRSS"].split()[0]) / 1024
    except (OSError, KeyError):
        return float("nan")


class Service:
    def __init__(self, concurrency: int, queue: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [
            TUTOR,
            "sandbox",
            "serve",
            "--port",
            str(self.port),
            "--concurrency",
            str(concurrency),
            "--queue",
            str(queue),
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "TUTOR_SANDBOX__TOKEN": TOKEN},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    async def wait_healthy(self, http: aiohttp.ClientSession, timeout_s: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"the sandbox service exited while starting:\n{error[-2000:]}")
            try:
                async with http.get(f"{self.url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("the sandbox service did not become healthy")

    async def metrics(self, http: aiohttp.ClientSession) -> dict[str, float]:
        async with http.get(f"{self.url}/metrics") as response:
            text = await response.text()
        values: dict[str, float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                key = sample.name + "".join(f"{{{k}={v}}}" for k, v in sorted(sample.labels.items()))
                values[key] = sample.value
        return values

    def _waiting_parent(self, table: dict[int, tuple[int, int, str]]) -> int | None:
        # The service starts a process that only waits; the serving warm parent is that one's child.
        for pid, (ppid, _, cmdline) in table.items():
            if ppid == self.process.pid and "sandbox.warm" in cmdline:
                return pid
        return None

    def warm_pid(self) -> int | None:
        table = processes()
        waiting = self._waiting_parent(table)
        for pid, (ppid, _, cmdline) in table.items():
            if waiting is not None and ppid == waiting and "sandbox.warm" in cmdline:
                return pid
        return None

    async def left_behind(
        self, http: aiohttp.ClientSession, timeout_s: float = 10.0
    ) -> tuple[int, list[str]]:
        """Once idle and refilled: processes beyond the warm parent and its ready children, and strays."""
        deadline = time.monotonic() + timeout_s
        while True:
            metrics = await self.metrics(http)
            ready = int(metrics.get("sandbox_pool_ready_children", 0))
            idle = metrics.get("sandbox_running", 0) == 0 and metrics.get("sandbox_queue_depth", 0) == 0
            table = processes()
            warm = self.warm_pid()
            tree = descendants(self.process.pid, table)
            children = {pid for pid in tree if table[pid][0] == warm}
            expected = {self._waiting_parent(table), warm} | children
            extra = [pid for pid in tree if pid not in expected]
            warm_children = len(children)
            # Any process with a child's uid that is not a waiting child of a serving warm parent (this
            # service's or another pool's on the machine) escaped or was left behind.
            forked = {pid for pid, (_, _, cmdline) in table.items() if "sandbox.warm" in cmdline}
            warm_parents = {
                pid for pid in forked if table[pid][0] in forked and table[pid][1] not in CHILD_UIDS
            }
            strays = [
                pid for pid, (ppid, uid, _) in table.items() if uid in CHILD_UIDS and ppid not in warm_parents
            ]
            surplus = max(0, warm_children - ready)
            count = len(extra) + len(strays) + surplus
            if (idle and count == 0) or time.monotonic() > deadline:
                detail = [f"{pid}: {table[pid][2][:80]}" for pid in extra + strays if pid in table]
                if surplus:
                    detail.append(f"{surplus} warm-parent children beyond the {ready} ready ones")
                return count, detail
            await asyncio.sleep(0.2)

    def stop(self) -> int:
        """Stop with SIGTERM; return how many of its processes outlived it (then kill those)."""
        tree = set(descendants(self.process.pid, processes()))
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        deadline = time.monotonic() + 5
        while (survivors := tree & set(processes())) and time.monotonic() < deadline:
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        for pid in survivors:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return len(survivors)


# --- the load ---------------------------------------------------------------------------------------------


def largest_result_code() -> str:
    """Return restricted code whose result has every list full and every string at its cap."""
    names = [f"{'t' * 96}{index:02d}" for index in range(20)]  # long names, just under the cap
    lines = ["import torch", "from torch import nn"]
    lines += [f"{name} = torch.randn(40, 40, requires_grad=True)" for name in names]
    lines += [
        f"m{'m' * 96}{index:02d} = nn.Sequential(*[nn.Linear(3, 3) for _ in range(30)])"
        for index in range(20)
    ]
    lines += [f"m{'m' * 96}{index:02d}(torch.ones(1, 3)).sum().backward()" for index in range(20)]
    lines += [
        f"g = {names[0]}",
        "for _ in range(400):",
        f"    g = g * 1.0001 + {names[1]}",
        "g.sum().backward()",
    ]
    lines += ["'x' * 100000"]
    return "\n".join(lines)


async def largest_results(
    url: str, count: int, clients: int, rss: Callable[[], float]
) -> tuple[int, list[float]]:
    """Run ``count`` largest-result snippets (cached by id); return one answer's size and RSS by quarter."""
    code = largest_result_code()
    samples = [rss()]
    size = 0
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, headers=AUTH) as http:
        for _quarter in range(4):
            jobs = iter(range(count // 4))

            async def client(jobs: Iterator[int] = jobs) -> None:
                nonlocal size
                for _index in jobs:
                    body = {"code": code, "request_id": f"largest-{uuid.uuid4().hex}"}
                    while True:
                        async with http.post(f"{url}/run", json=body) as response:
                            if response.status == 503:
                                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                                continue
                            payload = await response.read()
                            size = max(size, len(payload))
                            break

            await asyncio.gather(*(client() for _ in range(clients)))
            samples.append(rss())
    return size, samples


async def slow_flood(url: str, connections: int, runs: int) -> tuple[int, int, list[float]]:
    """Hold ``connections`` slow clients open during ``runs`` normal runs; return (answered, failed, ms)."""
    host, port = url.removeprefix("http://").split(":")
    stop = asyncio.Event()

    async def slow_client() -> None:
        try:
            _reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(b"POST /run HTTP/1.1\r\nHost: x\r\n")
            while not stop.is_set():
                writer.write(b"X")
                await writer.drain()
                await asyncio.sleep(0.5)
            writer.close()
        except OSError:
            return  # cut off by the service, as it should be

    slow = [asyncio.ensure_future(slow_client()) for _ in range(connections)]
    await asyncio.sleep(1.0)
    latencies: list[float] = []
    failed = 0
    async with aiohttp.ClientSession(headers=AUTH, timeout=aiohttp.ClientTimeout(total=60)) as http:
        for _ in range(runs):
            started = time.perf_counter()
            try:
                async with http.post(f"{url}/run", json={"code": SNIPPETS[0].code}) as response:
                    ok = response.status == 200 and (await response.json())["status"] == "ok"
            except aiohttp.ClientError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                failed += 1
    stop.set()
    await asyncio.gather(*slow, return_exceptions=True)
    return len(latencies), failed, latencies


def plan(runs: int, seed: int) -> list[Snippet]:
    """Return the round's runs: the same mix every round (same seed), shuffled."""
    chooser = random.Random(seed)
    return chooser.choices(SNIPPETS, weights=[s.weight for s in SNIPPETS], k=runs)


async def drive(url: str, jobs: list[Snippet], clients: int, tag: str) -> Round:
    result = Round()
    queue: asyncio.Queue[tuple[int, Snippet]] = asyncio.Queue()
    for index, job in enumerate(jobs):
        queue.put_nowait((index, job))
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=clients)

    async def client(http: aiohttp.ClientSession) -> None:
        while True:
            try:
                index, snippet = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            body: dict[str, object] = {
                "code": snippet.code,
                "request_id": f"{tag}-{index}-{uuid.uuid4().hex}",
            }
            if snippet.limits:
                body["limits"] = snippet.limits
            first = time.perf_counter()
            while True:
                sent = time.perf_counter()
                try:
                    async with http.post(f"{url}/run", json=body) as response:
                        if response.status == 503:
                            result.retries_503 += 1
                            await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                            continue
                        data = await response.json() if response.status == 200 else None
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    result.lost += 1
                    break
                done = time.perf_counter()
                if data is None:
                    result.other_http[status] += 1
                    break
                result.latencies_ms.append((done - sent) * 1000)
                result.end_to_end_ms.append((done - first) * 1000)
                result.statuses[data["status"]] += 1
                if data["status"] != snippet.expect:
                    result.unexpected[f"{snippet.name}: {data['status']}"] += 1
                break

    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector, headers=AUTH) as http:
        await asyncio.gather(*(client(http) for _ in range(clients)))
    result.elapsed_s = time.perf_counter() - started
    return result


def report(number: int, result: Round, left: int, detail: list[str], rss: tuple[float, float]) -> None:
    answered = len(result.latencies_ms)
    print(
        f"\nround {number}: {answered} runs answered in {result.elapsed_s:.1f} s "
        f"-> {answered / result.elapsed_s:.1f} runs/s"
    )
    print(
        f"  latency (answered attempt): p50 {percentile(result.latencies_ms, 0.5):7.1f} ms   "
        f"p99 {percentile(result.latencies_ms, 0.99):7.1f} ms"
    )
    print(
        f"  latency (end to end, 503 waits included): p50 {percentile(result.end_to_end_ms, 0.5):7.1f} ms"
        f"   p99 {percentile(result.end_to_end_ms, 0.99):7.1f} ms"
    )
    print("  results by status: " + ", ".join(f"{k} {v}" for k, v in sorted(result.statuses.items())))
    print(f"  503 answers waited out and retried: {result.retries_503}")
    if result.other_http:
        print("  other HTTP answers: " + ", ".join(f"{k} x{v}" for k, v in sorted(result.other_http.items())))
    unexpected = ", ".join(f"{k} x{v}" for k, v in sorted(result.unexpected.items())) or "none"
    print(f"  snippets that did not end as expected: {unexpected}")
    print(f"  requests lost (sent, never answered): {result.lost}")
    print(f"  processes left behind once idle: {left}" + (f" ({'; '.join(detail)})" if detail else ""))
    print(f"  RSS after the round: service {rss[0]:.1f} MiB, warm parent {rss[1]:.1f} MiB")


async def run(arguments: argparse.Namespace) -> int:
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
        f"Python {platform.python_version()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"load: {arguments.clients} clients, {arguments.runs} runs per round, {arguments.rounds} round(s); "
        f"service concurrency {arguments.concurrency}, queue {arguments.queue}"
    )
    mix = ", ".join(f"{s.name} {s.weight}%" for s in SNIPPETS)
    print(f"mix (weights): {mix}")
    service = Service(arguments.concurrency, arguments.queue)
    failed = False
    try:
        async with aiohttp.ClientSession() as http:
            started = time.perf_counter()
            await service.wait_healthy(http)
            print(f"service up in {time.perf_counter() - started:.1f} s (pid {service.process.pid})")
            await asyncio.sleep(0.5)
            print(
                f"RSS before: service {rss_mib(service.process.pid):.1f} MiB, "
                f"warm parent {rss_mib(service.warm_pid()):.1f} MiB"
            )
            jobs = plan(arguments.runs, arguments.seed)
            for number in range(1, arguments.rounds + 1):
                result = await drive(service.url, jobs, arguments.clients, f"r{number}")
                left, detail = await service.left_behind(http)
                rss = (rss_mib(service.process.pid), rss_mib(service.warm_pid()))
                report(number, result, left, detail, rss)
                failed |= result.lost > 0 or left > 0 or bool(result.other_http)
            if arguments.largest:
                size, samples = await largest_results(
                    service.url, arguments.largest, 4, lambda: rss_mib(service.process.pid)
                )
                steps = " -> ".join(f"{sample:.1f}" for sample in samples)
                print(
                    f"\nlargest results: {arguments.largest} runs, each answer about {size / 1024:.0f} KiB; "
                    f"service RSS (MiB) at the start and after each quarter: {steps}"
                )
            if arguments.slow_clients:
                answered, refused, latencies = await slow_flood(service.url, arguments.slow_clients, 50)
                print(
                    f"slow-client flood: {arguments.slow_clients} connections sending headers a byte at a "
                    f"time; normal runs answered {answered}, failed {refused}; p50 "
                    f"{percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms"
                )
                failed |= refused > 0
            metrics = await service.metrics(http)
            print(
                f"\nservice counters: busy rejections {metrics.get('sandbox_busy_rejections_total', 0):.0f}, "
                f"idempotent replays {metrics.get('sandbox_idempotent_replays_total', 0):.0f}, "
                f"warm restarts {metrics.get('sandbox_warm_restarts_total', 0):.0f}"
            )
    finally:
        outlived = service.stop()
    print(f"processes of the service left after it stopped (SIGTERM): {outlived}")
    failed |= outlived > 0
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--runs", type=int, default=2000, help="runs per round (default 2000)")
    parser.add_argument("--rounds", type=int, default=2, help="identical rounds, to watch RSS (default 2)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=os.cpu_count() or 1,
        help="the service's parallel runs (default: the core count)",
    )
    parser.add_argument(
        "--queue", type=int, default=32, help="the service's waiting runs before 503 (default 32)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the snippet mix (default 7)")
    parser.add_argument(
        "--largest", type=int, default=500, help="runs returning the largest result (default 500; 0: skip)"
    )
    parser.add_argument(
        "--slow-clients", type=int, default=512, help="slow-header connections (default 512; 0: skip)"
    )
    return asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
