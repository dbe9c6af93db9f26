"""The bot: an ``AutoShardedBot`` without privileged intents, its command tree, buttons and error handler."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.translator import TutorTranslator
from bot.adapters.discord.tree import CommandHandler, build_commands
from bot.adapters.discord.views import ActionButton, Handler
from bot.core.registry import Registry

log = logging.getLogger(__name__)

RATE_LIMIT_WAIT = 30.0
"""Longest Discord rate-limit wait (s) discord.py sits out; a longer one raises ``RateLimited`` instead."""


class Frontend(CommandHandler, Handler, Protocol):
    """Everything the bot hands interactions to (``DiscordFrontend``)."""


class TutorTree(app_commands.CommandTree[Any]):
    """The command tree; its errors (bad options, failed checks) go to the front end's one handler."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Send the error to the front end's handler."""
        frontend: Frontend | None = getattr(self.client, "frontend", None)
        if frontend is None:
            log.error("app command error before the front end was ready", exc_info=error)
            return
        await frontend.fail(interaction, error)


class TutorBot(commands.AutoShardedBot):
    """The Discord bot; ``frontend`` may be None for a bot that only publishes its commands (``sync``)."""

    def __init__(
        self,
        registry: Registry,
        frontend: Frontend | None,
        *,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
    ) -> None:
        sharding: dict[str, Any] = {"shard_ids": list(shard_ids)} if shard_ids else {}
        # A text bot: discord.py's warnings that the voice libraries are missing are noise here.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=discord.Intents(guilds=True),  # nothing privileged: everything arrives as interactions
            tree_cls=TutorTree,
            shard_count=shard_count,
            **sharding,
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=RATE_LIMIT_WAIT,
        )
        self.registry = registry
        self.frontend = frontend

    async def setup_hook(self) -> None:
        """Build the command tree from the registry and register the buttons for any message, old or new."""
        await self.tree.set_translator(TutorTranslator(self.registry))
        handler: CommandHandler = self.frontend if self.frontend is not None else _Unready()
        for command in build_commands(self.registry, handler):
            self.tree.add_command(command)
        self.add_dynamic_items(ActionButton)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Log an error in an event handler with its traceback; the bot keeps serving."""
        log.exception("error in Discord event %s", event_method)


class _Unready:
    """The handler of a bot that only syncs its commands: it never answers."""

    async def on_command(self, interaction: Any, command: Any, values: Any) -> None:
        raise RuntimeError("this bot only publishes its commands")

    async def lesson_choices(self, interaction: Any, typed: str) -> list[app_commands.Choice[str]]:
        return []
