"""One error handler: bugs are logged and apologised for, rate limits logged; the bot keeps serving."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.discord.conftest import World, text_of
from tests.fakes import FakeSandbox


async def test_a_command_that_raises_is_answered_politely_and_the_next_works(
    world: World, sandbox: FakeSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox.will_return(RuntimeError("boom"))
    with caplog.at_level(logging.ERROR, logger="bot.adapters.discord.frontend"):
        failed = await world.user.slash("run", code="1")
    assert "Sorry, something went wrong on my side" in text_of(failed)
    record = next(r for r in caplog.records if r.name == "bot.adapters.discord.frontend")
    assert record.exc_info is not None and "boom" in str(record.exc_info[1])
    assert "Lessons" in text_of(await world.user.slash("lessons"))


async def test_a_button_whose_handler_raises_is_answered_politely(world: World, sandbox: FakeSandbox) -> None:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    step = await world.user.click(result.followups[-1] if result.followups else result.response, label="Next")
    sandbox.will_return(RuntimeError("boom"))
    failed = await world.user.click(
        step.followups[-1] if step.followups else step.response, label="Run this code"
    )
    assert "Sorry, something went wrong" in text_of(failed)


async def test_discord_rate_limit_is_logged_not_crashed_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.env.inject_error("POST", "/webhooks/*", status=429, message="You are being rate limited.")
    with caplog.at_level(logging.WARNING, logger="bot.adapters.discord.frontend"):
        await world.user.slash("lessons")
    assert any("rate limit" in r.getMessage() for r in caplog.records)
    assert "Lessons" in text_of(await world.user.slash("lessons"))
