"""Throughput and latency of the tutor core over the real store, with simulated learners.

Every learner is an asyncio task, all active at once: ``/start``, ``/lesson <id>`` for a random shipped
lesson, then N commands drawn from a realistic mix (``/next`` mostly, ``/back``, ``/progress``,
``/lessons``, ``/answer <n>`` with a random option while a quiz is open, and ``/lesson <id>`` when a
finished lesson suggests the next one). Latency is measured per ``Tutor.handle`` call, so it includes
waiting for a pooled connection, for the database's locks and for the event loop: what a learner sees.

By default the sandbox is an instant fake and no code runs. ``--runs 20`` makes 20% of the commands
``/run`` (or ``/submit`` at an exercise) against a fake sandbox that takes 0.5-2 s (``--run-seconds``), as a
real one does for a training loop: the figures of interest are then the latencies of the *other* commands
while runs are in flight, and whether a run holds a store session (and so a pooled connection) while it
waits on the sandbox, which the store wrapper here checks task by task. The per-learner rate limits are
lifted through ``TutorSettings``. SQLite runs on a fresh, migrated file in a temporary folder; PostgreSQL
on a throwaway database created on the server of ``TUTOR_BENCH_DATABASE_URL`` (default: the local test
server), migrated, and dropped at the end. Each (backend, learner count) run gets a fresh database and a
short untimed warm-up that opens the connection pool.

    python benchmarks/core_throughput.py                       # 100 and 1000 learners, both backends
    python benchmarks/core_throughput.py --learners 100 --backend postgresql --think-ms 200
    python benchmarks/core_throughput.py --learners 100 --think-ms 2000 --runs 20   # with slow runs
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import random
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser, Store, StoreSession
from bot.core.replies import Buttons, Notice, QuizPrompt, Reply, Text
from bot.core.tutor import Incoming, Tutor
from bot.curriculum.source import LessonLibrary
from bot.languages import LANGUAGES
from bot.resources import shipped_lessons_dir
from bot.store import SqlStore, open_store
from bot.store.engine import describe_failure, mask, parse_url
from bot.store.migrate import upgrade
from sandbox.result import CheckResult, RunRequest, RunResult, Status

PG_ENV = "TUTOR_BENCH_DATABASE_URL"
PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TARGET_MS = 20.0
TARGET_LEARNERS = 100
COMMAND_NAMES = ("/start", "/lesson", "/next", "/answer", "/back", "/progress", "/lessons", "/run", "/submit")
RUN_COMMANDS = ("/run", "/submit")
RUN_CODE = "x = torch.ones(2, 2, requires_grad=True)\nprint((x * 3).sum())"
# Weights of the commands a learner types when no quiz is waiting and no lesson is suggested.
MIX = (("/next", 60), ("/back", 12), ("/progress", 14), ("/lessons", 14))
ANSWER_CHANCE = 0.6  # with a quiz open, answer it (a random option: right or wrong) rather than move on
FOLLOW_CHANCE = 0.7  # after finishing a lesson, open the suggested one
UNLIMITED = 10**9
WARMUP_LEARNERS = 20


class OwnedStore:
    """Wraps the store to know, per asyncio task, how many sessions the task has open right now."""

    def __init__(self, inner: SqlStore) -> None:
        self.inner = inner
        self.open_by_task: Counter[asyncio.Task[object] | None] = Counter()

    def session(self) -> AbstractAsyncContextManager[StoreSession]:
        """Open a session of the wrapped store, counted against the current task."""
        return self._session()

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[StoreSession]:
        task = asyncio.current_task()
        self.open_by_task[task] += 1
        try:
            async with self.inner.session() as session:
                yield session
        finally:
            self.open_by_task[task] -= 1

    def held_by_current_task(self) -> int:
        """Return how many sessions the calling task has open."""
        return self.open_by_task[asyncio.current_task()]


class SlowSandbox:
    """A `SandboxClient` taking a random 0.5-2 s per run; notes what the waiting run holds of the store."""

    def __init__(self, store: OwnedStore, seconds: tuple[float, float], seed: int) -> None:
        self._store = store
        self._seconds = seconds
        self._rng = random.Random(seed)
        self.runs = 0
        self.sessions_held = 0  # sessions the running command's own task had open while it waited
        self.most_connections = 0  # pooled connections checked out, at any run's start or end

    async def run(self, request: RunRequest) -> RunResult:
        """Wait like a real run, then answer ``ok`` (with a passing check for a submission)."""
        self.runs += 1
        self._note()
        await asyncio.sleep(self._rng.uniform(*self._seconds))
        self._note()
        check = CheckResult(passed=True) if request.check is not None else None
        return RunResult(status=Status.OK, stdout="tensor(12., grad_fn=<SumBackward0>)\n", check=check)

    def _note(self) -> None:
        self.sessions_held = max(self.sessions_held, self._store.held_by_current_task())
        self.most_connections = max(self.most_connections, self._store.inner.connections_in_use())

    async def aclose(self) -> None:
        """Release nothing."""


class InstantSandbox:
    """A `SandboxClient` that answers every run at once with an empty ``ok`` result."""

    async def run(self, request: RunRequest) -> RunResult:
        """Return an ``ok`` result without running anything."""
        return RunResult(status=Status.OK)

    async def aclose(self) -> None:
        """Release nothing."""


@dataclass
class RunStats:
    """What one (backend, learner count) run measured; latencies in seconds, per command name."""

    backend: str
    learners: int
    commands_each: int
    wall_s: float = 0.0
    cpu_s: float = 0.0  # this process's CPU time (all threads): robust to other load on the machine
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    notices: Counter[str] = field(default_factory=Counter)
    run_share: float = 0.0
    sessions_held_by_runs: int = 0
    most_connections: int = 0

    @property
    def other_latencies(self) -> list[float]:
        """Return the latencies of every command that runs no code."""
        return [v for name, values in self.latencies.items() if name not in RUN_COMMANDS for v in values]

    @property
    def all_latencies(self) -> list[float]:
        """Return every command's latency."""
        return [value for values in self.latencies.values() for value in values]

    @property
    def total(self) -> int:
        """Return how many commands ran (failed ones included)."""
        return len(self.all_latencies)


def percentile(values: Sequence[float], pct: float) -> float:
    """Return the nearest-rank percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


@dataclass
class _LearnerState:
    quiz: QuizPrompt | None = None
    follow: str | None = None  # "/lesson <id>" offered after finishing a lesson
    exercise: bool = False  # the step on screen is an exercise: a run is a /submit


class Simulation:
    """Drives learners through one tutor and records every command's latency."""

    def __init__(
        self,
        tutor: Tutor,
        lesson_ids: Sequence[str],
        stats: RunStats,
        *,
        think_ms: float,
        seed: int,
        tag: str,
        run_share: float = 0.0,
    ) -> None:
        self.tutor = tutor
        self.lesson_ids = list(lesson_ids)
        self.stats = stats
        self.think_ms = think_ms
        self.seed = seed
        self.tag = tag
        self.run_share = run_share

    async def learner(self, number: int, commands: int) -> None:
        """Play one learner: /start, /lesson, then ``commands`` commands from the mix."""
        rng = random.Random(self.seed * 1_000_003 + number)
        user = PlatformUser(
            "telegram", f"{self.tag}-{number}", f"Learner {number}", rng.choice(("en-US", "zh-CN"))
        )
        state = _LearnerState()
        await self._send(rng, user, state, "/start", "/start")
        await self._send(rng, user, state, "/lesson", f"/lesson {rng.choice(self.lesson_ids)}")
        for _ in range(commands):
            name, line = self._choose(rng, state)
            await self._send(rng, user, state, name, line)

    def _choose(self, rng: random.Random, state: _LearnerState) -> tuple[str, str]:
        if rng.random() < self.run_share:
            name = "/submit" if state.exercise else "/run"
            return name, f"{name}\n```python\n{RUN_CODE}\n```"
        if state.quiz is not None and rng.random() < ANSWER_CHANCE:
            return "/answer", f"/answer {rng.randint(1, len(state.quiz.options))}"
        if state.follow is not None and rng.random() < FOLLOW_CHANCE:
            return "/lesson", state.follow
        names, weights = zip(*MIX, strict=True)
        name = rng.choices(names, weights)[0]
        return name, name

    async def _send(
        self, rng: random.Random, user: PlatformUser, state: _LearnerState, name: str, line: str
    ) -> None:
        if self.think_ms > 0:
            await asyncio.sleep(rng.uniform(0, self.think_ms) / 1000)
        started = time.perf_counter()
        try:
            replies = list((await self.tutor.handle(Incoming(user=user, text=line))).replies)
        except Exception as error:  # a bug in the core or the store: count it, keep the learner going
            self.stats.latencies[name].append(time.perf_counter() - started)
            self.stats.errors.append(f"{name}: {''.join(traceback.format_exception_only(error)).strip()}")
            return
        self.stats.latencies[name].append(time.perf_counter() - started)
        self._observe(name, replies, state)

    def _observe(self, name: str, replies: list[Reply], state: _LearnerState) -> None:
        for reply in replies:
            if isinstance(reply, Notice):
                self.stats.notices[reply.kind] += 1
                if reply.kind == "error":
                    self.stats.errors.append(f"{name}: error notice {reply.text!r}")
        if name in ("/lesson", "/next", "/back"):  # these show a step: the quiz on screen changes
            state.quiz = next((r for r in replies if isinstance(r, QuizPrompt)), None)
            state.exercise = any(isinstance(r, Text) and "/submit" in r.markdown for r in replies)
            state.follow = next(
                (
                    button.command
                    for r in replies
                    if isinstance(r, Buttons)
                    for button in r.buttons
                    if button.command and button.command.startswith("/lesson ")
                ),
                None,
            )
        elif name == "/answer" and any(isinstance(r, Notice) and r.kind == "success" for r in replies):
            state.quiz = None  # answered right: a learner moves on rather than answering again


async def measure(
    store: Store,
    library: LessonLibrary,
    backend: str,
    learners: int,
    commands: int,
    *,
    think_ms: float,
    seed: int,
    run_share: float = 0.0,
    run_seconds: tuple[float, float] = (0.5, 2.0),
) -> RunStats:
    """Warm the pool up, then run ``learners`` concurrent learners of ``commands`` commands each."""
    settings = TutorSettings(commands_per_minute=UNLIMITED, runs_per_minute=UNLIMITED)
    owned = OwnedStore(store) if isinstance(store, SqlStore) else None
    slow = SlowSandbox(owned, run_seconds, seed) if owned is not None and run_share > 0 else None
    tutor = Tutor(owned or store, library, slow or InstantSandbox(), settings=settings)
    lesson_ids = library.current().ids()
    warmup = RunStats(backend, WARMUP_LEARNERS, 2)
    simulation = Simulation(tutor, lesson_ids, warmup, think_ms=0, seed=seed, tag="warmup")
    async with asyncio.TaskGroup() as group:
        for number in range(min(learners, WARMUP_LEARNERS)):
            group.create_task(simulation.learner(number, 2))
    stats = RunStats(backend, learners, commands, run_share=run_share)
    stats.errors += warmup.errors
    simulation = Simulation(
        tutor, lesson_ids, stats, think_ms=think_ms, seed=seed, tag="learner", run_share=run_share
    )
    started, cpu_started = time.perf_counter(), time.process_time()
    async with asyncio.TaskGroup() as group:
        for number in range(learners):
            group.create_task(simulation.learner(number, commands))
    stats.wall_s = time.perf_counter() - started
    stats.cpu_s = time.process_time() - cpu_started
    if slow is not None:
        stats.sessions_held_by_runs = slow.sessions_held
        stats.most_connections = slow.most_connections
    return stats


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    """Yield the URL of a fresh, migrated SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="tutor-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        yield url


async def _admin(server_url: str, sql: str) -> None:
    # CREATE/DROP DATABASE refuse to run inside a transaction.
    engine = create_async_engine(
        parse_url(server_url), isolation_level="AUTOCOMMIT", connect_args={"timeout": 5}
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


async def postgres_unreachable(server_url: str) -> str | None:
    """Return why the PostgreSQL server cannot be used, or None if it can."""
    try:
        await _admin(server_url, "SELECT 1")
    except Exception as error:
        return describe_failure(error)
    return None


async def postgres_version(server_url: str) -> str:
    """Return the server's version string, e.g. ``15.6``."""
    engine = create_async_engine(parse_url(server_url), connect_args={"timeout": 5})
    try:
        async with engine.connect() as connection:
            return str(await connection.scalar(text("SHOW server_version")))
    finally:
        await engine.dispose()


@asynccontextmanager
async def postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create a throwaway database on the server, migrate it, yield its URL and drop it afterwards."""
    name = f"tutor_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        url = parse_url(server_url).set(database=name).render_as_string(hide_password=False)
        await upgrade(url)
        yield url
    finally:
        await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine_lines(pg_version: str | None) -> list[str]:
    """Describe the machine and the library versions the figures depend on."""
    import aiosqlite
    import asyncpg

    lines = [
        f"machine: {platform.machine()} {platform.system()} {platform.release()}, {os.cpu_count()} cores "
        f"(usable: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'})",
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"SQLAlchemy {sqlalchemy.__version__}, asyncpg {asyncpg.__version__}, "
        f"aiosqlite {aiosqlite.__version__}, SQLite {__import__('sqlite3').sqlite_version}",
    ]
    if pg_version:
        lines.append(f"PostgreSQL server {pg_version}")
    if hasattr(os, "getloadavg"):  # other work on the machine skews every figure: say how busy it was
        lines.append("load average (1/5/15 min): " + " / ".join(f"{load:.2f}" for load in os.getloadavg()))
    return lines


def summary_table(results: Sequence[RunStats]) -> list[str]:
    """Render one row per run."""
    header = (
        "backend",
        "learners",
        "commands",
        "wall s",
        "commands/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "errors",
        "cpu ms/cmd",
        "runs %",
        "others p50",
        "others p99",
    )
    rows = [header]
    for stats in results:
        values = stats.all_latencies
        rows.append(
            (
                stats.backend,
                str(stats.learners),
                str(stats.total),
                f"{stats.wall_s:.2f}",
                f"{stats.total / stats.wall_s:.0f}" if stats.wall_s else "-",
                f"{percentile(values, 50) * 1000:.1f}",
                f"{percentile(values, 99) * 1000:.1f}",
                f"{max(values, default=0) * 1000:.1f}",
                str(len(stats.errors)),
                f"{stats.cpu_s / stats.total * 1000:.2f}" if stats.total else "-",
                f"{stats.run_share * 100:.0f}",
                f"{percentile(stats.other_latencies, 50) * 1000:.1f}",
                f"{percentile(stats.other_latencies, 99) * 1000:.1f}",
            )
        )
    return _render(rows)


def per_command_table(stats: RunStats) -> list[str]:
    """Render p50/p99 per command name for one run."""
    rows = [("command", "count", "p50 ms", "p99 ms", "max ms")]
    for name in COMMAND_NAMES:
        values = stats.latencies.get(name, [])
        if values:
            rows.append(
                (
                    name,
                    str(len(values)),
                    f"{percentile(values, 50) * 1000:.1f}",
                    f"{percentile(values, 99) * 1000:.1f}",
                    f"{max(values) * 1000:.1f}",
                )
            )
    return _render(rows)


def _render(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--learners",
        type=int,
        nargs="+",
        default=[100, 1000],
        help="concurrent learner counts to run (default: 100 1000)",
    )
    parser.add_argument(
        "--commands",
        type=int,
        default=None,
        help="commands per learner after /start and /lesson (default: 20 up to 100 learners, 8 above)",
    )
    parser.add_argument(
        "--backend",
        nargs="+",
        choices=("sqlite", "postgresql"),
        default=["sqlite", "postgresql"],
        help="stores to measure (default: both)",
    )
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="random think time before each command, uniform in [0, N] ms (default: 0)",
    )
    parser.add_argument(
        "--runs",
        type=float,
        default=0.0,
        metavar="PERCENT",
        help="share of commands that run code (/run, or /submit at an exercise), in percent (default: 0)",
    )
    parser.add_argument(
        "--run-seconds",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        metavar=("LOW", "HIGH"),
        help="how long the fake sandbox takes per run, uniform in [LOW, HIGH] s (default: 0.5 2)",
    )
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> list[RunStats]:
    """Run every requested (backend, learner count) and print the report; return the measurements."""
    server_url = os.environ.get(PG_ENV) or PG_DEFAULT
    backends = list(dict.fromkeys(args.backend))
    pg_skip: str | None = None
    pg_version: str | None = None
    if "postgresql" in backends:
        pg_skip = await postgres_unreachable(server_url)
        if pg_skip is None:
            pg_version = await postgres_version(server_url)
        else:
            backends.remove("postgresql")
    for line in machine_lines(pg_version):
        print(line)
    library = LessonLibrary([shipped_lessons_dir()], LANGUAGES)
    print(
        f"lessons: {len(library.current().lessons)}; think time: "
        f"{f'0-{args.think_ms:g} ms' if args.think_ms > 0 else 'none (closed loop)'}; "
        + (
            f"sandbox: {args.runs:g}% of commands run code, "
            f"{args.run_seconds[0]:g}-{args.run_seconds[1]:g} s each"
            if args.runs > 0
            else "sandbox: instant fake"
        )
        + "; rate limits: off"
    )
    if pg_skip is not None:
        print(
            f"PostgreSQL: SKIPPED, {mask(server_url)} is not reachable ({pg_skip}); "
            f"set {PG_ENV} to a server that allows CREATE DATABASE"
        )
    print()
    results: list[RunStats] = []
    for backend in backends:
        for learners in args.learners:
            commands = args.commands if args.commands is not None else (20 if learners <= 100 else 8)
            database = sqlite_database() if backend == "sqlite" else postgres_database(server_url)
            async with database as url, open_store(url, upgrade=False) as store:
                stats = await measure(
                    store,
                    library,
                    backend,
                    learners,
                    commands,
                    think_ms=args.think_ms,
                    seed=args.seed,
                    run_share=args.runs / 100,
                    run_seconds=tuple(args.run_seconds),
                )
            results.append(stats)
            print(
                f"  {backend:<10} {learners:>5} learners x (2 + {commands}) commands: {stats.wall_s:.2f} s",
                flush=True,
            )
    print()
    print("\n".join(summary_table(results)))
    for stats in results:
        for error in sorted(set(stats.errors))[:5]:
            print(f"  error ({stats.backend}, {stats.learners}): {error}")
    target = next((s for s in results if s.backend == "postgresql" and s.learners == TARGET_LEARNERS), None)
    detail = target or next(iter(results), None)
    if detail is not None:
        print()
        print(f"per command, {detail.backend}, {detail.learners} learners:")
        print("\n".join(per_command_table(detail)))
    if args.runs > 0:
        print()
        for stats in results:
            print(
                f"{stats.backend}, {stats.learners} learners: store sessions a run held while it waited on "
                f"the sandbox: {stats.sessions_held_by_runs} (must be 0); pooled connections in use at a "
                f"run's start or end: at most {stats.most_connections}"
            )
        others = [s for s in results if s.learners == TARGET_LEARNERS]
        for stats in others:
            p99 = percentile(stats.other_latencies, 99) * 1000
            verdict = "PASS" if p99 < TARGET_MS and stats.sessions_held_by_runs == 0 else "FAIL"
            print(
                f"p99 of the other commands under {TARGET_MS:g} ms with {TARGET_LEARNERS} learners while "
                f"runs are in flight, {stats.backend}: {verdict} (measured {p99:.1f} ms)"
            )
        return results
    print()
    claim = f"p99 under {TARGET_MS:g} ms per command with {TARGET_LEARNERS} concurrent learners on PostgreSQL"
    if target is None:
        reason = (pg_skip and "PostgreSQL unreachable") or f"no {TARGET_LEARNERS}-learner PostgreSQL run"
        print(f"{claim}: SKIPPED ({reason})")
    else:
        p99 = percentile(target.all_latencies, 99) * 1000
        print(f"{claim}: {'PASS' if p99 < TARGET_MS else 'FAIL'} (measured {p99:.1f} ms)")
        if args.think_ms <= 0 and target.wall_s:
            # Little's law: with every learner always waiting on a command, latency is set by throughput.
            floor = target.learners / (target.total / target.wall_s) * 1000
            print(
                f"  note: closed loop (no think time) keeps {target.learners} commands in flight, so mean "
                f"latency is at least {target.learners} / throughput = {floor:.0f} ms here; "
                "--think-ms 2000 paces learners like people"
            )
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit status 1 if any command failed, else 0."""
    results = asyncio.run(run(parse_args(argv)))
    return 1 if any(stats.errors for stats in results) else 0


if __name__ == "__main__":
    sys.exit(main())
