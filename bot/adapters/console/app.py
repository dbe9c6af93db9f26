"""The console chat loop: read a message, ask the tutor, show the replies; one error handler for bugs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.core.i18n import normalize_locale, translate
from bot.core.parsing import parse_command
from bot.core.ports import PlatformUser
from bot.core.replies import Notice, Reply
from bot.core.tutor import Incoming

logger = logging.getLogger(__name__)

QUIT_COMMANDS = frozenset({"quit", "exit"})
Read = Callable[[], Awaitable[str | None]]


class Handler(Protocol):
    """The part of ``Tutor`` the console needs."""

    async def handle(self, message: Incoming) -> list[Reply]:
        """Answer one chat line."""
        ...


class View(Protocol):
    """Where replies go."""

    def show(self, replies: list[Reply]) -> None:
        """Show the replies to one message."""
        ...


class ConsoleChat:
    """One learner chatting with the tutor in a terminal; the OS user is the admin of their own console."""

    def __init__(
        self, tutor: Handler, read: Read, view: View, user: PlatformUser, *, locale: str | None = None
    ) -> None:
        self._tutor = tutor
        self._read = read
        self._view = view
        self._user = user
        self._locale = locale

    async def run(self) -> int:
        """Chat until ``/quit`` or the end of input; return the exit code."""
        while (text := await self._read()) is not None:
            if not text.strip():
                continue
            command = parse_command(text)
            if command is not None and command.name in QUIT_COMMANDS:
                break
            replies = await self._answer(text)
            self._view.show(replies)
            if command is not None and command.name == "lang" and _succeeded(replies):
                # A language chosen in the chat outranks --lang from then on.
                self._locale = None
        return 0

    async def _answer(self, text: str) -> list[Reply]:
        try:
            return await self._tutor.handle(Incoming(self._user, text, is_admin=True, locale=self._locale))
        except Exception:
            logger.exception("console command failed: %r", text.split("\n", 1)[0][:200])
            locale = self._locale or normalize_locale(self._user.locale_hint) or "en"
            return [Notice(translate(locale, "error.internal"), "error")]


def _succeeded(replies: list[Reply]) -> bool:
    return any(isinstance(reply, Notice) and reply.kind == "success" for reply in replies)
