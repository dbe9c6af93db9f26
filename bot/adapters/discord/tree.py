"""Build the app command tree from the core's registry: one slash command per registry command.

Each command's options come from its ``Arg``s (typed, described, with choices; lesson ids autocomplete);
grouped commands become subcommands (``/admin upload``). The admin group needs Manage Server by default
and exists only in servers; the rest work in servers, in DMs with the bot and as a user-installed app.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.adapters.discord.translator import arg_text, command_text, group_text
from bot.core.registry import Arg, ArgType, Command, Registry

Interaction = discord.Interaction[Any]
AppCommand = app_commands.Command[Any, ..., Any]
Built = AppCommand | app_commands.Group

PLATFORM = "discord"
_NON_TEXT: dict[ArgType, Any] = {"int": int, "file": discord.Attachment, "channel": discord.TextChannel}
"""Option types other than text; every other argument is typed as a string."""
EVERYWHERE_CONTEXTS = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
EVERYWHERE_INSTALLS = app_commands.AppInstallationType(guild=True, user=True)


class CommandHandler(Protocol):
    """What the generated commands call: the front end."""

    async def on_command(self, interaction: Interaction, command: Command, values: dict[str, Any]) -> None:
        """Answer an app command with its option values."""
        ...

    async def lesson_choices(self, interaction: Interaction, typed: str) -> list[app_commands.Choice[str]]:
        """Return the lessons to offer for what the user typed."""
        ...


def build_commands(registry: Registry, handler: CommandHandler) -> list[Built]:
    """Return the top-level app commands and groups for every command of ``registry`` Discord has."""
    built: list[Built] = []
    groups: dict[str, app_commands.Group] = {}
    for command in registry.on(PLATFORM):
        if command.group is None:
            built.append(_command(command, handler))
            continue
        group = groups.get(command.group)
        if group is None:
            group = _group(command.group)
            groups[command.group] = group
            built.append(group)
        group.add_command(_command(command, handler))
    return built


def _group(name: str) -> app_commands.Group:
    # Admin groups: server only, Manage Server by default (server admins may grant them to other roles).
    return app_commands.Group(
        name=name,
        description=group_text(name),
        default_permissions=discord.Permissions(manage_guild=True),
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True),
        guild_only=True,
    )


def _command(command: Command, handler: CommandHandler) -> AppCommand:
    callback = _callback(command, handler)
    kwargs: dict[str, Any] = {}
    if command.group is None:
        kwargs = {"allowed_contexts": EVERYWHERE_CONTEXTS, "allowed_installs": EVERYWHERE_INSTALLS}
    built: AppCommand = app_commands.Command(
        name=command.name,
        description=command_text(command.flat_name, command.help),
        callback=callback,
        **kwargs,
    )
    for arg in command.args:
        if arg.names_lesson:
            built.autocomplete(arg.name)(_autocomplete(handler))
    return built


def _callback(command: Command, handler: CommandHandler) -> Callable[..., Coroutine[Any, Any, None]]:
    """Return a callback whose signature tells discord.py the command's options."""

    async def callback(interaction: Interaction, **values: Any) -> None:
        await handler.on_command(interaction, command, values)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    # Discord lists required options first.
    for arg in sorted(command.args, key=lambda a: not discord_required(a)):
        annotation = _NON_TEXT.get(arg.type, str)
        required = discord_required(arg)
        parameters.append(
            inspect.Parameter(
                arg.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation if required else annotation | None,
                default=inspect.Parameter.empty if required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        arg.name: arg_text(command.flat_name, arg.name, arg.help) for arg in command.args
    }
    callback.__discord_app_commands_param_choices__ = {  # type: ignore[attr-defined]
        arg.name: [app_commands.Choice(name=choice, value=choice) for choice in arg.choices]
        for arg in command.args
        if arg.type == "choice"
    }
    callback.__name__ = command.flat_name
    callback.__qualname__ = command.flat_name
    return callback


def _autocomplete(
    handler: CommandHandler,
) -> Callable[[Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def complete(interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await handler.lesson_choices(interaction, current)

    return complete


def discord_required(arg: Arg) -> bool:
    """Return whether Discord should require the option: code and prose never are, a modal asks instead."""
    return arg.required_on(PLATFORM)
