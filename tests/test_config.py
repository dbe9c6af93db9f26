import os
from pathlib import Path

import pytest

from bot.cli.settings import load_settings
from bot.config import DEFAULT_DATABASE_URL, Settings
from bot.resources import lesson_dirs, shipped_lessons_dir


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name in list(os.environ):
        if name.startswith("TUTOR_"):
            monkeypatch.delenv(name)


def test_defaults_use_sqlite_in_the_working_directory_and_the_shipped_lessons() -> None:
    settings = Settings()
    assert settings.database_url.get_secret_value() == DEFAULT_DATABASE_URL
    assert settings.lessons_dirs == []
    assert lesson_dirs(settings.lessons_dirs) == [shipped_lessons_dir()]
    assert settings.sandbox.url == []


def test_nested_settings_come_from_double_underscore_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_SANDBOX__TIME_LIMIT", "2.5")
    monkeypatch.setenv("TUTOR_DISCORD__TOKEN", "secret-token")
    settings = Settings()
    assert settings.sandbox.time_limit == 2.5
    assert settings.discord.token is not None
    assert "secret-token" not in repr(settings)


def test_sandbox_urls_split_on_commas_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_SANDBOX__URL", "http://a:8060, http://b:8060")
    assert Settings().sandbox.url == ["http://a:8060", "http://b:8060"]


def test_lesson_folders_split_on_commas_and_colons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_LESSONS_DIRS", "/srv/a:/srv/b,/srv/c")
    assert Settings().lessons_dirs == [Path("/srv/a"), Path("/srv/b"), Path("/srv/c")]


def test_database_url_is_masked_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_DATABASE_URL", "postgresql+asyncpg://u:hunter2@db/tutor")
    assert "hunter2" not in repr(Settings())


def test_out_of_range_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_SANDBOX__TIME_LIMIT", "-1")
    with pytest.raises(ValueError, match="time_limit"):
        Settings()


def test_a_language_the_tutor_does_not_speak_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TUTOR_LANGUAGES", "zh,fr")

    assert load_settings() is None
    assert "TUTOR_LANGUAGES: 'fr' is not a language the tutor speaks (zh, en)" in capsys.readouterr().err


def test_the_default_locale_must_be_a_language_the_tutor_speaks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TUTOR_DEFAULT_LOCALE", "de")

    assert load_settings() is None
    assert "TUTOR_DEFAULT_LOCALE" in capsys.readouterr().err


def test_extra_lesson_folders_are_served_besides_the_shipped_lessons(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_EXTRA_LESSONS_DIRS", "/srv/mine:/srv/ours")
    settings = Settings()
    assert lesson_dirs(settings.lessons_dirs, settings.extra_lessons_dirs) == [
        shipped_lessons_dir(),
        Path("/srv/mine"),
        Path("/srv/ours"),
    ]


def test_extra_lesson_folders_follow_the_configured_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_LESSONS_DIRS", "/srv/a")
    monkeypatch.setenv("TUTOR_EXTRA_LESSONS_DIRS", "/srv/b")
    settings = Settings()
    assert lesson_dirs(settings.lessons_dirs, settings.extra_lessons_dirs) == [Path("/srv/a"), Path("/srv/b")]
