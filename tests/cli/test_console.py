import argparse

import pytest

from bot.cli import console as cli
from bot.config import Settings


def test_add_parser_registers_console_with_a_handler() -> None:
    parser = argparse.ArgumentParser(prog="tutor")
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["console", "--lang", "zh"])
    assert args.lang == "zh"
    assert args.handler is cli.run


def test_lang_flag_accepts_only_zh_and_en() -> None:
    parser = argparse.ArgumentParser(prog="tutor")
    cli.add_parser(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["console", "--lang", "fr"])


def test_console_user_is_the_os_user_with_lang_as_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.getpass, "getuser", lambda: "ada")
    user = cli.console_user({"LANG": "zh_CN.UTF-8"})
    assert (user.platform, user.user_id, user.locale_hint) == ("console", "ada", "zh_CN.UTF-8")
    assert cli.console_user({}).locale_hint is None


def test_console_lifts_rate_limits_nobody_set() -> None:
    settings = cli.personal_limits(Settings())
    assert settings.rate_limits.runs_per_minute == cli.PERSONAL_LIMIT
    assert settings.rate_limits.commands_per_minute == cli.PERSONAL_LIMIT


def test_console_keeps_rate_limits_the_operator_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_RATE_LIMITS__RUNS_PER_MINUTE", "3")
    assert cli.personal_limits(Settings()).rate_limits.runs_per_minute == 3
