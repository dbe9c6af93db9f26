"""The ``tutor db`` commands, run through argparse the way ``tutor`` runs them."""

from __future__ import annotations

import argparse
import asyncio

import pytest
from pydantic import SecretStr

from bot.cli.db import add_parser
from bot.config import Settings
from bot.store import migrate

SECRET = "s3cr3t-Pa55"


def tutor(argv: list[str], url: str) -> int:
    parser = argparse.ArgumentParser(prog="tutor")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.handler(args, Settings(database_url=SecretStr(url)))
    return result


def test_db_upgrade_migrates_to_head(empty_database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tutor(["db", "upgrade"], empty_database_url) == 0

    out = capsys.readouterr().out
    (head,) = migrate.head_revisions()
    assert out.endswith(f"is at revision {head} (head)\n")
    assert out.count("\n") == 1
    assert asyncio.run(migrate.current(empty_database_url)) == (head,)


def test_db_upgrade_accepts_revision(empty_database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tutor(["db", "upgrade", "--revision", "0001"], empty_database_url) == 0
    assert "0001" in capsys.readouterr().out


def test_db_current_reports_no_schema_before_upgrade(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tutor(["db", "current"], empty_database_url) == 0
    assert capsys.readouterr().out.endswith("is at revision base (no schema)\n")


def test_db_downgrade_to_base_removes_schema(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tutor(["db", "upgrade"], empty_database_url)

    assert tutor(["db", "downgrade", "base"], empty_database_url) == 0
    assert capsys.readouterr().out.endswith("is at revision base (no schema)\n")


def test_db_downgrade_requires_revision(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        tutor(["db", "downgrade"], "sqlite+aiosqlite://")

    assert exited.value.code == 2


def test_db_downgrade_to_unknown_revision_fails_in_one_line(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    tutor(["db", "upgrade"], empty_database_url)

    assert tutor(["db", "downgrade", "nonsense"], empty_database_url) == 1
    assert capsys.readouterr().err.startswith("error: migration failed: ")


def test_db_check_passes_at_head(empty_database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    tutor(["db", "upgrade"], empty_database_url)
    capsys.readouterr()

    assert tutor(["db", "check"], empty_database_url) == 0
    out = capsys.readouterr().out
    assert out.endswith("matches the models: no drift\n")
    assert out.count("\n") == 1


def test_db_check_exits_1_on_drift(empty_database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert tutor(["db", "check"], empty_database_url) == 1
    assert capsys.readouterr().out == "drift: Target database is not up to date.\n"


@pytest.mark.parametrize("command", [["upgrade"], ["downgrade", "base"], ["check"], ["current"]])
def test_db_unreachable_prints_one_masked_line(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql+asyncpg://tutor:{SECRET}@127.0.0.1:1/tutor"

    assert tutor(["db", *command], url) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: cannot reach the database at postgresql+asyncpg://tutor:***@127.0.0.1:1/tutor: "
        "connection refused\n"
    )
