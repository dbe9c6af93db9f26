"""The Discord front end as ``tutor serve`` runs it: the Discord adapter's bot behind ``bot.frontends``.

The adapter (``bot.adapters.discord``) answers interactions; this only owns the bot's lifetime, the way
``tutor discord`` does, so that it can share the event loop and the tutor with the other front ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.adapters.discord.client import TutorBot
from bot.adapters.discord.frontend import DiscordFrontend
from bot.frontends import FrontendError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.tutor import Tutor


class DiscordService:
    """Runs the Discord bot until stopped."""

    name = "discord"

    def __init__(self, tutor: Tutor, settings: Settings) -> None:
        token = settings.discord.token.get_secret_value().strip() if settings.discord.token else ""
        if not token:
            raise FrontendError("TUTOR_DISCORD__TOKEN is not set")
        self._token = token
        frontend = DiscordFrontend(tutor, lesson_admins=frozenset(settings.discord.lesson_admins))
        self._bot = TutorBot(
            tutor.registry,
            frontend,
            shard_count=settings.discord.shard_count,
            shard_ids=settings.discord.shard_ids,
        )

    async def run(self) -> None:
        """Log in and serve until ``stop()``."""
        try:
            async with self._bot:
                await self._bot.start(self._token)
        except discord.LoginFailure:
            raise FrontendError("Discord rejected the token (TUTOR_DISCORD__TOKEN)") from None

    async def stop(self) -> None:
        """Close the gateway connection; ``run()`` returns."""
        await self._bot.close()
