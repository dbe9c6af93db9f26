"""Core replies to Telegram messages, without a network."""

from __future__ import annotations

from bot.adapters.telegram.render import Document, Photo, QuizPoll, TextMessage, quiz_poll, render
from bot.core.replies import Button, Buttons, Code, Notice, QuizPrompt, RunOutput, Text
from tests.fakes import ok


def _quiz(**changes: object) -> QuizPrompt:
    values: dict[str, object] = {
        "lesson_id": "tensor-basics",
        "question_id": "shape-quiz",
        "question": "What is `x.shape`?",
        "options": ("(4,)", "(2, 2)"),
        "actions": ("ans:tensor-basics:shape-quiz:1", "ans:tensor-basics:shape-quiz:2"),
        "instruction": "Answer with /answer 1 or 2.",
        "correct_option": 1,
        "explanation": "ones(2, 2) is 2 by 2.",
    }
    values.update(changes)
    return QuizPrompt(**values)  # type: ignore[arg-type]


def test_text_code_and_buttons_make_one_message_with_a_keyboard() -> None:
    next_button = Button("Next", "next", "/next")

    [message] = render([Text("**Step**"), Code("x = 1"), Buttons((next_button,))], "en")

    assert message == TextMessage(
        '<b>Step</b>\n\n<pre><code class="language-python">x = 1</code></pre>', ((next_button,),)
    )


def test_notice_gets_its_mark() -> None:
    [message] = render([Notice("Done", "success")], "en")

    assert isinstance(message, TextMessage)
    assert message.html == "✅ Done"


def test_quiz_becomes_a_native_quiz_poll() -> None:
    poll = quiz_poll(_quiz())

    assert poll == QuizPoll(
        "What is x.shape?", ("(4,)", "(2, 2)"), 1, _quiz().actions, "ones(2, 2) is 2 by 2."
    )


def test_quiz_with_a_long_option_falls_back_to_buttons() -> None:
    messages = render([_quiz(options=("x" * 101, "(2, 2)"))], "en")

    [message] = messages
    assert isinstance(message, TextMessage)
    assert [row[0].action for row in message.keyboard] == list(_quiz().actions)


def test_explanation_too_long_for_a_poll_is_left_to_the_tutor() -> None:
    poll = quiz_poll(_quiz(explanation="why " * 60))

    assert poll is not None
    assert poll.explanation is None


def test_run_output_is_escaped_inside_pre() -> None:
    [message] = render([RunOutput(ok(stdout="<i>hi</i>\n"), "Ran in 3 ms.")], "en")

    assert isinstance(message, TextMessage)
    assert "<pre>&lt;i&gt;hi&lt;/i&gt;</pre>" in message.html


def test_graph_goes_as_a_photo_and_replaces_the_text_graph() -> None:
    output = RunOutput(ok(graph_text="y  AddBackward0"), "Ran.", graph_png=b"png")

    messages = render([output], "en")

    assert isinstance(messages[1], Photo)
    assert "AddBackward0" not in messages[0].html  # type: ignore[union-attr]


def test_long_output_goes_as_a_document_with_a_preview() -> None:
    output = RunOutput(ok(stdout="spam\n" * 5000), "Ran.")

    text, document = render([output], "zh")

    assert isinstance(document, Document)
    assert document.filename == "output.txt"
    assert "完整内容见附件" in text.html  # type: ignore[union-attr]
    assert len(text.html) < 2000  # type: ignore[union-attr]
