"""The console chat loop: read a message, ask the tutor, show the replies; one error handler for bugs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.core.exchange import Answer, Incoming
from bot.core.i18n import FALLBACK, normalize_locale, translate
from bot.core.ports import PlatformUser
from bot.core.replies import Notice, Reply

logger = logging.getLogger(__name__)

PLATFORM = "console"
Read = Callable[[], Awaitable[str | None]]


class Handler(Protocol):
    """The part of ``Tutor`` the console needs."""

    async def handle(self, message: Incoming) -> Answer:
        """Answer one chat line."""
        ...


class View(Protocol):
    """Where replies go."""

    def show(self, replies: list[Reply], locale: str) -> None:
        """Show the replies to one message, in ``locale``."""
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
        self._last_locale: str | None = None

    async def run(self) -> int:
        """Chat until the learner leaves (``/quit``) or the input ends; return the exit code."""
        while (text := await self._read()) is not None:
            if not text.strip():
                continue
            answer = await self._answer(text)
            self._view.show(list(answer.replies), answer.locale)
            if answer.ends_chat:
                break
        return 0

    async def _answer(self, text: str) -> Answer:
        try:
            answer = await self._tutor.handle(Incoming(self._user, text, is_admin=True, locale=self._locale))
        except Exception:
            logger.exception("console command failed: %r", text.split("\n", 1)[0][:200])
            locale = self._locale or self._last_locale or normalize_locale(self._user.locale_hint) or FALLBACK
            return Answer((Notice(translate(locale, "error.internal"), "error"),), locale)
        if self._locale is not None and answer.locale != self._locale:
            # The learner chose another language in the chat (/lang): it outranks --lang from then on.
            self._locale = None
        self._last_locale = answer.locale
        return answer
