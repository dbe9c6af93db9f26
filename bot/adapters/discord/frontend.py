"""The Discord front end proper: an interaction in, the tutor's replies out.

Every entry point (a slash command, a button, a modal, autocomplete) defers within Discord's 3-second
deadline, asks the core, and sends the rendered replies: in a DM as plain messages; in a server only to
the learner who asked (ephemeral), or in their DMs when the server chose so, except ``/run`` with code,
whose result the channel sees. Nothing pings: every message goes with ``AllowedMentions.none()``.

One error handler, ``fail``: a bug is logged with its traceback and the user gets a short apology; a
Discord rate limit is logged, not crashed on.

Stopping (``drain``) refuses new interactions with a short "restarting" note and lets the ones in flight
finish, within a bound (``inflight``).
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Concatenate, ParamSpec

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.inflight import InFlight
from bot.adapters.discord.outgoing import Outgoing
from bot.adapters.discord.render import NOTICE_COLOURS, NOTICE_ICONS, render
from bot.adapters.discord.tree import PLATFORM
from bot.adapters.discord.views import CODE_LIMIT, CodeModal, action_view
from bot.core.exchange import Answer
from bot.core.i18n import FALLBACK, arg_help, command_help, normalize_locale, translate
from bot.core.ports import PlatformUser
from bot.core.registry import Command, Upload
from bot.core.tutor import ServerRef, Tutor

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
NO_MENTIONS = discord.AllowedMentions.none()

P = ParamSpec("P")
EntryPoint = Callable[Concatenate["DiscordFrontend", Interaction, P], Coroutine[Any, Any, None]]


def _tracked(handler: EntryPoint[P]) -> EntryPoint[P]:
    """Count the handler as in flight while it runs; once draining, refuse the interaction instead."""

    @functools.wraps(handler)
    async def tracked(
        self: DiscordFrontend, interaction: Interaction, /, *args: P.args, **kwargs: P.kwargs
    ) -> None:
        if self.inflight.draining:
            await self.refuse(interaction)
            return
        with self.inflight.track():
            await handler(self, interaction, *args, **kwargs)

    return tracked


class DiscordFrontend:
    """Answers interactions with the tutor; ``lesson_admins`` may upload lessons besides the bot's owner."""

    def __init__(self, tutor: Tutor, *, lesson_admins: frozenset[int] = frozenset()) -> None:
        self.tutor = tutor
        self.lesson_admins = lesson_admins
        self.inflight = InFlight()

    async def drain(self, timeout: float) -> bool:
        """Refuse new interactions and wait up to ``timeout`` s for those in flight; see ``InFlight``."""
        return await self.inflight.drain(timeout)

    @_tracked
    async def on_command(self, interaction: Interaction, command: Command, values: dict[str, Any]) -> None:
        """Answer a slash command; one that takes code or prose and got none asks for it in a modal."""
        try:
            form = command.form_arg
            if form is not None and not values.get(form.name):
                given: dict[str, object] = {n: v for n, v in values.items() if isinstance(v, str | int)}
                await interaction.response.send_modal(self._modal(interaction, command, given))
                return
            ephemeral = _ephemeral(interaction, command)
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            arguments = {name: await _plain(value) for name, value in values.items() if value is not None}
            answer = await self.tutor.invoke(
                _user(interaction),
                command.flat_name,
                arguments,
                server=_server(interaction),
                is_admin=await self._is_admin(interaction, command),
            )
            await self._deliver(interaction, answer, ephemeral, command.lesson_flow)
        except Exception as error:
            await self.fail(interaction, error)

    @_tracked
    async def on_action(self, interaction: Interaction, action: str) -> None:
        """Answer a button press (a lesson's Next, Back, Run, Hint, a quiz option, ...)."""
        try:
            ephemeral = interaction.guild_id is not None
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            answer = await self.tutor.action(_user(interaction), action, server=_server(interaction))
            await self._deliver(interaction, answer, ephemeral, lesson_flow=True)
        except Exception as error:
            await self.fail(interaction, error)

    @_tracked
    async def on_code(
        self, interaction: Interaction, command: str, code: str, given: Mapping[str, object] | None = None
    ) -> None:
        """Answer a form modal: run ``command`` with the text typed in and the options it came with."""
        try:
            found = self.tutor.registry.on(PLATFORM).get(command)
            arg = found.form_arg if found is not None else None
            if found is None or arg is None:  # pragma: no cover - modals are made for form arguments only
                raise LookupError(command)
            ephemeral = _ephemeral(interaction, found)
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
            values = {**(given or {}), arg.name: code}
            answer = await self.tutor.invoke(
                _user(interaction), found.flat_name, values, server=_server(interaction)
            )
            await self._deliver(interaction, answer, ephemeral, found.lesson_flow)
        except Exception as error:
            await self.fail(interaction, error)

    async def lesson_choices(self, interaction: Interaction, typed: str) -> list[app_commands.Choice[str]]:
        """Offer lessons matching what the user typed, with their title and progress."""
        if self.inflight.draining:
            return []
        try:
            with self.inflight.track():
                found = await self.tutor.lesson_choices(_user(interaction), typed)
        except Exception:
            log.exception("lesson autocomplete failed")
            return []
        return [app_commands.Choice(name=choice.label, value=choice.lesson_id) for choice in found]

    async def fail(self, interaction: Interaction, error: Exception) -> None:
        """Log a bug with its traceback and apologise briefly; log a Discord rate limit and move on."""
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original if isinstance(error.original, Exception) else error
        if _rate_limited(error):
            log.warning("Discord rate limit hit while answering %s: %s", _describe(interaction), error)
            return
        log.error("Discord interaction failed: %s", _describe(interaction), exc_info=error)
        locale = normalize_locale(str(interaction.locale)) or FALLBACK
        embed = _notice(translate(locale, "error.internal"), "error")
        try:
            if interaction.response.is_done():
                await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(
                    embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
                )
        except discord.HTTPException:
            log.warning("could not send the apology for %s", _describe(interaction), exc_info=True)

    async def refuse(self, interaction: Interaction) -> None:
        """Tell the user, only them, that the tutor is restarting and to try again in a moment."""
        locale = normalize_locale(str(interaction.locale)) or FALLBACK
        embed = _notice(translate(locale, "error.restarting"), "info")
        try:
            await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not refuse %s while stopping", _describe(interaction), exc_info=True)

    async def _deliver(
        self, interaction: Interaction, answer: Answer, ephemeral: bool, lesson_flow: bool
    ) -> None:
        """Send the answer: in a server, lesson steps go to DMs when its admins chose so."""
        locale = answer.locale
        messages = render(answer.replies, locale)
        server = answer.server
        if ephemeral and lesson_flow and server is not None and server.lessons_in_dm:
            try:
                channel = await interaction.user.create_dm()
                for message in messages:
                    await channel.send(**payload(message), allowed_mentions=NO_MENTIONS)
            except discord.Forbidden:
                messages.insert(0, Outgoing(embeds=[_notice(translate(locale, "dm.closed"), "info")]))
            else:
                messages = [Outgoing(embeds=[_notice(translate(locale, "dm.sent"), "info")])]
        if not messages:
            messages = [Outgoing(content="✅")]
        for message in messages:
            await interaction.followup.send(
                **payload(message), ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, wait=True
            )

    async def _is_admin(self, interaction: Interaction, command: Command) -> bool:
        if command.admin is None:
            return False
        if command.admin == "bot":
            # Lessons are shared by every server: only the bot's owner and the lesson admins.
            if interaction.user.id in self.lesson_admins:
                return True
            client = interaction.client
            return isinstance(client, commands.Bot) and await client.is_owner(interaction.user)
        # A server's own settings: whoever may manage the server (Discord also hides the group from others).
        return interaction.guild_id is not None and interaction.permissions.manage_guild

    def _modal(self, interaction: Interaction, command: Command, given: dict[str, object]) -> CodeModal:
        locale = normalize_locale(str(interaction.locale)) or FALLBACK
        arg = command.form_arg
        title = " ".join([f"/{command.full_name}", *(str(value) for value in given.values())])
        label = arg_help(command, arg, locale) if arg else command_help(command, locale)[0]
        limit = arg.max_length if arg is not None and arg.max_length else CODE_LIMIT
        return CodeModal(command.flat_name, title, label, max_length=limit, given=given)


def _ephemeral(interaction: Interaction, command: Command) -> bool:
    """In a server, only the asker sees replies, except those of public commands (a /run's result)."""
    return interaction.guild_id is not None and not command.public


def _user(interaction: Interaction) -> PlatformUser:
    user = interaction.user
    return PlatformUser(PLATFORM, str(user.id), user.display_name, locale_hint=str(interaction.locale.value))


def _server(interaction: Interaction) -> ServerRef | None:
    if interaction.guild_id is None:
        return None
    channel = str(interaction.channel_id) if interaction.channel_id is not None else None
    return ServerRef(PLATFORM, str(interaction.guild_id), channel)


async def _plain(value: Any) -> object:
    """Return an option's value as the core takes it: attachments as uploads, channels as ids."""
    if isinstance(value, discord.Attachment):
        return Upload(value.filename, await value.read())
    if isinstance(value, discord.abc.Snowflake) and not isinstance(value, int | str):
        return str(value.id)
    return value


def payload(message: Outgoing) -> dict[str, Any]:
    """Return the keyword arguments that send one rendered message."""
    payload: dict[str, Any] = {}
    if message.content is not None:
        payload["content"] = message.content
    if message.embeds:
        payload["embeds"] = message.embeds
    if message.attachments:
        payload["files"] = [
            discord.File(io.BytesIO(a.data), filename=a.filename) for a in message.attachments
        ]
    if message.buttons:
        payload["view"] = action_view(message.buttons)
    return payload


def _notice(text: str, kind: Any) -> discord.Embed:
    return discord.Embed(description=f"{NOTICE_ICONS[kind]} {text}", colour=NOTICE_COLOURS[kind])


def _rate_limited(error: BaseException) -> bool:
    return isinstance(error, discord.RateLimited) or (
        isinstance(error, discord.HTTPException) and error.status == 429
    )


def _describe(interaction: Interaction) -> str:
    data: dict[str, Any] = dict(interaction.data or {})
    what = data.get("name") or data.get("custom_id") or interaction.type.name
    return f"{what!r} from user {interaction.user.id} in guild {interaction.guild_id}"
