"""What the tutor answers with: platform-neutral values that every adapter knows how to show.

Replies carry meaning, not presentation: Markdown is the light common subset (bold, italics, inline code,
lists, links), plus channel references (``channel_ref``) that each adapter shows its platform's way; emoji,
embeds, markup dialects and message splitting are the adapters' job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.errors import NoticeKind
from sandbox.result import RunResult

MAX_ACTION_BYTES = 64
"""Action ids must fit Telegram's ``callback_data`` (64 bytes) and Discord's ``custom_id`` (100 chars)."""
_CHANNEL_REF = re.compile(r"<channel:([^<>\s]+)>")


def channel_ref(channel_id: str) -> str:
    """Return a reference to a channel of the server, for the adapter to show its platform's way."""
    return f"<channel:{channel_id}>"


def show_channels(text: str, mention: Callable[[str], str]) -> str:
    """Replace the channel references in reply text by ``mention(channel_id)``."""
    return _CHANNEL_REF.sub(lambda match: mention(match[1]), text)


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph of light Markdown."""

    markdown: str


@dataclass(frozen=True, slots=True)
class Code:
    """Source code to show (not run)."""

    source: str
    language: str = "python"


@dataclass(frozen=True, slots=True)
class RunOutput:
    """What a run produced; ``headline`` is a localized one-line summary of its status.

    ``figures`` are the matplotlib figures the run drew, as PNG bytes (decoded from ``result.figures``).
    """

    result: RunResult
    headline: str
    graph_png: bytes | None = None
    figures: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class Button:
    """One button; pressing it sends ``action`` back through ``Tutor.action``.

    ``command`` is what a learner would type for the same effect, for front ends without buttons.
    """

    label: str
    action: str
    command: str | None = None

    def __post_init__(self) -> None:
        if len(self.action.encode()) > MAX_ACTION_BYTES:
            raise ValueError(f"action id longer than {MAX_ACTION_BYTES} bytes: {self.action!r}")


@dataclass(frozen=True, slots=True)
class Buttons:
    """A row of buttons offered after the replies before it."""

    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class QuizPrompt:
    """A multiple-choice question, complete enough for a native quiz poll or a numbered list.

    ``actions[i]`` answers with option ``i``; ``instruction`` tells how to answer by typing.
    """

    lesson_id: str
    question_id: str
    question: str
    options: tuple[str, ...]
    actions: tuple[str, ...]
    instruction: str
    code: str | None = None
    correct_option: int | None = None
    explanation: str | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """A short status message: a confirmation, a warning or an error."""

    text: str
    kind: NoticeKind = "info"


@dataclass(frozen=True, slots=True)
class Quote:
    """Words a learner wrote (a review), shown as plain text: never as Markdown, a mention or a link.

    ``text`` and ``author`` are the learner's, already defanged (``bot.core.quoting``); front ends escape
    them for their markup and make nothing in them clickable. ``caption`` is the tutor's own light
    Markdown (the lesson, stars, an id for admins).
    """

    text: str
    author: str
    caption: str = ""


Reply = Text | Code | RunOutput | Buttons | QuizPrompt | Notice | Quote
"""Anything a command can answer with."""
