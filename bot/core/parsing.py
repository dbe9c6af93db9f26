"""Pure parsing of chat lines: commands, code in fences, answers. No I/O, so it is tested without fakes."""

from __future__ import annotations

import ast
import math
import re
import textwrap
from dataclasses import dataclass
from fractions import Fraction

_COMMAND = re.compile(r"/(?P<name>[A-Za-z][A-Za-z0-9_]*)(?:@[A-Za-z0-9_]+)?(?=\s|$)(?P<rest>.*)", re.DOTALL)
# A language tag only counts when the fence's first line holds nothing else, so ```print(1)``` is code.
_OPENER = re.compile(r"```(?:[ \t]*[A-Za-z0-9_+.-]+[ \t]*\n|[ \t]*\n)?")
_LINE_FENCE = re.compile(r"^[ \t]*```", re.MULTILINE)
_CLOSING = re.compile(r"```[ \t]*$", re.MULTILINE)
_INLINE = re.compile(r"^`(?P<body>[^`]+)`$", re.DOTALL)
_CHOICE = re.compile(r"^[(\[]?(?P<choice>\d+|[A-Za-z])[)\].:]?$")


@dataclass(frozen=True, slots=True)
class CommandLine:
    """A chat line that is a command: ``/name rest``; ``name`` is lower-case, without a ``@bot`` suffix."""

    name: str
    rest: str


def parse_command(text: str) -> CommandLine | None:
    """Split ``/name rest`` (``/name@bot rest`` on Telegram); return None if the line is not a command."""
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return None
    return CommandLine(name=match["name"].lower(), rest=match["rest"].strip())


def extract_code(text: str) -> str:
    """Return the code in a chat message: a fenced block's body, an inline `code` span, or the text itself.

    A fence counts only where it delimits the message's code: at the start of the message or of a line,
    closed by ``` at the end of a line. A fence inside a string literal (``print('```')``) is code, and a
    message that is valid Python as it stands is taken whole.
    """
    stripped = text.strip()
    opening = _opening_fence(text)
    if opening is None or (opening > 0 and _is_python(stripped)):
        inline = _INLINE.match(stripped)
        body = inline["body"] if inline else text
    else:
        body = _fenced_body(text, opening)
    return tidy_code(body)


def tidy_code(code: str) -> str:
    """Return code without surrounding blank lines, trailing spaces or a common indent (never fences)."""
    return textwrap.dedent(code.strip("\n")).rstrip()


def _opening_fence(text: str) -> int | None:
    """Return where the first fence at the start of a line opens, or None."""
    match = _LINE_FENCE.search(text)
    return match.end() - 3 if match else None


def _fenced_body(text: str, start: int) -> str:
    """Return the body of the block whose fence opens at ``start``: up to its closing fence, or the end."""
    opener = _OPENER.match(text, start)
    begin = opener.end() if opener else start + 3
    closing = _CLOSING.search(text, begin)
    return text[begin : closing.start()] if closing else text[begin:]


def _is_python(text: str) -> bool:
    """Tell whether ``text`` parses as Python (parsing only: nothing is compiled or run)."""
    try:
        compile(text, "<message>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def opens_fence(text: str) -> bool:
    """Tell whether ``text`` (a command's code, or a line) starts a fenced block it leaves open."""
    stripped = text.strip()
    if not stripped.startswith("```"):
        return False
    return not closes_fence(stripped[3:])


def closes_fence(line: str) -> bool:
    """Tell whether ``line`` ends a fenced block: ``` at its end."""
    return line.rstrip().endswith("```")


def split_args(text: str, count: int) -> list[str]:
    """Split ``text`` into at most ``count`` words; the last one keeps the rest of the line."""
    if count <= 0 or not text.strip():
        return []
    return text.strip().split(maxsplit=count - 1)


def parse_choice(text: str, options: int) -> int | None:
    """Return the 0-based option a learner picked: ``2``, ``b``, ``(b)`` or ``B.``; None if not valid."""
    match = _CHOICE.match(text.strip())
    if match is None:
        return None
    choice = match["choice"]
    index = int(choice) - 1 if choice.isdigit() else ord(choice.lower()) - ord("a")
    return index if 0 <= index < options else None


def looks_like_choice(text: str) -> bool:
    """Tell whether ``text`` has the shape of an option choice (a number or a single letter)."""
    return _CHOICE.match(text.strip()) is not None


def parse_number(text: str) -> float | None:
    """Read a learner's number: ``27``, ``-0.5``, ``2.7e1``, ``1/3`` or a decimal comma; None if not one."""
    cleaned = text.strip().replace("，", ",").replace("。", ".").rstrip(".").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        if "/" in cleaned:
            return float(Fraction(cleaned))
        value = float(cleaned)
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None
