"""The Telegram front end: python-telegram-bot's ``Application`` inside our own event loop.

We never call ``run_polling`` (it owns the loop and the signals); ``tutor serve`` does, for every front end
at once. ``AIORateLimiter`` keeps to Telegram's flood limits and retries a request after the ``retry_after``
of a 429.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.adapters.telegram.handlers import PLATFORM, StoredPolls, TelegramHandlers
from bot.adapters.telegram.render import render
from bot.adapters.telegram.sender import send_all
from bot.config import TelegramSettings
from bot.core.i18n import FALLBACK, command_help
from bot.core.registry import Registry
from bot.core.reminders import DeliveryStatus, Reminder
from bot.core.tutor import Tutor
from bot.frontends import FrontendError

logger = logging.getLogger(__name__)

_COMMAND_NAME = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
RETRIES_AFTER_FLOOD = 3


class TelegramFrontend:
    """Serves the tutor on Telegram by long polling until stopped."""

    name = "telegram"

    def __init__(
        self,
        tutor: Tutor,
        settings: TelegramSettings,
        *,
        poll_timeout: int = 30,
        poll_interval: float = 0.0,
    ) -> None:
        if settings.token is None:
            raise FrontendError("TUTOR_TELEGRAM__TOKEN is not set")
        self._tutor = tutor
        self._poll_timeout = poll_timeout
        self._poll_interval = poll_interval
        self._stopping = asyncio.Event()
        self._handlers = TelegramHandlers(tutor, StoredPolls(tutor), tutor.settings.default_locale)
        builder = Application.builder().token(settings.token.get_secret_value())
        if settings.base_url:
            builder = builder.base_url(settings.base_url).base_file_url(_file_url(settings.base_url))
        self.application = (
            builder.rate_limiter(AIORateLimiter(max_retries=RETRIES_AFTER_FLOOD))
            .concurrent_updates(True)
            .build()
        )
        self._add_handlers()

    def _add_handlers(self) -> None:
        app, handlers, registry = self.application, self._handlers, self._tutor.registry.on(PLATFORM)
        names = [name for name in {*(c.flat_name for c in registry), *registry.groups} if _valid(name)]
        messages = filters.UpdateType.MESSAGE  # not edits: an edited /run must not run again
        app.add_handler(CommandHandler(names, handlers.on_command, filters=messages))
        private = filters.ChatType.PRIVATE & messages
        app.add_handler(MessageHandler(filters.COMMAND & private, handlers.on_command))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & private, handlers.on_command))
        # Stickers, photos, voice notes...: say what does reach the tutor rather than stay silent.
        other = private & ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
        app.add_handler(MessageHandler(other, handlers.on_other))
        app.add_handler(CallbackQueryHandler(handlers.on_callback))
        app.add_handler(PollAnswerHandler(handlers.on_poll_answer))
        app.add_error_handler(handlers.on_error)

    async def run(self) -> None:
        """Start polling, serve until ``stop()``, then finish the updates in flight and shut down."""
        app = self.application
        try:
            await app.initialize()
        except InvalidToken:
            raise FrontendError("Telegram rejected the token (TUTOR_TELEGRAM__TOKEN)") from None
        except NetworkError as error:
            raise FrontendError(f"cannot reach the Telegram Bot API: {error}") from None
        try:
            await publish_commands(app, self._tutor.registry.on(PLATFORM), self._tutor.settings.languages)
            await app.start()
            assert app.updater is not None  # the builder always makes one unless told not to
            await app.updater.start_polling(
                poll_interval=self._poll_interval,
                timeout=self._poll_timeout,
                allowed_updates=Update.ALL_TYPES,
            )
            logger.info("Telegram front end running as @%s", app.bot.username)
            await self._stopping.wait()
        finally:
            await self._shut_down()

    async def send_reminder(self, reminder: Reminder) -> DeliveryStatus:
        """Send a daily reminder to the learner's private chat; ``blocked`` if they blocked the bot."""
        messages = render(list(reminder.replies), reminder.locale)
        try:
            await send_all(self.application.bot, int(reminder.user_id), messages, StoredPolls(self._tutor))
        except Forbidden:
            return "blocked"
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                return "blocked"
            logger.warning("could not send a reminder to %s: %s", reminder.user_id, error)
            return "failed"
        except (TelegramError, ValueError):
            logger.warning("could not send a reminder to %s", reminder.user_id, exc_info=True)
            return "failed"
        return "sent"

    async def stop(self) -> None:
        """Stop taking updates; ``run()`` returns once the ones in flight are answered."""
        self._stopping.set()

    async def _shut_down(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()  # waits for the updates being processed
        await app.shutdown()


async def publish_commands(app: Application, registry: Registry, languages: tuple[str, ...]) -> None:  # type: ignore[type-arg]
    """Publish the learner commands with ``setMyCommands``, per language and as the default (English)."""
    for language in (None, *languages):
        commands = [
            BotCommand(cmd.flat_name, command_help(cmd, language or FALLBACK)[0][:256])
            for cmd in registry
            if cmd.admin is None and _valid(cmd.flat_name)
        ]
        try:
            await app.bot.set_my_commands(commands, language_code=language)
        except TelegramError:
            logger.warning("could not publish the command list (%s)", language or "default", exc_info=True)


def _valid(name: str) -> bool:
    return 0 < len(name) <= 32 and set(name) <= _COMMAND_NAME


def _file_url(base_url: str) -> str:
    """Return the file URL that goes with a Bot API base URL (``.../bot`` → ``.../file/bot``)."""
    head, _, _ = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/bot" if head else base_url
