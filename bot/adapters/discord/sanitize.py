"""Make untrusted text (learners' program output, file names) safe to show on Discord.

Output is shown inside code blocks: it must not close its block (three backticks, however disguised),
must not carry terminal escapes or invisible characters, and never pings anyone (the front end also
sends every message with ``AllowedMentions.none()``).
"""

from __future__ import annotations

import re
import unicodedata

ZWSP = "\u200b"
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_BACKTICKS = re.compile(r"`(?=`)")
_BACKTICK_RUN = re.compile(r"`{3,}")
_MARKDOWN = re.compile(r"([\\*_~`|>#\-\[\]()<:@])")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences, control characters (but newlines and tabs) and format characters.

    Format characters (Unicode ``Cf``: zero-width spaces and joiners, bidirectional overrides) are how a
    fence or a name is disguised; they go too.
    """
    text = _ANSI.sub("", text.replace("\r\n", "\n"))
    return "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
    )


def code_safe(text: str) -> str:
    """Return ``text`` cleaned so it can sit inside a code block without ever ending it."""
    # A zero-width space between backticks keeps them visible but never a fence; earlier zero-width
    # characters are gone by now, so ``\u200b`` tricks cannot rebuild one.
    return _BACKTICKS.sub("`" + ZWSP, strip_controls(text))


def fenced(text: str, language: str = "") -> str:
    """Return ``text`` as a code block that it cannot escape."""
    body = code_safe(text) or " "
    return f"```{language}\n{body}\n```"


def escape_stray_fences(markdown: str) -> str:
    """Escape ``` that does not start a line of our own Markdown, so it never opens a code block.

    Discord opens a code block at ``` anywhere in a line; a sentence that names the fence ("put it in a
    ``` block") must show the backticks instead. Fences that start a line, and the lines of the code
    blocks they open, are left as they are.
    """
    lines: list[str] = []
    inside = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            if line.count("```") % 2 == 1:
                inside = not inside
            lines.append(line)
        elif inside:
            lines.append(line)
        else:
            lines.append(_BACKTICK_RUN.sub(lambda run: "\\`" * len(run[0]), line))
    return "\n".join(lines)


def plain_markdown(text: str) -> str:
    r"""Return a ``Quote``'s text with every character Discord's Markdown acts on escaped: it shows as typed.

    Mentions and links are escaped too (``\<@1>``, ``https\://``), on top of the zero-width spaces the
    core already put into them, so nothing in it pings or links.
    """
    return _MARKDOWN.sub(r"\\\1", text.replace("\n", " "))
