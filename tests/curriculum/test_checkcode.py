"""Check code is read statically against its exercise's messages; problems point into the check code."""

from __future__ import annotations

import pytest

from bot.curriculum.checkcode import fail_calls
from bot.curriculum.loader import load_text

HEAD = "id: sample\nchapter: 1\ntitle: {zh: 示例, en: Sample}\nsteps:\n"


def exercise(check: str, messages: str = "", wrong: str = "", starter: str = "'x = 0'") -> str:
    body = "".join(f"        {line}\n" for line in check.splitlines())
    return (
        HEAD
        + "  - id: task\n"
        + "    exercise:\n"
        + "      prompt: {zh: 写, en: Write}\n"
        + f"      starter: {starter}\n"
        + "      solution: 'x = 1'\n"
        + "      check: |\n"
        + body
        + (f"      messages:\n{messages}" if messages else "")
        + (f"      wrong:\n{wrong}" if wrong else "")
    )


X_OFF = "        x-off: {zh: 'x 是 {got}', en: 'x is {got}'}\n"
CHECK = "if x != 1:\n    fail('x-off', got=x)"  # fail() sits at line 12, column 13 of the file


def problems(text: str) -> list[str]:
    return [str(p) for p in load_text(text, "sample.yaml").problems]


def test_check_whose_fail_calls_match_their_messages_has_no_problem() -> None:
    assert problems(exercise(CHECK, X_OFF)) == []


def test_old_style_assert_check_needs_no_messages() -> None:
    assert problems(exercise("assert x == 1, 'x should be 1 / x 应为 1'")) == []


CASES = [
    pytest.param(
        exercise(CHECK.replace("x-off", "x-of"), X_OFF),
        [
            "sample.yaml:12:13: fail() names message 'x-of', which is not defined (did you mean 'x-off'?)",
            "sample.yaml:14:9: message 'x-off' is not used by any fail() in the check or probe; "
            "remove it or use it",
        ],
        id="unknown-message-id",
    ),
    pytest.param(
        exercise(CHECK),
        [
            "sample.yaml:12:13: fail() names message 'x-off', which is not defined; add it under 'messages' "
            "(defined: none yet)"
        ],
        id="no-messages-at-all",
    ),
    pytest.param(
        exercise(CHECK.replace("got=x", "value=x"), X_OFF),
        [
            "sample.yaml:12:13: the 'en' text of message 'x-off' uses {got}, which this fail() does not pass "
            "and does not use {value}, which this fail() passes",
            "sample.yaml:12:13: the 'zh' text of message 'x-off' uses {got}, which this fail() does not pass "
            "and does not use {value}, which this fail() passes",
        ],
        id="fields-differ-from-keywords",
    ),
    pytest.param(
        exercise(CHECK, "        x-off: {zh: 'x 是 {got}', en: 'x is wrong'}\n"),
        ["sample.yaml:12:13: the 'en' text of message 'x-off' does not use {got}, which this fail() passes"],
        id="one-language-lacks-a-field",
    ),
    pytest.param(
        exercise("if x != 1:\n    fail(name, got=x)", X_OFF),
        [
            "sample.yaml:12:13: fail() takes the message id as a literal string, then keyword parameters: "
            'fail("w-far", found=w)',
            "sample.yaml:14:9: message 'x-off' is not used by any fail() in the check or probe; "
            "remove it or use it",
        ],
        id="id-not-a-literal",
    ),
    pytest.param(
        exercise("if x != 1:\n    fail('x-off', x)", X_OFF),
        [
            "sample.yaml:12:13: fail() takes the message id as a literal string, then keyword parameters: "
            'fail("w-far", found=w)'
        ],
        id="positional-parameter",
    ),
    pytest.param(
        exercise(CHECK, "        x-off: {zh: 'x 是 {0}', en: 'x is {got}'}\n"),
        [
            "sample.yaml:14:21: the 'zh' text of message 'x-off': field {0} is not a plain name like "
            "{found}; write fields as {name}, and {{ or }} for a literal brace"
        ],
        id="field-not-a-name",
    ),
    pytest.param(
        exercise(CHECK, "        x-off: {zh: 'x 是 {got', en: 'x is {got}'}\n"),
        [
            "sample.yaml:14:21: the 'zh' text of message 'x-off': expected '}' before end of string; "
            "write fields as {name}, and {{ or }} for a literal brace"
        ],
        id="unbalanced-brace",
    ),
    pytest.param(
        exercise(CHECK, X_OFF + "        Bad_Id: {zh: 甲, en: A}\n"),
        [
            "sample.yaml:15:9: message id 'Bad_Id' must be lowercase letters, digits and dashes, at most 64 "
            "characters"
        ],
        id="malformed-message-id",
    ),
    pytest.param(
        exercise(CHECK, "        x-off: {en: 'x is {got}'}\n"),
        ["sample.yaml:14:16: message 'x-off' is missing the 'zh' text"],
        id="message-missing-a-language",
    ),
    pytest.param(
        exercise(CHECK, X_OFF, "        - {why: zero, message: x-of, code: x = 0}\n"),
        [
            "sample.yaml:16:32: wrong sample 1 expects message 'x-of', which 'messages' does not define "
            "(did you mean 'x-off'?)"
        ],
        id="wrong-sample-names-an-unknown-message",
    ),
    pytest.param(
        exercise(CHECK, X_OFF, "        - {why: zero, code: x = 0}\n"),
        ["sample.yaml:16:11: missing required key 'message' in item 1 of 'wrong'"],
        id="wrong-sample-without-a-message",
    ),
    pytest.param(
        exercise("if x != 1\n    fail('x-off', got=x)", X_OFF),
        ["sample.yaml:11:18: the check does not compile: expected ':'"],
        id="check-does-not-compile",
    ),
    pytest.param(
        exercise(CHECK, X_OFF, starter="{zh: 'x = 0  # 零'}"),
        ["sample.yaml:8:16: starter is missing the 'en' text"],
        id="starter-missing-a-language",
    ),
    pytest.param(
        exercise(CHECK, X_OFF, starter="[x = 0]"),
        [
            "sample.yaml:8:16: 'starter': must be code text, or one code text per language "
            "({zh: ..., en: ...})"
        ],
        id="starter-neither-text-nor-mapping",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_check_code_problem_is_reported_at_its_place(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_lesson_with_a_check_code_problem_is_not_served() -> None:
    assert load_text(exercise(CHECK), "sample.yaml").problems != []


def test_per_language_starter_loads() -> None:
    result = load_text(exercise(CHECK, X_OFF, starter="{zh: 'x = 0  # 零', en: 'x = 0  # zero'}"), "s.yaml")

    assert result.problems == []
    assert result.loaded is not None
    step = result.loaded.lesson.steps[0]
    assert step.exercise.starters() == {"zh": "x = 0  # 零", "en": "x = 0  # zero"}  # type: ignore[union-attr]


def test_fail_calls_are_found_in_nested_code_in_source_order() -> None:
    code = "def helper(v):\n    fail('b', v=v)\nif x:\n    fail('a')\nhelper(x)\n"

    assert [(c.message_id, c.params, c.line) for c in fail_calls(code)] == [("b", ("v",), 2), ("a", (), 4)]
