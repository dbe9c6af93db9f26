"""``tutor dashboard``: the dashboard served alone, and the operator's read-only link."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app.dashboard import run_dashboard
from bot.config import DashboardSettings, Settings
from tests.fakes import FakeSandbox


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def settings_for(tmp_path: Path, port: int) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"),
        dashboard=DashboardSettings(port=port),
    )


async def test_the_operators_link_signs_in_to_every_learner_read_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    serving = asyncio.create_task(
        run_dashboard(settings_for(tmp_path, port), login=True, sandbox=FakeSandbox())
    )
    try:
        link = None
        for _ in range(200):
            found = re.search(rf"http://127\.0\.0\.1:{port}/login/[0-9a-f.]+", capsys.readouterr().out)
            if found:
                link = found[0]
                break
            await asyncio.sleep(0.05)
        assert link is not None
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            form = await (await http.get(link)).text()
            csrf = re.findall(r'name="csrf" value="([0-9a-f]+)"', form)[0]
            overview = await http.post(link, data={"csrf": csrf})
            assert overview.status == 200 and overview.url.path == "/s/all/"
            reviews = await (await http.get(f"http://127.0.0.1:{port}/s/all/reviews")).text()
            assert "Only lesson admins feature and hide reviews" in reviews
    finally:
        os.kill(os.getpid(), signal.SIGINT)
        code = await asyncio.wait_for(serving, 15)
    assert code == 0


async def test_the_dashboard_alone_refuses_to_start_when_it_is_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await run_dashboard(settings_for(tmp_path, 0), sandbox=FakeSandbox())

    assert code == 2 and "TUTOR_DASHBOARD__PORT" in capsys.readouterr().err
