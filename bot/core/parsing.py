"""Pure parsing of chat lines: commands, code in fences, answers. No I/O, so it is tested without fakes."""

from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from fractions import Fraction

_COMMAND = re.compile(r"/(?P<name>[A-Za-z][A-Za-z0-9_]*)(?:@[A-Za-z0-9_]+)?(?=\s|$)(?P<rest>.*)", re.DOTALL)
# A language tag only counts when the fence's first line holds nothing else, so ```print(1)``` is code.
_FENCE = re.compile(r"```(?:[ \t]*[A-Za-z0-9_+.-]+[ \t]*\n|[ \t]*\n)?(?P<body>.*?)(?:```|\Z)", re.DOTALL)
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
    """Return the code in ``text``: a fenced block's body, an inline `code` span, or the text itself."""
    fence = text.find("```")
    if fence != -1:
        match = _FENCE.match(text, fence)
        body = match["body"] if match else text[fence + 3 :]
    else:
        inline = _INLINE.match(text.strip())
        body = inline["body"] if inline else text
    return textwrap.dedent(body.strip("\n")).rstrip()


def split_args(text: str, count: int) -> list[str]:
    """Split ``text`` into at most ``count`` words; the last one keeps the rest of the line."""
    if count <= 0 or not text.strip():
        return []
    return text.strip().split(maxsplit=count - 1)


def opens_fence(text: str) -> bool:
    """Tell whether ``text`` leaves a fenced block open (an odd number of ``` markers)."""
    return text.count("```") % 2 == 1


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
