"""The Discord front end as ``tutor serve`` runs it: the Discord adapter's bot behind ``bot.frontends``.

The adapter (``bot.adapters.discord``) answers interactions; this only owns the bot's lifetime, the way
``tutor discord`` does, so that it can share the event loop and the tutor with the other front ends.
Stopping drains first: new interactions are refused, those in flight finish (within
``TUTOR_DISCORD__DRAIN_TIMEOUT``), and only then the client closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.adapters.discord.client import TutorBot
from bot.adapters.discord.frontend import DiscordFrontend
from bot.adapters.discord.reminders import send_reminder
from bot.frontends import FrontendError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.reminders import DeliveryStatus, Reminder
    from bot.core.tutor import Tutor

DRAIN_MARGIN = 10.0
"""Seconds beyond the sandbox's time limit that a stop waits by default: queueing, replies, the write."""


class DiscordService:
    """Runs the Discord bot until stopped."""

    name = "discord"

    def __init__(self, tutor: Tutor, settings: Settings) -> None:
        token = settings.discord.token.get_secret_value().strip() if settings.discord.token else ""
        if not token:
            raise FrontendError("TUTOR_DISCORD__TOKEN is not set")
        self._token = token
        self.drain_timeout = settings.discord.drain_timeout or settings.sandbox.time_limit + DRAIN_MARGIN
        self.frontend = DiscordFrontend(tutor, lesson_admins=frozenset(settings.discord.lesson_admins))
        self.bot = TutorBot(
            tutor.registry,
            self.frontend,
            shard_count=settings.discord.shard_count,
            shard_ids=settings.discord.shard_ids,
        )

    async def run(self) -> None:
        """Log in and serve until ``stop()``."""
        try:
            async with self.bot:
                await self.bot.start(self._token)
        except discord.LoginFailure:
            raise FrontendError("Discord rejected the token (TUTOR_DISCORD__TOKEN)") from None
        except (aiohttp.ClientError, OSError) as error:
            # Logging in is one HTTP request; once connected, discord.py reconnects by itself.
            raise FrontendError(f"cannot reach Discord: {unreachable(error)}") from None

    async def send_reminder(self, reminder: Reminder) -> DeliveryStatus:
        """Send a daily reminder as a direct message (``bot.core.reminders``)."""
        return await send_reminder(self.bot, reminder)

    async def stop(self) -> None:
        """Refuse new interactions, let those in flight finish, then close the client; ``run()`` returns."""
        await self.frontend.drain(self.drain_timeout)
        await self.bot.close()


def unreachable(error: BaseException) -> str:
    """Say in one line why Discord could not be reached."""
    return str(error) or type(error).__name__
