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
