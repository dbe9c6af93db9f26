"""``tutor serve``: every front end in one process and one loop; SIGTERM stops them with no lost write."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app.serve import default_factory, enabled_platforms, serve
from bot.cli import telegram as telegram_cli
from bot.config import DashboardSettings, DiscordSettings, MetricsSettings, Settings, TelegramSettings
from bot.core.tutor import Tutor
from bot.frontends import Frontend
from bot.store import SqlStore
from bot.store.models import RunRow
from sandbox.result import RunRequest, RunResult
from tests.adapters.telegram.fake_api import TOKEN, FakeBotApi
from tests.fakes import FakeSandbox, ok


class FakeFrontend:
    """Stands in for the Discord front end: serves until stopped, and says what it saw."""

    name = "discord"

    def __init__(self, tutor: Tutor) -> None:
        self.tutor = tutor
        self.started = asyncio.Event()
        self.stopped = False
        self._stop = asyncio.Event()

    async def run(self) -> None:
        self.started.set()
        await self._stop.wait()
        self.stopped = True

    async def stop(self) -> None:
        self._stop.set()


class SlowSandbox(FakeSandbox):
    """A sandbox whose runs wait until released, so a stop can arrive mid-run."""

    def __init__(self) -> None:
        super().__init__()
        self.running = asyncio.Event()
        self.release = asyncio.Event()

    async def run(self, request: RunRequest) -> RunResult:
        self.running.set()
        await self.release.wait()
        return ok(stdout="finished\n")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.close()


def settings_for(
    tmp_path: Path, api: FakeBotApi, token: str = TOKEN, metrics_port: int = 0, dashboard_port: int = 0
) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=SecretStr(f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"),
        telegram=TelegramSettings(token=SecretStr(token), base_url=api.base_url),
        metrics=MetricsSettings(port=metrics_port),
        dashboard=DashboardSettings(port=dashboard_port),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def count_runs(settings: Settings) -> int:
    engine = create_async_engine(settings.database_url.get_secret_value())
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(select(func.count()).select_from(RunRow))).scalar_one())
    finally:
        await engine.dispose()


async def test_sigterm_stops_both_front_ends_after_the_run_in_flight(tmp_path: Path, api: FakeBotApi) -> None:
    settings = settings_for(tmp_path, api)
    sandbox = SlowSandbox()
    discord: list[FakeFrontend] = []

    def fake_discord(tutor: Tutor, _: Settings) -> Frontend:
        discord.append(FakeFrontend(tutor))
        return discord[0]

    serving = asyncio.create_task(
        serve(settings, ["discord", "telegram"], factories={"discord": fake_discord}, sandbox=sandbox)
    )
    await api.wait_for("getUpdates")
    await api.push_text("/run print('finished')")
    await asyncio.wait_for(sandbox.running.wait(), 10)

    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.sleep(0.2)
    sandbox.release.set()
    code = await asyncio.wait_for(serving, 15)

    assert code == 0
    assert discord[0].stopped
    assert any("finished" in text for text in api.texts())
    assert await count_runs(settings) == 1


async def test_front_ends_share_one_tutor(tmp_path: Path, api: FakeBotApi) -> None:
    seen: list[Tutor] = []

    def fake(tutor: Tutor, _: Settings) -> Frontend:
        seen.append(tutor)
        frontend = FakeFrontend(tutor)
        asyncio.get_running_loop().call_later(0.1, os.kill, os.getpid(), signal.SIGINT)
        return frontend

    code = await serve(
        settings_for(tmp_path, api), ["discord"], factories={"discord": fake}, sandbox=FakeSandbox()
    )

    assert code == 0
    assert len(seen) == 1


async def test_rejected_token_is_one_line_and_a_failure(
    tmp_path: Path, api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    code = await serve(settings_for(tmp_path, api, token="1:wrong"), ["telegram"], sandbox=FakeSandbox())

    assert code == 1
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("tutor:")]
    assert said == ["tutor: Telegram rejected the token (TUTOR_TELEGRAM__TOKEN)"]


def test_telegram_without_a_token_is_one_line_and_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert telegram_cli.run(argparse.Namespace(), settings) == 2
    assert capsys.readouterr().err.startswith("tutor: TUTOR_TELEGRAM__TOKEN is not set")


def test_only_front_ends_with_a_token_are_served(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, telegram=TelegramSettings(token=SecretStr("x")))  # type: ignore[call-arg]

    assert enabled_platforms(settings) == ["telegram"]


def test_discord_is_served_by_the_discord_adapters_bot(tutor_for_factory: Tutor) -> None:
    settings = Settings(_env_file=None, discord={"token": "x"})  # type: ignore[call-arg]

    frontend = default_factory("discord")(tutor_for_factory, settings)

    assert frontend.name == "discord"


@pytest.fixture
def tutor_for_factory(store: SqlStore) -> Tutor:
    from tests.fakes import FakeCatalogSource

    return Tutor(store, FakeCatalogSource(), FakeSandbox())


async def test_serve_answers_healthz_readyz_and_metrics_on_the_metrics_port(
    tmp_path: Path, api: FakeBotApi
) -> None:
    port = free_port()
    frontends: list[FakeFrontend] = []

    def fake(tutor: Tutor, _: Settings) -> Frontend:
        frontends.append(FakeFrontend(tutor))
        return frontends[0]

    settings = settings_for(tmp_path, api, metrics_port=port)
    serving = asyncio.create_task(
        serve(settings, ["discord"], factories={"discord": fake}, sandbox=FakeSandbox())
    )
    while not frontends or not frontends[0].started.is_set():
        await asyncio.sleep(0.05)
    try:
        async with aiohttp.ClientSession(base_url=f"http://127.0.0.1:{port}") as http:
            statuses = {path: (await http.get(path)).status for path in ("/healthz", "/readyz", "/metrics")}
    finally:
        os.kill(os.getpid(), signal.SIGINT)
        code = await asyncio.wait_for(serving, 15)

    assert statuses == {"/healthz": 200, "/readyz": 200, "/metrics": 200}
    assert code == 0


async def test_taken_metrics_port_is_one_line_and_a_failure(
    tmp_path: Path, api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = settings_for(tmp_path, api, metrics_port=port)
        code = await serve(
            settings,
            ["discord"],
            factories={"discord": lambda tutor, _: FakeFrontend(tutor)},
            sandbox=FakeSandbox(),
        )

    assert code == 1
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("tutor:")]
    assert said == [f"tutor: cannot serve metrics on 127.0.0.1:{port}: Address already in use"]


async def test_serve_serves_the_dashboard_where_a_telegram_admins_link_signs_in(
    tmp_path: Path, api: FakeBotApi
) -> None:
    port = free_port()
    settings = settings_for(tmp_path, api, dashboard_port=port).model_copy(update={"admins": ["telegram:7"]})
    serving = asyncio.create_task(serve(settings, ["telegram"], sandbox=FakeSandbox()))
    try:
        await api.wait_for("getUpdates")
        await api.push_text("/admin_dashboard")
        [sent] = await api.wait_for("sendMessage", text="/login/")
        found = re.search(r"http://127\.0\.0\.1:\d+/login/[0-9a-f.]+", str(sent.params["text"]))
        assert found is not None
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            form = await (await http.get(found[0])).text()
            csrf = re.findall(r'name="csrf" value="([0-9a-f]+)"', form)[0]
            signed_in = await http.post(found[0], data={"csrf": csrf})
            assert signed_in.status == 200 and signed_in.url.path == "/s/all/"
            again = await http.post(found[0], data={"csrf": csrf})
            assert again.status == 410
    finally:
        os.kill(os.getpid(), signal.SIGINT)
        code = await asyncio.wait_for(serving, 15)
    assert code == 0


async def test_taken_dashboard_port_is_one_line_and_a_failure(
    tmp_path: Path, api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = await serve(
            settings_for(tmp_path, api, dashboard_port=port),
            ["discord"],
            factories={"discord": lambda tutor, _: FakeFrontend(tutor)},
            sandbox=FakeSandbox(),
        )

    assert code == 1
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("tutor:")]
    assert said == [f"tutor: cannot serve the dashboard on 127.0.0.1:{port}: Address already in use"]


async def test_discord_unreachable_is_one_line_and_a_failure(
    tmp_path: Path, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import discord

    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{free_port()}/api/v10")
    settings = settings_for(tmp_path, api).model_copy(
        update={"discord": DiscordSettings(token=SecretStr("abc.def.ghi"))}
    )

    code = await serve(settings, ["discord"], sandbox=FakeSandbox())

    assert code == 1
    err = capsys.readouterr().err
    [said] = [line for line in err.splitlines() if line.startswith("tutor:")]
    assert said.startswith("tutor: cannot reach Discord: ") and "127.0.0.1" in said
    assert "Exception Group" not in err and "client_exceptions" not in err
