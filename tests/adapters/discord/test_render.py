"""Replies to Discord messages: embeds for prose, code blocks, buttons with a Back before Next."""

from __future__ import annotations

from bot.adapters.discord.render import render
from bot.core.replies import Button, Buttons, Code, Notice, QuizPrompt, Text


def test_prose_and_notices_share_one_message_as_embeds() -> None:
    messages = render([Text("one"), Notice("two", "success")], "en")
    assert len(messages) == 1 and len(messages[0].embeds) == 2


def test_long_code_is_split_into_messages_within_the_limit() -> None:
    messages = render([Code("x = 1\n" * 1000)], "en")
    assert len(messages) > 1 and all(len(m.content or "") <= 2000 for m in messages)


def test_buttons_join_the_message_before_them_with_back_before_next() -> None:
    messages = render([Text("step"), Buttons((Button("Next", "next", "/next"),))], "zh")
    assert [(b.label, b.action) for b in messages[0].buttons] == [("上一步", "back"), ("Next", "next")]


def test_quiz_options_become_buttons() -> None:
    quiz = QuizPrompt("l", "q", "Which?", ("a", "b"), ("ans:l:q:1", "ans:l:q:2"), "Answer with /answer")
    (message,) = render([quiz], "en")
    assert [b.action for b in message.buttons] == ["ans:l:q:1", "ans:l:q:2"]
    assert "**2.** b" in (message.embeds[0].description or "")
