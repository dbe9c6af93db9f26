"""Server-side render time of every dashboard page over a large course in PostgreSQL.

Seeds a throwaway database with ``--learners`` learners (default 10,000) and ``--answers`` quiz answers
(default 500,000), plus progress in the shipped lessons, runs, submissions, active days, ratings and
reviews, spread over 60 days; one server holds half the learners, the rest are spread over 20 more. Then it
serves the real dashboard application in process, signs in as a lesson admin (every learner) and as the big
server's admin, and asks each page once cold, once to warm up and ``--repeat`` times, reading the server's
own timing (``Server-Timing``: from the request reaching the application to the response being ready,
database included). The target is every page under 100 ms at the 95th percentile of the warm requests;
the cold one is shown beside them.

    python benchmarks/dashboard.py                                   # PostgreSQL, 10,000 / 500,000
    python benchmarks/dashboard.py --backend sqlite --learners 50 --answers 500 --repeat 3   # a smoke run

PostgreSQL runs on a throwaway database created on the server of ``TUTOR_BENCH_DATABASE_URL`` (default:
the local test server) and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import random
import re
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import bindparam, insert, text, update
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.logins import make_token, token_hash
from bot.core.ports.dashboard import DashboardGrant, DashboardLogin, Scope
from bot.curriculum.model import CodeStep, ExerciseStep, NumericStep, QuizStep
from bot.curriculum.source import LessonLibrary
from bot.dashboard.app import build_dashboard
from bot.dashboard.deps import Dashboard, DashboardConfig
from bot.languages import LANGUAGES
from bot.resources import shipped_lessons_dir
from bot.store import SqlStore, open_store
from bot.store.engine import parse_url
from bot.store.migrate import upgrade
from bot.store.models import (
    AccountRow,
    ActivityDayRow,
    LearnerRow,
    LessonRatingRow,
    LessonReviewRow,
    ProgressRow,
    QuizAttemptRow,
    RunRow,
    ServerMemberRow,
    SubmissionRow,
)
from bot.store.repositories.activity import latest_run

PG_ENV = "TUTOR_BENCH_DATABASE_URL"
PG_DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
TARGET_MS = 100.0
DAYS = 60
CHUNK = 5000
BIG_SERVER = "1000"
STATUSES = (("ok", 70), ("error", 15), ("syntax", 5), ("timeout", 5), ("denied", 3), ("memory", 2))
TIMING = re.compile(r"app;dur=([0-9.]+)")
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def percentile(values: Sequence[float], pct: float) -> float:
    """Return the nearest-rank percentile of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


async def _admin(server_url: str, sql: str) -> None:
    engine = create_async_engine(parse_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(sql))
    finally:
        await engine.dispose()


@asynccontextmanager
async def postgres_database(server_url: str, *, keep: bool = False) -> AsyncIterator[str]:
    """Create a throwaway database on the server, migrate it, yield its URL and drop it afterwards."""
    name = f"tutor_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    await _admin(server_url, f'CREATE DATABASE "{name}"')
    try:
        url = parse_url(server_url).set(database=name).render_as_string(hide_password=False)
        await upgrade(url)
        yield url
    finally:
        if keep:
            print(f"kept the seeded database: {url} (--url reuses it)")
        else:
            await _admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@asynccontextmanager
async def existing_database(url: str) -> AsyncIterator[str]:
    """Yield the URL of a database seeded by an earlier ``--keep`` run."""
    yield url


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    """Yield the URL of a fresh, migrated SQLite file in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="tutor-bench-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        yield url


class Seeder:
    """Fills the store with a course's worth of learning, in bulk inserts."""

    def __init__(self, store: SqlStore, library: LessonLibrary, now: datetime, seed: int) -> None:
        self.store = store
        self.lessons = library.current().lessons
        self.now = now
        self.rng = random.Random(seed)
        self.questions = [
            (lesson.id, step.id, len(step.quiz.options) if isinstance(step, QuizStep) else 0, step)
            for lesson in self.lessons
            for step in lesson.steps
            if isinstance(step, QuizStep | NumericStep)
        ]
        self.exercises = [
            (lesson.id, step.id)
            for lesson in self.lessons
            for step in lesson.steps
            if isinstance(step, ExerciseStep)
        ]

    def moment(self) -> datetime:
        """Return a moment in the last ``DAYS`` days, recent ones likelier."""
        return self.now - timedelta(days=DAYS * self.rng.random() ** 2, seconds=self.rng.randrange(86400))

    async def put(self, model: Any, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), CHUNK):
            async with self.store.engine.begin() as connection:
                await connection.execute(insert(model), rows[start : start + CHUNK])

    async def note_streaks(self, days: set[tuple[int, date]]) -> None:
        """Set each learner's latest run of active days, as noting the days one by one would have."""
        by_learner: dict[int, list[date]] = {}
        for learner_id, day in days:
            by_learner.setdefault(learner_id, []).append(day)
        runs = [(learner_id, *latest_run(found)) for learner_id, found in by_learner.items()]
        change = (
            update(LearnerRow)
            .where(LearnerRow.id == bindparam("learner"))
            .values(streak_end=bindparam("end"), streak_days=bindparam("length"))
        )
        for start in range(0, len(runs), CHUNK):
            async with self.store.engine.begin() as connection:
                await connection.execute(
                    change,
                    [{"learner": i, "end": end, "length": n} for i, end, n in runs[start : start + CHUNK]],
                )

    async def seed(self, learners: int, answers: int) -> dict[str, int]:
        """Seed everything; return how many rows of each kind went in."""
        rng, now = self.rng, self.now
        await self.put(
            LearnerRow,
            [
                {"id": i, "display_name": f"Learner {i:05d}", "created_at": now}
                for i in range(1, learners + 1)
            ],
        )
        await self.put(
            AccountRow,
            [
                {
                    "learner_id": i,
                    "platform": "discord",
                    "platform_user_id": str(i),
                    "display_name": f"Learner {i:05d}",
                    "linked_at": now,
                }
                for i in range(1, learners + 1)
            ],
        )
        members = [
            {
                "platform": "discord",
                "server_id": BIG_SERVER if i % 2 else str(2000 + i % 20),
                "learner_id": i,
                "first_seen": now,
            }
            for i in range(1, learners + 1)
        ]
        await self.put(ServerMemberRow, members)
        progress = []
        for i in range(1, learners + 1):
            for lesson in rng.sample(self.lessons, k=min(len(self.lessons), rng.randint(1, 8))):
                furthest = min(int(len(lesson.steps) * rng.random() ** 0.7), len(lesson.steps) - 1)
                done = furthest == len(lesson.steps) - 1 and rng.random() < 0.8
                moved = self.moment()
                progress.append(
                    {
                        "learner_id": i,
                        "lesson_id": lesson.id,
                        "lesson_version": lesson.version,
                        "step_key": lesson.step_key(furthest),
                        "step_index": max(furthest - rng.randint(0, 1), 0),
                        "furthest_index": furthest,
                        "started_at": moved - timedelta(hours=1),
                        "updated_at": moved,
                        "completed_at": moved if done else None,
                    }
                )
        await self.put(ProgressRow, progress)
        attempts = []
        for _ in range(answers):
            lesson_id, question_id, options, step = rng.choice(self.questions)
            if isinstance(step, QuizStep):
                chosen = rng.randrange(options) if rng.random() < 0.6 else step.quiz.correct_index
                given, correct = str(chosen + 1), chosen == step.quiz.correct_index
            else:
                correct = rng.random() < 0.6
                given = f"{step.numeric.answer if correct else rng.randint(0, 99):g}"
            attempts.append(
                {
                    "learner_id": rng.randint(1, learners),
                    "lesson_id": lesson_id,
                    "question_id": question_id,
                    "answer": given,
                    "correct": correct,
                    "at": self.moment(),
                }
            )
        await self.put(QuizAttemptRow, attempts)
        statuses, weights = zip(*STATUSES, strict=True)
        runs = [
            {
                "learner_id": rng.randint(1, learners),
                "status": rng.choices(statuses, weights)[0],
                "duration_ms": rng.uniform(5, 900),
                "at": self.moment(),
            }
            for _ in range(answers // 5)
        ]
        await self.put(RunRow, runs)
        submissions = [
            {
                "learner_id": rng.randint(1, learners),
                "lesson_id": lesson_id,
                "exercise_id": exercise_id,
                "status": "ok",
                "passed": rng.random() < 0.5,
                "at": self.moment(),
            }
            for lesson_id, exercise_id in (rng.choice(self.exercises) for _ in range(answers // 10))
        ]
        await self.put(SubmissionRow, submissions)
        days = {
            (rng.randint(1, learners), (now - timedelta(days=int(DAYS * rng.random() ** 2))).date())
            for _ in range(learners * 15)
        }
        await self.put(ActivityDayRow, [{"learner_id": i, "day": day} for i, day in days])
        await self.note_streaks(days)
        rated = {(rng.randint(1, learners), rng.choice(self.lessons).id) for _ in range(learners // 2)}
        await self.put(
            LessonRatingRow,
            [
                {"learner_id": i, "lesson_id": lid, "stars": rng.randint(1, 5), "rated_at": now}
                for i, lid in rated
            ],
        )
        reviewed = list(rated)[: learners // 5]
        await self.put(
            LessonReviewRow,
            [
                {
                    "learner_id": i,
                    "lesson_id": lid,
                    "text": f"Review {n} <of> {lid}",
                    "written_at": self.moment(),
                    "updated_at": self.moment(),
                    "featured_at": None,
                    "hidden": n % 17 == 0,
                }
                for n, (i, lid) in enumerate(reviewed)
            ],
        )
        if self.store.engine.dialect.name == "postgresql":
            async with self.store.engine.connect() as connection:
                await connection.execute(text("SELECT setval('learners_id_seq', :n)"), {"n": learners})
                await connection.commit()
            async with self.store.engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM ANALYZE"))  # as autovacuum would after a bulk load
        return {
            "learners": learners,
            "progress": len(progress),
            "answers": len(attempts),
            "runs": len(runs),
            "submissions": len(submissions),
            "active days": len(days),
            "ratings": len(rated),
            "reviews": len(reviewed),
        }


async def sign_in(client: TestClient, store: SqlStore, grant: DashboardGrant, now: datetime) -> None:
    """Sign the client in with a one-time link, as an admin from chat would."""
    async with store.session() as session:
        token = make_token(await session.dashboard.signing_key(), now + timedelta(minutes=10))
        await session.dashboard.add_login(
            DashboardLogin(token_hash(token), grant, now, now + timedelta(minutes=10))
        )
    form = await (await client.get(f"/login/{token}")).text()
    answer = await client.post(f"/login/{token}", data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)
    if answer.status != 303:
        raise RuntimeError(f"sign-in failed: {answer.status}")


def pages(library: LessonLibrary, learner_id: int) -> dict[str, str]:
    """Return the pages to time, by name: every page of a scope, with its heaviest arguments."""
    lessons = library.current().lessons
    busiest = max(
        lessons, key=lambda lesson: sum(isinstance(s, QuizStep | NumericStep) for s in lesson.steps)
    )
    coded = max(lessons, key=lambda lesson: sum(isinstance(s, CodeStep) for s in lesson.steps))
    return {
        "overview": "",
        "lessons": "lessons",
        "funnel": f"lessons/{busiest.id}",
        "questions": f"questions?lesson={busiest.id}",
        "reviews": "reviews",
        "learners": "learners",
        "learners search": "learners?q=learner%200123",
        "learners page 100": "learners?page=100",
        "learner": f"learners/{learner_id}",
        "preview": f"preview?lesson={coded.id}",
        "exports": "exports",
    }


async def time_pages(
    client: TestClient, scope: Scope, named: dict[str, str], repeat: int
) -> dict[str, list[float]]:
    """Ask each page once cold, once more to warm up, then ``repeat`` times; return the server's times in ms.

    The cold request comes first in each list: it compiles the page's template and meets cold caches.
    """
    found: dict[str, list[float]] = {}
    for name, path in named.items():
        times = []
        for attempt in range(repeat + 2):
            answer = await client.get(f"/s/{scope.key}/{path}")
            await answer.read()
            if answer.status != 200:
                raise RuntimeError(f"{name}: {answer.status}")
            if attempt != 1:
                match = TIMING.search(answer.headers.get("Server-Timing", ""))
                times.append(float(match[1]) if match else float("nan"))
        found[name] = times
    return found


async def time_exports(client: TestClient, scope: Scope) -> dict[str, float]:
    """Time the CSV exports once each (not pages: files of every learner or question)."""
    found = {}
    for name in ("progress.csv", "questions.csv"):
        answer = await client.get(f"/s/{scope.key}/exports/{name}")
        await answer.read()
        match = TIMING.search(answer.headers.get("Server-Timing", ""))
        found[name] = float(match[1]) if match else float("nan")
    return found


def table(results: dict[str, dict[str, list[float]]]) -> list[str]:
    """Render one row per page: the cold request, then p50, p95 and max of the warm ones, per scope."""
    scopes = list(results)
    head = f"{'page':<18}" + "".join(f"{s + ' cold':>22}{'p50':>8}{'p95':>8}{'max':>8}" for s in scopes)
    lines = [head, "-" * len(head)]
    for name in next(iter(results.values())):
        cells = ""
        for scope in scopes:
            cold, *warm = results[scope][name]
            cells += f"{cold:>22.1f}{percentile(warm, 50):>8.1f}{percentile(warm, 95):>8.1f}{max(warm):>8.1f}"
        lines.append(f"{name:<18}{cells}")
    return lines


async def run(args: argparse.Namespace) -> bool:
    """Seed, serve, time and report; return whether every page met the target."""
    now = datetime.now(UTC)
    library = LessonLibrary([shipped_lessons_dir()], LANGUAGES)
    server_url = os.environ.get(PG_ENV) or PG_DEFAULT
    if args.url:
        database = existing_database(args.url)
    elif args.backend == "postgresql":
        database = postgres_database(server_url, keep=args.keep)
    else:
        database = sqlite_database()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"backend: {args.backend}; lessons: {len(library.current().lessons)}"
    )
    if hasattr(os, "getloadavg"):
        print("load average (1/5/15 min): " + " / ".join(f"{load:.2f}" for load in os.getloadavg()))
    async with database as url, open_store(url, upgrade=False) as store:
        if not args.url:
            started = time.perf_counter()
            counts = await Seeder(store, library, now, args.seed).seed(args.learners, args.answers)
            seeded = ", ".join(f"{n:,} {k}" for k, n in counts.items())
            print(f"seeded in {time.perf_counter() - started:.1f} s: {seeded}")
        if args.backend == "postgresql":
            async with store.engine.connect() as connection:
                version = await connection.scalar(text("SHOW server_version"))
            print(f"PostgreSQL {version}")
        deps = Dashboard(store, library, None, DashboardConfig(logins_per_minute=1000))
        results: dict[str, dict[str, list[float]]] = {}
        exports: dict[str, dict[str, float]] = {}
        for scope, grant in (
            (Scope(), DashboardGrant(Scope(), "bench:all", "Lesson admin", "en", moderate=True)),
            (
                Scope("discord", BIG_SERVER),
                DashboardGrant(Scope("discord", BIG_SERVER), "bench:1", "Admin", "en"),
            ),
        ):
            async with TestClient(TestServer(build_dashboard(deps))) as client:
                await sign_in(client, store, grant, datetime.now(UTC))
                label = "every learner" if scope.everyone else f"server ({args.learners // 2:,})"
                results[label] = await time_pages(
                    client, scope, pages(library, 2 * args.learners // 3 | 1), args.repeat
                )
                exports[label] = await time_exports(client, scope)
    print()
    print(f"server-side render time per page, ms: the first request, then {args.repeat} after a warm-up:")
    print("\n".join(table(results)))
    print()
    for label, timed in exports.items():
        print(f"CSV exports, {label}: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in timed.items()))
    worst = max(percentile(times[1:], 95) for scoped in results.values() for times in scoped.values())
    met = worst < TARGET_MS
    print()
    print(
        f"every page under {TARGET_MS:g} ms (p95) with {args.learners:,} learners and "
        f"{args.answers:,} answers on {args.backend}: {'PASS' if met else 'FAIL'} "
        f"(slowest p95: {worst:.1f} ms)"
    )
    return met


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the seeded PostgreSQL database for --url")
    parser.add_argument("--url", help="time a database seeded by an earlier --keep run (no seeding)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit status 1 if a page missed the target."""
    return 0 if asyncio.run(run(parse_args(argv))) else 1


if __name__ == "__main__":
    sys.exit(main())
