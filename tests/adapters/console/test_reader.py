from collections.abc import Iterator

import pytest

from bot.adapters.console.reader import ChatReader, code_commands
from bot.core.commands import build_registry

CODE = code_commands(build_registry().on("console"))


def read_all(lines: list[str], *, arrived: bool = True) -> tuple[list[str], list[bool]]:
    """Read every message; ``arrived``: whether each next line is already there when asked (a paste)."""
    it: Iterator[str] = iter(lines)
    continuations: list[bool] = []

    def read_line(continuation: bool) -> str | None:
        continuations.append(continuation)
        return next(it, None)

    reader = ChatReader(read_line, CODE, waiting=lambda: arrived)
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


def test_bare_run_does_not_wait_for_a_line_that_has_not_arrived() -> None:
    messages, continuations = read_all(["/run", "/next"], arrived=False)
    assert messages == ["/run", "/next"]
    assert True not in continuations  # never asked for a continuation line


@pytest.mark.parametrize("arrived", [True, False])
def test_a_block_after_a_bare_run_goes_to_run(arrived: bool) -> None:
    # Arrived with the command (pasted, piped): one message. Typed after the bare /run was answered: the
    # block still runs, as a /run of its own.
    messages, _ = read_all(["/run", "```python", "print('```')", "x = 1", "```", "/next"], arrived=arrived)
    block = "```python\nprint('```')\nx = 1\n```"
    expected = ["/run\n" + block, "/next"] if arrived else ["/run", "/run\n" + block, "/next"]
    assert messages == expected


def test_a_block_after_any_other_message_stays_chat() -> None:
    messages, _ = read_all(["/run", "/next", "```", "x", "```"], arrived=False)
    assert messages == ["/run", "/next", "```", "x", "```"]


@pytest.mark.parametrize(
    ("lines", "messages"),
    [
        (["/run print('```\\n**bold** @here')", "/next"], ["/run print('```\\n**bold** @here')", "/next"]),
        (["/run ```", "print('```')", "```", "/next"], ["/run ```\nprint('```')\n```", "/next"]),
    ],
)
def test_fences_inside_code_neither_open_nor_close_a_block(lines: list[str], messages: list[str]) -> None:
    assert read_all(lines, arrived=False)[0] == messages


def test_bare_submit_asks_for_a_continuation_line() -> None:
    messages, continuations = read_all(["/submit", "```", "z = 0", "```"], arrived=False)
    assert messages == ["/submit\n```\nz = 0\n```"]
    assert continuations[:4] == [False, True, True, True]


def test_the_commands_that_take_code_come_from_the_registry() -> None:
    assert CODE == {"run": False, "submit": True}
