"""One Discord message to send, before it becomes API calls: text, embeds, attachments and buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import discord

ButtonStyle = Literal["primary", "secondary", "success", "danger"]

MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_BUTTONS = 25
BUTTONS_PER_ROW = 5


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """A button that sends ``action`` back to the tutor."""

    label: str
    action: str
    style: ButtonStyle = "secondary"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to attach; ``discord.File`` objects are single-use, so they are made at send time."""

    filename: str
    data: bytes


@dataclass(slots=True)
class Outgoing:
    """One message: its content, embeds, attachments and buttons."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    buttons: list[ActionSpec] = field(default_factory=list)

    def fits(self, embed: discord.Embed) -> bool:
        """Return whether one more embed keeps this message within Discord's limits."""
        if self.content is not None or len(self.embeds) >= MAX_EMBEDS or self.buttons:
            return False
        return sum(len(e) for e in self.embeds) + len(embed) <= MAX_EMBED_TOTAL
