"""Buttons and the form modal (code for /run and /submit, prose such as a review).

Every button is an ``ActionButton``: its custom id is ``tt:`` and the core's action id, so a press is
understood from the id alone. The bot registers the class as a dynamic item, which is why buttons keep
working on messages sent before a restart: nothing about them is kept in memory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

import discord

from bot.adapters.discord.outgoing import ActionSpec, ButtonStyle

PREFIX = "tt:"
CODE_LIMIT = 4000
_STYLES: dict[ButtonStyle, discord.ButtonStyle] = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}

Interaction = discord.Interaction[Any]


class Handler(Protocol):
    """What buttons and modals call: the front end."""

    async def on_action(self, interaction: Interaction, action: str) -> None:
        """Answer a button press."""
        ...

    async def on_code(
        self, interaction: Interaction, command: str, code: str, given: Mapping[str, object] | None = None
    ) -> None:
        """Answer a submitted form: ``code`` is the text typed in, ``given`` the command's other options."""
        ...

    async def fail(self, interaction: Interaction, error: Exception) -> None:
        """Log a bug and apologise."""
        ...


def handler_of(interaction: Interaction) -> Handler:
    """Return the front end of the bot that received ``interaction``."""
    return cast(Handler, interaction.client.frontend)


class ActionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.escape(PREFIX) + r"(?P<action>\S{1,64})",
):
    """A button that sends a core action id back to the tutor."""

    def __init__(self, action: str, label: str = "…", style: ButtonStyle = "secondary") -> None:
        super().__init__(discord.ui.Button(label=label, style=_STYLES[style], custom_id=PREFIX + action))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionButton:
        """Rebuild the button from its custom id (after a restart, or for any press)."""
        label = item.label if isinstance(item, discord.ui.Button) and item.label else "…"
        return cls(match["action"], label)

    async def callback(self, interaction: Interaction) -> None:
        """Hand the press to the front end."""
        await handler_of(interaction).on_action(interaction, self.action)


def action_view(buttons: Sequence[ActionSpec]) -> discord.ui.View:
    """Return a view holding these buttons, five to a row."""
    view = discord.ui.View(timeout=None)
    for index, spec in enumerate(buttons):
        item = ActionButton(spec.action, spec.label, spec.style)
        item.item.row = index // 5
        view.add_item(item)
    return view


class CodeModal(discord.ui.Modal):
    """Asks in a multi-line field for what a command was typed without: code (/run, /submit) or prose.

    ``max_length`` is the field's limit (a review's 300 characters; code's 4000); ``given`` keeps the
    options the command came with (the lesson a review is for), to run it with them and the text.
    """

    def __init__(
        self,
        command: str,
        title: str,
        label: str,
        *,
        max_length: int = CODE_LIMIT,
        given: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(title=title[:45], timeout=900)
        self.command = command
        self.given = dict(given or {})
        self.code: discord.ui.TextInput[CodeModal] = discord.ui.TextInput(
            label=label[:45],
            style=discord.TextStyle.paragraph,
            max_length=min(max_length, CODE_LIMIT),
            custom_id="code",
        )
        self.add_item(self.code)

    async def on_submit(self, interaction: Interaction, /) -> None:
        """Run the command with the text typed in."""
        await handler_of(interaction).on_code(interaction, self.command, self.code.value, self.given)

    async def on_error(self, interaction: Interaction, error: Exception, /) -> None:  # type: ignore[override]
        """Send a bug in the modal to the one error handler."""
        await handler_of(interaction).fail(interaction, error)
