"""Send a daily reminder as a direct message; say when the learner cannot be reached."""

from __future__ import annotations

import logging

import discord

from bot.adapters.discord.frontend import NO_MENTIONS, payload
from bot.adapters.discord.render import render
from bot.core.reminders import DeliveryStatus, Reminder

log = logging.getLogger(__name__)


async def send_reminder(client: discord.Client, reminder: Reminder) -> DeliveryStatus:
    """DM the reminder to its Discord user: ``blocked`` if they closed their DMs, blocked us or are gone."""
    try:
        user_id = int(reminder.user_id)
        user = client.get_user(user_id) or await client.fetch_user(user_id)
        channel = await user.create_dm()
        for message in render(list(reminder.replies), reminder.locale):
            await channel.send(**payload(message), allowed_mentions=NO_MENTIONS)
    except (discord.Forbidden, discord.NotFound):
        return "blocked"
    except (discord.HTTPException, ValueError):
        log.warning("could not send a reminder to Discord user %s", reminder.user_id, exc_info=True)
        return "failed"
    return "sent"
