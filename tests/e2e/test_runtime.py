"""The composition root wires the real store and lesson library (with a fake sandbox)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.app.runtime import mask_password, open_tutor, tutor_settings
from bot.config import RateLimitSettings, Settings
from bot.core.ports import PlatformUser
from bot.core.replies import RunOutput
from bot.core.tutor import Incoming
from bot.errors import StartupError
from tests.e2e.test_console import LESSON
from tests.fakes import FakeSandbox

ADA = PlatformUser("console", "ada", "Ada")


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql+asyncpg://u:secret@127.0.0.1:1/x", "postgresql+asyncpg://u:***@127.0.0.1:1/x"),
        ("postgresql://tutor:p%40ss@db/tutor", "postgresql://tutor:***@db/tutor"),
        ("postgresql://tutor@db/tutor", "postgresql://tutor@db/tutor"),
        ("sqlite+aiosqlite:///tutor.db", "sqlite+aiosqlite:///tutor.db"),
    ],
)
def test_mask_password(url: str, masked: str) -> None:
    assert mask_password(url) == masked


def settings_for(tmp_path: Path, url: str | None = None) -> Settings:
    lessons = tmp_path / "lessons"
    lessons.mkdir(exist_ok=True)
    (lessons / "e2e-basics.yaml").write_text(LESSON, encoding="utf-8")
    return Settings(
        database_url=SecretStr(url or f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"),
        lessons_dirs=[lessons],
        admins=["discord:42"],
        rate_limits=RateLimitSettings(commands_per_minute=12, runs_per_minute=3),
        default_locale="zh",
    )


def test_tutor_settings_come_from_the_process_settings(tmp_path: Path) -> None:
    knobs = tutor_settings(settings_for(tmp_path))
    assert knobs.admins == frozenset({"discord:42"})
    assert (knobs.commands_per_minute, knobs.runs_per_minute) == (12, 3)
    assert knobs.default_locale == "zh"
    assert knobs.languages == ("zh", "en")
    assert knobs.run_claim_seconds > settings_for(tmp_path).sandbox.time_limit


def test_notebook_limits_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_NOTEBOOK__MAX_CELLS", "5")
    monkeypatch.setenv("TUTOR_NOTEBOOK__REPLAY_BUDGET", "1.5")
    monkeypatch.setenv("TUTOR_NOTEBOOK__IDLE_MINUTES", "30")
    settings = Settings(_env_file=None, database_url=SecretStr(f"sqlite+aiosqlite:///{tmp_path / 't.db'}"))

    limits = tutor_settings(settings).notebook

    assert (limits.max_cells, limits.replay_budget_s, limits.idle) == (5, 1.5, timedelta(minutes=30))


def test_a_notebook_may_not_keep_more_cells_than_the_sandbox_replays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_NOTEBOOK__MAX_CELLS", "21")
    with pytest.raises(ValidationError, match="max_cells"):
        Settings(_env_file=None)


def test_tutor_settings_refuse_a_language_the_tutor_does_not_speak(tmp_path: Path) -> None:
    settings = settings_for(tmp_path).model_copy(update={"languages": ["zh", "fr"]})

    with pytest.raises(StartupError, match="'fr' is not a language the tutor speaks"):
        tutor_settings(settings)


async def test_open_tutor_serves_lessons_from_the_store_and_library(tmp_path: Path) -> None:
    sandbox = FakeSandbox()
    async with open_tutor(settings_for(tmp_path), sandbox=sandbox) as tutor:
        answer = await tutor.handle(Incoming(ADA, "/lesson e2e-basics", locale="en"))
        assert any("Hello, tensors." in getattr(r, "markdown", "") for r in answer.replies)
        await tutor.handle(Incoming(ADA, "/next"))
        assert any(isinstance(r, RunOutput) for r in (await tutor.handle(Incoming(ADA, "/run"))).replies)
    assert sandbox.requests[0].code.startswith("import torch")
    assert not sandbox.closed  # a sandbox passed in belongs to the caller


async def test_open_tutor_reports_an_unreachable_database_in_one_masked_line(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "postgresql+asyncpg://u:secret@127.0.0.1:1/x")
    with pytest.raises(StartupError) as raised:
        async with open_tutor(settings, sandbox=FakeSandbox()):
            pass
    message = str(raised.value)
    assert "\n" not in message
    assert "u:***@127.0.0.1:1/x" in message and "secret" not in message


async def test_an_extra_lesson_folder_adds_to_the_shipped_lessons(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    settings = settings.model_copy(update={"lessons_dirs": [], "extra_lessons_dirs": settings.lessons_dirs})
    async with open_tutor(settings, sandbox=FakeSandbox()) as tutor:
        ids = tutor.services.catalog.current().ids()
    assert "e2e-basics" in ids and "tensor-basics" in ids
