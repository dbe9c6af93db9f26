from collections.abc import Iterator

import pytest

from bot.adapters.console.reader import ChatReader, code_commands
from bot.core.commands import build_registry

CODE = code_commands(build_registry().on("console"))


def read_all(lines: list[str], *, peek_optional: bool = True) -> tuple[list[str], list[bool]]:
    it: Iterator[str] = iter(lines)
    continuations: list[bool] = []

    def read_line(continuation: bool) -> str | None:
        continuations.append(continuation)
        return next(it, None)

    reader = ChatReader(read_line, CODE, peek_optional=peek_optional)
    messages = []
    while (message := reader.read()) is not None:
        messages.append(message)
    return messages, continuations


@pytest.mark.parametrize(
    ("lines", "messages"),
    [
        (["/next", "/back"], ["/next", "/back"]),
        (["/run print(1)", "/next"], ["/run print(1)", "/next"]),
        (
            ["/run ```python", "x = 1", "print(x)", "```", "/next"],
            ["/run ```python\nx = 1\nprint(x)\n```", "/next"],
        ),
        (["/run", "```python", "x = 1", "```", "/next"], ["/run\n```python\nx = 1\n```", "/next"]),
        (["/submit", "```", "z = 0", "```"], ["/submit\n```\nz = 0\n```"]),
        (["/run", "```print(1)```", "/next"], ["/run\n```print(1)```", "/next"]),
        (["/run ```x = 1```", "/next"], ["/run ```x = 1```", "/next"]),
        (["/run", "/next"], ["/run", "/next"]),
        (["/run"], ["/run"]),
        (["/run ```", "x = 1"], ["/run ```\nx = 1"]),  # unclosed at the end of input
        (["/submit", "2"], ["/submit", "2"]),
        (["```", "not a command", "```"], ["```", "not a command", "```"]),
        (["/run ```", "def f():", "", "    return 1", "```"], ["/run ```\ndef f():\n\n    return 1\n```"]),
    ],
)
def test_fenced_blocks_are_gathered_into_one_message(lines: list[str], messages: list[str]) -> None:
    assert read_all(lines)[0] == messages


def test_interactive_bare_run_does_not_wait_for_more_input() -> None:
    messages, continuations = read_all(["/run", "/next"], peek_optional=False)
    assert messages == ["/run", "/next"]
    assert continuations == [False, False, False]


def test_interactive_bare_submit_asks_for_a_continuation_line() -> None:
    messages, continuations = read_all(["/submit", "```", "z = 0", "```"], peek_optional=False)
    assert messages == ["/submit\n```\nz = 0\n```"]
    assert continuations[:4] == [False, True, True, True]


def test_the_commands_that_take_code_come_from_the_registry() -> None:
    assert CODE == {"run": False, "submit": True}
