import json
import logging

import pytest

from bot.logging_setup import configure_logging


def test_json_format_writes_one_object_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    logging.getLogger("tutor.test").warning("hello %s", "world")
    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert record["message"] == "hello world"
    assert record["level"] == "WARNING"
    assert record["logger"] == "tutor.test"


def test_json_format_keeps_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("tutor.test").exception("failed")
    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert "ValueError: boom" in record["exception"]


def test_alembic_progress_is_quiet_at_info(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text")
    logging.getLogger("alembic.runtime.migration").info("Running upgrade")
    assert "Running upgrade" not in capsys.readouterr().err
