"""Send rendered messages with the Bot API; remember which actions the options of recent quiz polls mean."""

from __future__ import annotations

import html
import logging
import re
from typing import Any, Protocol, cast

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    LinkPreviewOptions,
    Message,
    Poll,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.adapters.telegram.render import Album, Document, Keyboard, Outgoing, Photo, QuizPoll, TextMessage

logger = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class PollBook(Protocol):
    """Which action each option of a sent quiz poll stands for."""

    async def remember(self, poll_id: str, actions: tuple[str, ...]) -> None:
        """Record the actions of a poll just sent."""
        ...

    async def action(self, poll_id: str, option: int) -> str | None:
        """Return the action of option ``option`` of a poll, or None if the poll is unknown."""
        ...


def markup(rows: Keyboard) -> InlineKeyboardMarkup | None:
    """Return an inline keyboard whose buttons send their action ids as ``callback_data``."""
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(button.label, callback_data=button.action) for button in row] for row in rows]
    )


async def send_all(bot: Bot, chat_id: int, messages: list[Outgoing], polls: PollBook) -> None:
    """Send the messages to one chat, in order."""
    for message in messages:
        if isinstance(message, TextMessage):
            await send_html(bot, chat_id, message.html, markup(message.keyboard))
        elif isinstance(message, Photo):
            await bot.send_photo(
                chat_id, message.png, caption=message.caption_html, parse_mode=ParseMode.HTML
            )
        elif isinstance(message, Album):
            await bot.send_media_group(chat_id, [InputMediaPhoto(png) for png in message.pngs])
        elif isinstance(message, Document):
            await bot.send_document(
                chat_id,
                message.data,
                filename=message.filename,
                caption=message.caption_html,
                parse_mode=ParseMode.HTML,
            )
        else:
            await _send_poll(bot, chat_id, message, polls)


async def send_html(
    bot: Bot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Send one HTML message; if Telegram cannot parse it (odd Markdown), send its text plainly instead."""
    try:
        return await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=reply_markup,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as error:
        if "entit" not in str(error).lower():
            raise
        logger.warning("Telegram could not parse our HTML (%s); sending plain text", error)
        return await bot.send_message(
            chat_id, visible_text(text), reply_markup=reply_markup, link_preview_options=NO_PREVIEW
        )


def visible_text(markup_html: str) -> str:
    """Return what our HTML shows, without tags or entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup_html))


async def _send_poll(bot: Bot, chat_id: int, poll: QuizPoll, polls: PollBook) -> None:
    sent = await bot.send_poll(
        chat_id,
        poll.question,
        list(poll.options),
        is_anonymous=False,  # the tutor must learn who answered, to record it
        type=Poll.QUIZ,
        correct_option_ids=[cast(Any, poll.correct_option)],  # PTB types option numbers as literals
        explanation=poll.explanation,
        reply_markup=markup(poll.keyboard),
    )
    if sent.poll is not None:
        await polls.remember(sent.poll.id, poll.actions)
