""".env.example documents every variable docker-compose.yml and the bot read, with safe values."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from bot.config import Settings
from tests.deploy import files


def _settings_variables(model: type[BaseModel], prefix: str) -> set[str]:
    names: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _settings_variables(annotation, f"{prefix}{name.upper()}__")
        else:
            names.add(f"{prefix}{name.upper()}")
    return names


def test_every_variable_compose_interpolates_is_documented() -> None:
    missing = files.compose_variables() - files.env_example_documented()
    assert not missing, f"document these in .env.example: {sorted(missing)}"


def test_every_bot_setting_is_documented() -> None:
    prefix = Settings.model_config["env_prefix"]
    missing = _settings_variables(Settings, prefix) - files.env_example_documented()
    assert not missing, f"document these in .env.example: {sorted(missing)}"


def test_tokens_are_empty() -> None:
    values = files.env_example_values()
    assert values["TUTOR_DISCORD__TOKEN"] == ""
    assert values["TUTOR_TELEGRAM__TOKEN"] == ""


def test_postgres_password_is_a_placeholder_to_change() -> None:
    assert "change-me" in files.env_example_values()["POSTGRES_PASSWORD"]


def test_sandbox_token_is_a_placeholder_the_service_refuses() -> None:
    assert "change-me" in files.env_example_values()["TUTOR_SANDBOX__TOKEN"]


def test_values_it_sets_are_valid_bot_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in files.env_example_values().items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(files.ROOT / "tests")  # no stray .env file in the way
    settings = Settings()
    assert settings.log_format == "json"
    assert settings.discord.shard_count is None


def test_env_file_itself_is_ignored_by_git_and_docker() -> None:
    assert ".env" in (files.ROOT / ".gitignore").read_text(encoding="utf-8").split()
    ignored = files.DOCKERIGNORE.read_text(encoding="utf-8").split()
    assert ".env" in ignored
