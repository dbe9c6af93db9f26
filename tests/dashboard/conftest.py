"""The dashboard over the real store and lesson library, with a scripted sandbox and a clock tests move.

``Site`` wraps one running dashboard: it seeds learners, makes login links as ``/admin dashboard`` does,
and signs an HTTP client in. The browser tests (``test_browser.py``) drive the same site in Chromium.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from bot.core.logins import make_token, token_hash
from bot.core.ports import PlatformUser, Progress, QuizAttempt, RunRecord
from bot.core.ports.dashboard import DashboardGrant, DashboardLogin, Scope
from bot.curriculum.source import LessonLibrary
from bot.dashboard.app import build_dashboard
from bot.dashboard.deps import Dashboard, DashboardConfig
from bot.store import SqlStore
from sandbox.result import CheckResult, RunRequest, RunResult
from tests.e2e.test_console import LESSON
from tests.fakes import FakeClock, FakeSandbox, ok

NOW = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)
G1 = Scope("discord", "111")
G2 = Scope("discord", "222")
EVERYONE = Scope()
SERVER_ADMIN = DashboardGrant(G1, "discord:9", "Grace", "en")
LESSON_ADMIN = DashboardGrant(EVERYONE, "telegram:5", "Linus", "en", moderate=True)
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def scripted(request: RunRequest) -> RunResult:
    """Run like the real sandbox would for the test lesson: a starter left as ``...`` fails its check."""
    if request.check is None:
        return ok(value="tensor(3., grad_fn=<MeanBackward0>)")
    passed = "..." not in request.code
    return ok(check=CheckResult(passed=passed, message=None if passed else "z should hold three zeros"))


@dataclass
class Site:
    """A running dashboard and what tests do to it."""

    store: SqlStore
    clock: FakeClock
    sandbox: FakeSandbox
    client: TestClient
    learners: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return str(self.client.make_url("")).rstrip("/")

    async def link(self, grant: DashboardGrant, minutes: float = 10) -> str:
        """Store a login link as ``/admin dashboard`` does and return its path."""
        now = self.clock.now
        async with self.store.session() as session:
            key = await session.dashboard.signing_key()
            token = make_token(key, now + timedelta(minutes=minutes))
            await session.dashboard.add_login(
                DashboardLogin(token_hash(token), grant, now, now + timedelta(minutes=minutes))
            )
        return f"/login/{token}"

    async def sign_in(self, grant: DashboardGrant, http: ClientSession | TestClient | None = None) -> str:
        """Sign a client in with a fresh link; return the CSRF token of its session's forms."""
        client = http or self.client
        path = await self.link(grant)
        form = await (await client.get(path)).text()
        answer = await client.post(path, data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)
        assert answer.status == 303, await answer.text()
        page = await (await client.get("/s/" + grant.scope.key + "/")).text()
        return CSRF.findall(page)[0]

    async def seed(self) -> None:
        """Ada and Bea learn in server 111, Cy in server 222; some progress, answers and runs."""
        async with self.store.session() as s:
            for name, server in (("Ada", G1), ("Bea", G1), ("Cy", G2)):
                learner = await s.learners.get_or_create(PlatformUser("discord", name.lower(), name))
                self.learners[name] = learner.id
                await s.servers.note_member("discord", str(server.server_id), learner.id, NOW)
            ada, bea, cy = (self.learners[n] for n in ("Ada", "Bea", "Cy"))
            start = NOW - timedelta(hours=2)
            await s.progress.save(ada, Progress("e2e-basics", 1, "pick-shape", 2, start, NOW))
            await s.progress.save(bea, Progress("e2e-basics", 1, "make-zeros", 3, start, NOW, NOW))
            await s.progress.save(cy, Progress("e2e-basics", 1, "make-graph", 1, start, NOW))
            for learner, answer in ((ada, "1"), (ada, "2"), (bea, "1"), (cy, "1"), (cy, "1"), (cy, "1")):
                await s.progress.add_attempt(
                    learner, QuizAttempt("e2e-basics", "pick-shape", answer, answer == "2", NOW)
                )
            await s.runs.add(ada, RunRecord("ok", 4.0, NOW - timedelta(minutes=10)))
            await s.runs.add(ada, RunRecord("timeout", 5000.0, NOW - timedelta(hours=1)))
            await s.runs.add(cy, RunRecord("error", 4.0, NOW - timedelta(minutes=5)))
            await s.reviews.rate(bea, "e2e-basics", 4, NOW)
            await s.reviews.write(bea, "e2e-basics", "Short and <b>clear</b>", NOW)
            await s.reviews.write(cy, "e2e-basics", "Cy's secret opinion", NOW)
            for days in range(3):
                await s.activity.note_day(ada, (NOW - timedelta(days=days)).date())


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "e2e-basics.yaml").write_text(LESSON, encoding="utf-8")
    return folder


@pytest.fixture
async def site(store: SqlStore, lessons_dir: Path) -> AsyncIterator[Site]:
    clock = FakeClock(NOW)
    sandbox = FakeSandbox(scripted)
    deps = Dashboard(
        store=store,
        catalog=LessonLibrary([lessons_dir]),
        sandbox=sandbox,
        config=DashboardConfig(logins_per_minute=1000),
        clock=clock,
    )
    async with TestClient(TestServer(build_dashboard(deps))) as client:
        yield Site(store, clock, sandbox, client)
