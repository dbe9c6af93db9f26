"""The course card under the core benchmark's learners, with the course's commands mixed in.

The simulated learners of ``core_throughput.py`` (``/start``, ``/lesson``, then ``/next``, ``/back``,
``/answer``, ``/progress``, ``/lessons`` paced like people) also type ``/course``, ``/rate``,
``/review``, ``/practice`` and ``/leaderboard``. Two runs on fresh databases: the card as shipped (kept a
minute per process) and the card recounted on every ``/course``, which is the cost of a cache miss. After
each run the counts are checked (the store's one-query counts against a recount of the raw rows in Python,
and a fresh tutor's ``/course`` against those counts), then the card's two queries are timed alone.

    python benchmarks/course_card.py                      # 100 learners on PostgreSQL, both runs
    python benchmarks/course_card.py --backend sqlite --learners 20 --commands 5 --think-ms 0
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from core_throughput import (  # the sibling benchmark, found through the line above
    PG_DEFAULT,
    PG_ENV,
    UNLIMITED,
    RunStats,
    Simulation,
    _LearnerState,
    machine_lines,
    percentile,
    postgres_database,
    postgres_unreachable,
    postgres_version,
    sqlite_database,
)

from bot.core.context import TutorSettings
from bot.core.course_cache import CourseCardCache
from bot.core.ports import CourseCounts, LessonTally, PlatformUser
from bot.core.replies import Text
from bot.core.tutor import Incoming, Tutor
from bot.curriculum.source import LessonLibrary
from bot.languages import LANGUAGES
from bot.resources import shipped_lessons_dir
from bot.store import SqlStore, open_store
from bot.store.models import LessonRatingRow, ProgressRow

TARGET_MS = 20.0
COURSE_MIX = (("/course", 8), ("/rate", 4), ("/review", 2), ("/practice", 4), ("/leaderboard", 2))
COURSE_SHARE = 0.25  # of the commands a learner types, this share comes from COURSE_MIX
COMMANDS = (
    "/course",
    "/rate",
    "/review",
    "/practice",
    "/leaderboard",
    "/next",
    "/lessons",
    "/progress",
    "card queries",  # the card's two queries alone, after the run, with the learners' rows in place
)


class CourseSimulation(Simulation):
    """The core benchmark's learners, who also look at the course, rate, review, practise and compete."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lesson_of: dict[int, str] = {}

    async def learner(self, number: int, commands: int) -> None:
        """Play one learner: /start, /lesson, then ``commands`` commands, a quarter of them the course's."""
        rng = random.Random(self.seed * 1_000_003 + number)
        user = PlatformUser("telegram", f"{self.tag}-{number}", f"Learner {number}", "en-US")
        state = _LearnerState()
        lesson = rng.choice(self.lesson_ids)
        await self._send(rng, user, state, "/start", "/start")
        await self._send(rng, user, state, "/lesson", f"/lesson {lesson}")
        for _ in range(commands):
            if rng.random() < COURSE_SHARE:
                names, weights = zip(*COURSE_MIX, strict=True)
                name = rng.choices(names, weights)[0]
                await self._send(rng, user, state, name, _line(name, lesson, rng))
            else:
                name, line = self._choose(rng, state)
                if name == "/lesson":
                    lesson = line.split()[1]
                await self._send(rng, user, state, name, line)


def _line(name: str, lesson: str, rng: random.Random) -> str:
    if name == "/rate":
        return f"/rate {lesson} {rng.randint(1, 5)}"
    if name == "/review":
        return f"/review {lesson} " + rng.choice(("Clear.", "Too fast for me.", "Loved the quiz!"))
    return name


async def recount(store: SqlStore, lesson_ids: Sequence[str]) -> CourseCounts:
    """Count the card's numbers from the raw rows, in Python: the reference for the one-query counts."""
    ids = set(lesson_ids)
    async with store.engine.connect() as connection:
        progress = (
            await connection.execute(
                select(ProgressRow.learner_id, ProgressRow.lesson_id, ProgressRow.completed_at)
            )
        ).all()
        ratings = (await connection.execute(select(LessonRatingRow.lesson_id, LessonRatingRow.stars))).all()
    started: dict[str, set[int]] = defaultdict(set)
    completed: dict[str, set[int]] = defaultdict(set)
    done_by: dict[int, set[str]] = defaultdict(set)
    for learner_id, lesson_id, completed_at in progress:
        if lesson_id in ids:
            started[lesson_id].add(learner_id)
            if completed_at is not None:
                completed[lesson_id].add(learner_id)
                done_by[learner_id].add(lesson_id)
    stars: dict[str, list[int]] = defaultdict(list)
    for lesson_id, value in ratings:
        if lesson_id in ids:
            stars[lesson_id].append(value)
    lessons = tuple(
        LessonTally(x, len(started[x]), len(completed[x]), len(stars[x]), sum(stars[x])) for x in sorted(ids)
    )
    learners = set().union(*started.values()) if started else set()
    return CourseCounts(len(learners), sum(1 for done in done_by.values() if done == ids), lessons)


async def check_counts(store: SqlStore, library: LessonLibrary) -> list[str]:
    """Return what is wrong with the card's counts now (nothing, if they are right)."""
    ids = library.current().ids()
    expected = await recount(store, ids)
    async with store.session() as session:
        counted = await session.course.counts(ids)
    problems = [] if counted == expected else [f"one-query counts {counted} != recount {expected}"]
    fresh = Tutor(store, library, _NoSandbox(), settings=TutorSettings(commands_per_minute=UNLIMITED))
    answer = await fresh.handle(Incoming(PlatformUser("console", "checker", "Checker"), "/course"))
    card = "\n".join(r.markdown for r in answer.replies if isinstance(r, Text))
    wanted = f"{expected.started} learners started · {expected.completed} completed every lesson"
    if wanted not in card:
        problems.append(f"/course does not say {wanted!r}: {card!r}")
    if expected.ratings and f"from {expected.ratings} rating" not in card:
        problems.append(f"/course does not count {expected.ratings} ratings: {card!r}")
    return problems


class _NoSandbox:
    async def run(self, request: object) -> object:  # pragma: no cover - /course runs no code
        raise AssertionError("the course card runs no code")


async def card_queries(store: SqlStore, lesson_ids: Sequence[str], times: int = 200) -> list[float]:
    """Time the card's two queries (counts, featured reviews) alone, one after another, a session each."""
    found: list[float] = []
    for _ in range(times):
        started = time.perf_counter()
        async with store.session() as session:
            await session.course.counts(lesson_ids)
            await session.reviews.featured(3)
        found.append(time.perf_counter() - started)
    return found


async def measure(
    url: str, library: LessonLibrary, backend: str, learners: int, commands: int, think_ms: float, ttl: float
) -> tuple[RunStats, list[str]]:
    """Run the learners on a fresh database; return their latencies and any problem with the counts."""
    async with open_store(url, upgrade=False) as store:
        settings = TutorSettings(commands_per_minute=UNLIMITED, runs_per_minute=UNLIMITED)
        tutor = Tutor(store, library, _NoSandbox(), settings=settings)  # type: ignore[arg-type]
        tutor.services = dataclasses.replace(
            tutor.services, course_cards=CourseCardCache(timedelta(seconds=ttl))
        )
        stats = RunStats(backend, learners, commands)
        simulation = CourseSimulation(
            tutor, library.current().ids(), stats, think_ms=think_ms, seed=7, tag="l"
        )
        async with asyncio.TaskGroup() as group:
            for number in range(learners):
                group.create_task(simulation.learner(number, commands))
        problems = await check_counts(store, library)
        stats.latencies["card queries"] = await card_queries(store, library.current().ids())
        return stats, problems


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--commands", type=int, default=20, help="commands per learner after /start, /lesson")
    parser.add_argument("--think-ms", type=float, default=2000.0, help="pause before each command: 0 to this")
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    """Run both measurements, print the report; return 1 if a count was wrong or a command failed."""
    server_url = os.environ.get(PG_ENV) or PG_DEFAULT
    pg_version = None
    if args.backend == "postgresql":
        reason = await postgres_unreachable(server_url)
        if reason is not None:
            print(f"PostgreSQL unreachable ({reason}); set {PG_ENV}")
            return 1
        pg_version = await postgres_version(server_url)
    for line in machine_lines(pg_version):
        print(line)
    library = LessonLibrary([shipped_lessons_dir()], LANGUAGES)
    print(
        f"lessons: {len(library.current().lessons)}; think time: 0-{args.think_ms:g} ms; "
        f"{args.learners} learners"
    )
    failed = False
    for label, ttl in (("card kept a minute", 60.0), ("card recounted every time", 0.0)):
        database = postgres_database(server_url) if args.backend == "postgresql" else sqlite_database()
        async with database as url:
            stats, problems = await measure(
                url, library, args.backend, args.learners, args.commands, args.think_ms, ttl
            )
        print(f"\n{label} ({args.backend}): {stats.total} commands, {len(stats.errors)} errors")
        for name in COMMANDS:
            values = stats.latencies.get(name, [])
            if values:
                print(
                    f"  {name:<13} {len(values):>5}  p50 {percentile(values, 50) * 1000:6.1f} ms"
                    f"  p99 {percentile(values, 99) * 1000:6.1f} ms  max {max(values) * 1000:6.1f} ms"
                )
        course_p99 = percentile(stats.latencies.get("/course", []), 99) * 1000
        verdict = "PASS" if course_p99 < TARGET_MS else "FAIL"
        print(f"  p99 of /course under {TARGET_MS:g} ms: {verdict} (measured {course_p99:.1f} ms)")
        print(f"  counts correct after the run: {'yes' if not problems else 'NO'}")
        for problem in problems + sorted(set(stats.errors))[:5]:
            print(f"    {problem}")
        failed = failed or bool(problems or stats.errors)
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark."""
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
