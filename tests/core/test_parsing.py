import pytest

from bot.core.parsing import (
    CommandLine,
    closes_fence,
    extract_code,
    opens_fence,
    parse_choice,
    parse_command,
    parse_number,
    split_args,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/next", CommandLine("next", "")),
        ("  /NEXT  ", CommandLine("next", "")),
        ("/lesson tensor-basics", CommandLine("lesson", "tensor-basics")),
        ("/admin reload", CommandLine("admin", "reload")),
        ("/admin_reload", CommandLine("admin_reload", "")),
        ("/start@TorchTutorBot", CommandLine("start", "")),
        ("/answer@TorchTutorBot 2", CommandLine("answer", "2")),
        ("/run\n```py\nx = 1\n```", CommandLine("run", "```py\nx = 1\n```")),
        ("/run ```\nx = 1\n```", CommandLine("run", "```\nx = 1\n```")),
        ("hello", None),
        ("/", None),
        ("/usr/bin/python", None),
        ("2", None),
    ],
)
def test_parse_command(text: str, expected: CommandLine | None) -> None:
    assert parse_command(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("print(1)", "print(1)"),
        ("`x + 1`", "x + 1"),
        ("```python\nx = 1\nprint(x)\n```", "x = 1\nprint(x)"),
        ("```py\nx = 1\n```", "x = 1"),
        ("```\nx = 1\n```", "x = 1"),
        ("```print(1)```", "print(1)"),
        ("```x = 1\ny = 2```", "x = 1\ny = 2"),
        ("```python\n    indented = True\n```", "indented = True"),
        ("```python\nfor i in range(2):\n    print(i)\n```", "for i in range(2):\n    print(i)"),
        ("```python\nunclosed = 1\n", "unclosed = 1"),
        ("here:\n```python\nx = 2\n```\nthanks", "x = 2"),
        ("x = 1\ny = 2", "x = 1\ny = 2"),
    ],
)
def test_extract_code(text: str, code: str) -> None:
    assert extract_code(text) == code


@pytest.mark.parametrize(
    ("text", "count", "words"),
    [
        ("", 2, []),
        ("tensor-basics", 2, ["tensor-basics"]),
        ("tensor-basics confirm", 2, ["tensor-basics", "confirm"]),
        ("a b c d", 2, ["a", "b c d"]),
        ("  spaced   out ", 1, ["spaced   out"]),
    ],
)
def test_split_args(text: str, count: int, words: list[str]) -> None:
    assert split_args(text, count) == words


@pytest.mark.parametrize(
    ("text", "options", "index"),
    [
        ("1", 3, 0),
        ("3", 3, 2),
        ("4", 3, None),
        ("0", 3, None),
        ("a", 3, 0),
        ("B", 3, 1),
        ("(c)", 3, 2),
        ("b)", 3, 1),
        ("2.", 3, 1),
        ("d", 3, None),
        ("two", 3, None),
        ("", 3, None),
    ],
)
def test_parse_choice(text: str, options: int, index: int | None) -> None:
    assert parse_choice(text, options) == index


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("27", 27.0),
        (" -0.5 ", -0.5),
        ("2.7e1", 27.0),
        ("1/4", 0.25),
        ("3,5", 3.5),
        ("１２", 12.0),
        ("27.", 27.0),
        ("1/0", None),
        ("nan", None),
        ("inf", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "open_"),
    [
        ("", False),
        ("```python", True),
        ("```", True),
        ("  ```py  ", True),
        ("```\nx\n```", False),
        ("```print(1)```", False),
        ("x = 1 ```", False),
        ("print('```')", False),
        ("print('```\\n**bold** @here')", False),
    ],
)
def test_opens_fence(text: str, open_: bool) -> None:
    assert opens_fence(text) is open_


@pytest.mark.parametrize(
    ("line", "closes"),
    [("```", True), ("  ```  ", True), ("x = 1```", True), ("print('```')", False), ("x", False)],
)
def test_closes_fence(line: str, closes: bool) -> None:
    assert closes_fence(line) is closes


TRIPLE_QUOTED = 'x = """\n```\n"""\nprint(x)'


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("print('```\\n**bold** @here')", "print('```\\n**bold** @here')"),
        ("print('```')", "print('```')"),
        ("```python\nprint('```')\n```", "print('```')"),
        ("```\ns = '```x```'\nprint(s)\n```", "s = '```x```'\nprint(s)"),
        (TRIPLE_QUOTED, TRIPLE_QUOTED),
        ("print(1)  # ``` is a fence in Markdown", "print(1)  # ``` is a fence in Markdown"),
    ],
)
def test_fences_inside_code_stay_code(text: str, code: str) -> None:
    assert extract_code(text) == code
