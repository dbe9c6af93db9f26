"""``tutor discord``: a missing or rejected token is one clear line and a non-zero exit."""

from __future__ import annotations

import discord
import pytest

from bot.cli import discord as discord_cli
from bot.cli import main


def test_missing_token_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TUTOR_DISCORD__TOKEN", raising=False)
    monkeypatch.chdir("/")  # no .env
    assert main(["discord"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "TUTOR_DISCORD__TOKEN is not set" in err


def test_rejected_token_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def rejected(token: str, guild: int | None) -> int:
        raise discord.LoginFailure("Improper token has been passed.")

    monkeypatch.setenv("TUTOR_DISCORD__TOKEN", "not-a-token")
    monkeypatch.setattr(discord_cli, "sync", rejected)
    assert main(["discord", "sync", "--guild", "1"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "tutor: Discord rejected the token in TUTOR_DISCORD__TOKEN"


def test_sync_without_network_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("TUTOR_DISCORD__TOKEN", "abc.def.ghi")
    monkeypatch.setenv("TUTOR_LOG_LEVEL", "WARNING")
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")

    assert main(["discord", "sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tutor: cannot reach Discord: ")


def test_a_text_bot_says_nothing_about_voice(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.adapters.discord.client import TutorBot
    from bot.core.commands import build_registry

    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)  # as in a fresh process without PyNaCl
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)

    with caplog.at_level("WARNING"):
        TutorBot(build_registry(), None)

    assert "voice" not in caplog.text
