"""``tutor discord`` runs the bot; ``tutor discord sync [--guild ID]`` publishes its slash commands."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings

TOKEN_VARIABLE = "TUTOR_DISCORD__TOKEN"


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the ``discord`` subcommand."""
    parser = subparsers.add_parser(
        "discord",
        help="run the Discord bot, or publish its slash commands",
        description=f"Run the Discord bot (token from {TOKEN_VARIABLE}). "
        "'tutor discord sync' publishes the slash commands instead; do it after commands change.",
    )
    parser.add_argument("action", nargs="?", choices=("sync",), help="publish the slash commands and exit")
    parser.add_argument(
        "--guild", type=int, help="with sync: publish to this server only (instant, for testing)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the bot or sync its commands; return the exit code."""
    token = settings.discord.token.get_secret_value().strip() if settings.discord.token else ""
    if not token:
        print(
            f"tutor: {TOKEN_VARIABLE} is not set; create a bot token in Discord's developer portal",
            file=sys.stderr,
        )
        return 2
    import discord

    from bot.app.serve import serve

    if args.action == "sync":
        import aiohttp

        from bot.adapters.discord.service import unreachable

        try:
            return asyncio.run(sync(token, args.guild))
        except discord.LoginFailure:
            print(f"tutor: Discord rejected the token in {TOKEN_VARIABLE}", file=sys.stderr)
            return 1
        except (aiohttp.ClientError, OSError) as error:
            print(f"tutor: cannot reach Discord: {unreachable(error)}", file=sys.stderr)
            return 1
    # The same path as `tutor serve`: SIGTERM drains the commands in flight before the database closes.
    return asyncio.run(serve(settings, ["discord"]))


async def sync(token: str, guild_id: int | None) -> int:
    """Publish the command tree globally, or to one server; print what was published."""
    import discord

    from bot.adapters.discord.client import TutorBot
    from bot.core.commands import build_registry

    bot = TutorBot(build_registry(), None)
    async with bot:
        await bot.login(token)  # runs setup_hook, which builds the tree
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        published = await bot.tree.sync(guild=guild)
    where = f"server {guild_id}" if guild_id is not None else "every server (global; may take up to an hour)"
    print(f"published {len(published)} commands to {where}")
    return 0
