"""A fake Bot API server and a Telegram front end on a tutor wired to fakes, running for one test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from pydantic import SecretStr

from bot.adapters.telegram.app import TelegramFrontend
from bot.config import TelegramSettings
from bot.core.context import TutorSettings
from bot.core.tutor import Tutor
from bot.store import SqlStore
from sandbox.result import Graph
from tests.adapters.telegram.fake_api import TOKEN, FakeBotApi
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeSandbox

PNG = b"\x89PNG\r\n\x1a\nfake-graph"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def render_graph() -> Callable[[Graph], bytes | None]:
    return lambda graph: PNG


@pytest.fixture
def tutor(store: SqlStore, sandbox: FakeSandbox, render_graph: Callable[[Graph], bytes | None]) -> Tutor:
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    settings = TutorSettings(commands_per_minute=1000, runs_per_minute=1000)
    return Tutor(store, catalog, sandbox, settings=settings, render_graph=render_graph)


def telegram_settings(api: FakeBotApi, token: str = TOKEN) -> TelegramSettings:
    return TelegramSettings(token=SecretStr(token), base_url=api.base_url)


@pytest.fixture
async def bot(api: FakeBotApi, tutor: Tutor) -> AsyncIterator[TelegramFrontend]:
    """Run the front end against the fake API for the test, then stop it gracefully."""
    frontend = TelegramFrontend(tutor, telegram_settings(api), poll_timeout=1)
    task = asyncio.create_task(frontend.run())
    await api.wait_for("getUpdates")
    yield frontend
    await frontend.stop()
    await asyncio.wait_for(task, 10)
