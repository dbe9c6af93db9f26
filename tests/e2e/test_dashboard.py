"""From the console to the dashboard: ``/admin dashboard`` in ``tutor console`` prints a link that signs in
to the dashboard served by another process (``tutor dashboard``), once."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
from pydantic import SecretStr

from bot.app.dashboard import run_dashboard
from bot.config import DashboardSettings, Settings
from tests.app.test_dashboard import free_port
from tests.e2e.test_console import LESSON, REPO
from tests.fakes import FakeSandbox


def console_link(tmp_path: Path, port: int) -> str:
    lessons = tmp_path / "lessons"
    lessons.mkdir(exist_ok=True)
    (lessons / "e2e-basics.yaml").write_text(LESSON, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "USER": "e2e-admin",
        "LANG": "en_US.UTF-8",
        "PYTHONPATH": str(REPO),
        "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        "TUTOR_LESSONS_DIRS": str(lessons),
        "TUTOR_LOG_LEVEL": "WARNING",
        "TUTOR_DASHBOARD__PORT": str(port),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input="/admin dashboard\n/quit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "dashboard of every learner" in done.stdout
    found = re.search(rf"http://127\.0\.0\.1:{port}/login/[0-9a-f.]+", done.stdout)
    assert found is not None, done.stdout
    return found[0]


async def test_the_consoles_link_signs_in_to_the_dashboard_once(tmp_path: Path) -> None:
    port = free_port()
    link = await asyncio.to_thread(console_link, tmp_path, port)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"),
        lessons_dirs=[tmp_path / "lessons"],
        dashboard=DashboardSettings(port=port),
    )
    serving = asyncio.create_task(run_dashboard(settings, sandbox=FakeSandbox()))
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            for _ in range(100):
                try:
                    form = await (await http.get(link)).text()
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            csrf = re.findall(r'name="csrf" value="([0-9a-f]+)"', form)[0]
            first = await http.post(link, data={"csrf": csrf})
            assert first.status == 200 and first.url.path == "/s/all/"
            assert "e2e-admin" in await (await http.get(f"http://127.0.0.1:{port}/s/all/learners")).text()
            second = await http.post(link, data={"csrf": csrf})
            assert second.status == 410
    finally:
        os.kill(os.getpid(), signal.SIGINT)
        code = await asyncio.wait_for(serving, 15)
    assert code == 0
