"""Lessons through buttons: in DMs, in a server (privately or moved to DMs), and across a restart."""

from __future__ import annotations

from typing import Any

from bot.adapters.discord.views import PREFIX
from bot.core.tutor import Tutor
from tests.adapters.discord.conftest import World, make_bot, messages_of, text_of
from tests.fakes import FakeSandbox, ok


def with_buttons(result: Any) -> Any:
    """Return the last message of an interaction that carries buttons."""
    return [m for m in messages_of(result) if m.components][-1]


def labels(message: Any) -> list[str]:
    return [c["label"] for row in message.components for c in row.get("components", [])]


async def test_a_whole_lesson_in_a_dm_through_buttons(world: World, sandbox: FakeSandbox) -> None:
    user = world.user
    result = await user.slash("lesson", lesson="tensor-basics")
    assert not result.ephemeral
    assert "step 1/6" in text_of(result)
    result = await user.click(with_buttons(result), label="Next")
    assert labels(with_buttons(result)) == ["Run this code", "Back", "Next"]
    ran = await user.click(with_buttons(result), label="Run this code")
    assert "Ran in 3 ms." in text_of(ran)
    assert sandbox.requests[-1].code == "x = torch.ones(2, 2)\nx"
    result = await user.click(with_buttons(result), label="Next")
    answered = await user.click(with_buttons(result), label="2. (2, 2)")
    assert "Correct!" in text_of(answered)
    for _ in range(3):  # numeric question, exercise, last text step
        result = await user.click(with_buttons(result), label="Next")
    assert "step 6/6" in text_of(result)
    finished = await user.click(with_buttons(result), label="Finish lesson")
    assert "You've completed **Tensors**" in text_of(finished)


async def test_back_button_returns_to_the_previous_step(world: World) -> None:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    result = await world.user.click(with_buttons(result), label="Next")
    back = await world.user.click(with_buttons(result), label="Back")
    assert "step 1/6" in text_of(back)


async def test_quiz_answered_by_button_after_the_bot_restarted(
    world: World, tutor: Tutor, lesson_admins: set[int]
) -> None:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    for _ in range(2):
        result = await world.user.click(with_buttons(result), label="Next")
    quiz = with_buttons(result)
    await world.env.restart_bot(make_bot(tutor, lesson_admins))
    answered = await world.user.click(quiz, label="2. (2, 2)")
    assert "Correct!" in text_of(answered)


async def test_button_ids_carry_the_core_action(world: World) -> None:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    ids = [c["custom_id"] for row in with_buttons(result).components for c in row["components"]]
    assert ids == [f"{PREFIX}back", f"{PREFIX}next"]


async def test_lesson_steps_in_a_server_are_ephemeral(world: World) -> None:
    result = await world.learner.slash(world.channel, "lesson", lesson="tensor-basics")
    assert result.ephemeral
    assert world.channel.last_message is None


async def test_server_can_move_lesson_steps_to_dms(world: World) -> None:
    switched = await world.admin.slash(world.channel, "admin dm", state="on")
    assert "direct messages" in text_of(switched)
    result = await world.learner.slash(world.channel, "lesson", lesson="tensor-basics")
    assert "sent this to your direct messages" in text_of(result)
    dm = world.user.dm_channel.last_message
    assert dm is not None and dm.components


async def test_run_result_is_shown_in_the_channel(world: World, sandbox: FakeSandbox) -> None:
    sandbox.will_return(ok(stdout="hello\n"))
    result = await world.learner.slash(world.channel, "run", code="print('hello')")
    assert not result.ephemeral
    assert "hello" in text_of(result)


async def test_a_wrong_option_explains_itself_and_moving_on_shows_the_answer(world: World) -> None:
    result = await world.user.slash("lesson", lesson="tensor-basics")
    for _ in range(2):
        result = await world.user.click(with_buttons(result), label="Next")
    quiz = with_buttons(result)

    wrong = text_of(await world.user.click(quiz, label="1. (4,)"))
    moved_on = text_of(await world.user.slash("next"))

    assert "that's numel" in wrong and "2 by 2" not in wrong
    assert "The answer: **2. (2, 2)**" in moved_on and "ones(2, 2) is 2 by 2." in moved_on
