"""Telegram updates in, core replies out: commands, plain messages, button presses and poll answers.

Private chats get everything. In groups the bot answers only the commands whose registry entry allows
groups (``in_groups``) and points everything else, lessons first, to the private chat. A group's
administrators (asked of Telegram) count as admins for the commands of the ``server`` admin scope there:
``/admin_sandbox on|off`` allows or forbids ``/run`` in the group. A ``private`` command's answer goes to
the asker's private chat, and the group is told where it went.
"""

from __future__ import annotations

import logging
import re

from telegram import (
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.adapters.telegram.markup import escape
from bot.adapters.telegram.render import render
from bot.adapters.telegram.sender import NO_PREVIEW, PollBook, send_all, send_html
from bot.core.actions import moves_on
from bot.core.arguments import bind_text
from bot.core.errors import UserError
from bot.core.exchange import Answer
from bot.core.i18n import normalize_locale, translate
from bot.core.parsing import parse_command
from bot.core.ports import PlatformUser
from bot.core.registry import Command, Registry
from bot.core.tutor import Incoming, ServerRef, Tutor

logger = logging.getLogger(__name__)

PLATFORM = "telegram"
_MARKDOWN_LINK_CHARS = re.compile(r"[\[\]()*_`<>]")
_CODE_CLASS = re.compile(r'<pre><code class="(?!language-)([^"]+)">')
Context = ContextTypes.DEFAULT_TYPE


def platform_user(user: User) -> PlatformUser:
    """Return the Telegram user as the tutor knows them.

    The name goes into Markdown greetings, so the characters that would make it markup or a link are
    dropped: a display name is the one thing a stranger fully controls.
    """
    name = _MARKDOWN_LINK_CHARS.sub("", user.full_name).strip() or str(user.id)
    return PlatformUser(PLATFORM, str(user.id), name, locale_hint=user.language_code)


class StoredPolls:
    """The polls' actions, kept in the tutor's store.

    So a vote after a restart, or one that reaches another bot process, is understood.
    """

    def __init__(self, tutor: Tutor) -> None:
        self._tutor = tutor

    async def remember(self, poll_id: str, actions: tuple[str, ...]) -> None:
        """Record the actions of a poll just sent."""
        await self._tutor.remember_poll(PLATFORM, poll_id, actions)

    async def action(self, poll_id: str, option: int) -> str | None:
        """Return the action of option ``option`` of a poll, or None if the poll is unknown."""
        return await self._tutor.poll_action(PLATFORM, poll_id, option)


class TelegramHandlers:
    """The handler callbacks; one tutor, one poll book."""

    def __init__(self, tutor: Tutor, polls: PollBook, default_locale: str) -> None:
        self._tutor = tutor
        self._registry: Registry = tutor.registry.on(PLATFORM)
        self._polls = polls
        self._default_locale = default_locale

    def locale(self, user: User | None) -> str:
        """Return the language for the front end's own strings when the learner's choice is unknown."""
        hint = normalize_locale(user.language_code) if user else None
        return hint or self._default_locale

    async def learner_locale(self, user: User) -> str:
        """Return the learner's language as the tutor decides it (``/lang`` first, then Telegram's)."""
        return (await self._tutor.presentation(platform_user(user))).locale

    async def on_command(self, update: Update, context: Context) -> None:
        """Answer a command (or a plain message in a private chat)."""
        message, chat, user = update.effective_message, update.effective_chat, update.effective_user
        if message is None or chat is None or user is None or not message.text:
            return
        line = message.text
        parsed = parse_command(line)
        resolved = self._registry.resolve(parsed.name, parsed.rest) if parsed else None
        command = resolved[0] if resolved else None
        in_group = chat.type != Chat.PRIVATE
        if in_group and parsed is not None and not self._suits_group(parsed.name, command):
            await self._to_private(context, chat.id, user, command, resolved[1] if resolved else "")
            return
        if command is not None and command.takes_code and parsed is not None and not parsed.rest:
            line = _with_replied_code(line, message)
        is_admin = (
            in_group
            and command is not None
            and command.admin == "server"
            and await _is_chat_admin(context, chat, user)
        )
        server = ServerRef(PLATFORM, str(chat.id)) if in_group else None
        answer = await self._tutor.handle(
            Incoming(platform_user(user), line, server=server, is_admin=is_admin)
        )
        if in_group and command is not None and command.private:
            await self._send_privately(context, chat.id, user, answer)
            return
        await self._send(context, chat.id, answer)

    async def on_other(self, update: Update, context: Context) -> None:
        """Answer a message that is not text (a sticker, a photo...) in a private chat: send a command."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or user is None:
            return
        locale = await self.learner_locale(user)
        await send_html(context.bot, chat.id, escape(translate(locale, "telegram.text_only")))

    async def on_callback(self, update: Update, context: Context) -> None:
        """Answer a button press, then note the choice on the message that carried it."""
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.data is None:
            return
        await query.answer()  # stop the client's spinner first; the tutor may take a while
        message = query.message if isinstance(query.message, Message) else None
        chat = message.chat if message is not None else None
        server = ServerRef(PLATFORM, str(chat.id)) if chat and chat.type != Chat.PRIVATE else None
        answer = await self._tutor.action(platform_user(user), query.data, server=server)
        if message is not None and moves_on(query.data):
            # The message keeps a note of the choice and loses its keyboard; Run, Hint and quiz options
            # stay pressable, so a learner can run again, ask for more hints or answer again.
            await _note_choice(message, query.data)
        await self._send(context, chat.id if chat else user.id, answer)

    async def on_poll_answer(self, update: Update, context: Context) -> None:
        """Record an answer to a quiz poll and reply in the learner's private chat."""
        answer = update.poll_answer
        if answer is None or answer.user is None or not answer.option_ids:
            return  # an anonymous voter, or a retracted vote
        action = await self._polls.action(answer.poll_id, answer.option_ids[0])
        if action is None:
            return
        reply = await self._tutor.action(platform_user(answer.user), action)
        await self._send(context, answer.user.id, reply)

    async def on_error(self, update: object, context: Context) -> None:
        """Log a bug with its traceback and tell the learner, politely, that it was on our side."""
        logger.error("Telegram update failed: %r", update, exc_info=context.error)
        if not isinstance(update, Update):
            return
        chat_id = update.effective_chat.id if update.effective_chat else None
        if chat_id is None and update.poll_answer and update.poll_answer.user:
            chat_id = update.poll_answer.user.id
        if chat_id is None:
            return
        locale = self.locale(update.effective_user)
        try:
            await send_html(context.bot, chat_id, escape("❌ " + translate(locale, "error.internal")))
        except TelegramError:
            logger.exception("could not tell chat %s about the failure", chat_id)

    def _suits_group(self, name: str, command: Command | None) -> bool:
        """Tell whether to answer a command in a group; a group name without its subcommand gets help."""
        return command.in_groups if command is not None else name in self._registry.groups

    async def _to_private(
        self, context: Context, chat_id: int, user: User, command: Command | None, rest: str
    ) -> None:
        locale = await self.learner_locale(user)
        link = f"https://t.me/{context.bot.username}"
        lesson = _lesson_named(command, rest)
        if lesson is not None and re.fullmatch(r"[a-z0-9-]{1,32}", lesson):
            link += f"?start={lesson}"  # the private chat then opens with /start <lesson>
        button = InlineKeyboardButton(translate(locale, "telegram.open_private"), url=link)
        await context.bot.send_message(
            chat_id,
            escape(translate(locale, "telegram.private_only")),
            parse_mode=ParseMode.HTML,
            reply_markup=InlineKeyboardMarkup([[button]]),
            link_preview_options=NO_PREVIEW,
        )

    async def _send_privately(self, context: Context, group_id: int, user: User, answer: Answer) -> None:
        """Send an answer to the asker's private chat; tell the group it went there, or how to open one."""
        try:
            await self._send(context, user.id, answer)
        except Forbidden:  # they never started a private chat with the bot, or blocked it
            link = f"https://t.me/{context.bot.username}"
            button = InlineKeyboardButton(translate(answer.locale, "telegram.open_private"), url=link)
            await context.bot.send_message(
                group_id,
                escape(translate(answer.locale, "telegram.private_first")),
                parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup([[button]]),
                link_preview_options=NO_PREVIEW,
            )
            return
        await send_html(context.bot, group_id, escape(translate(answer.locale, "telegram.sent_private")))

    async def _send(self, context: Context, chat_id: int, answer: Answer) -> None:
        await send_all(context.bot, chat_id, render(answer.replies, answer.locale), self._polls)


def _lesson_named(command: Command | None, rest: str) -> str | None:
    """Return the lesson a lesson-flow command refused in a group names, to open it in the private chat."""
    if command is None or not command.lesson_flow:
        return None
    try:
        bound = bind_text(command, rest)
    except UserError:
        return None
    lesson = next((bound.get(arg.name) for arg in command.args if arg.names_lesson), None)
    return lesson if isinstance(lesson, str) else None


def _with_replied_code(line: str, message: Message) -> str:
    """Take the code of ``/run`` or ``/submit`` from the message replied to, when none follows."""
    replied = message.reply_to_message
    code = (replied.text or replied.caption) if replied is not None else None
    return f"{line}\n{code}" if code else line


async def _is_chat_admin(context: Context, chat: Chat, user: User) -> bool:
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        logger.warning("could not check whether %s administers chat %s", user.id, chat.id, exc_info=True)
        return False
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def _with_code_languages(text_html: str) -> str:
    """Return a message's HTML with its code blocks' languages as Telegram reads them when sent.

    python-telegram-bot writes a block's language as ``class="python"``; Telegram only reads
    ``class="language-python"``, so an edit would otherwise drop the highlighting.
    """
    return _CODE_CLASS.sub(r'<pre><code class="language-\1">', text_html)


async def _note_choice(message: Message, action: str) -> None:
    """Replace the pressed message's keyboard by a note of the button chosen."""
    label = next(
        (
            button.text
            for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
            for button in row
            if button.callback_data == action
        ),
        None,
    )
    try:
        if message.text and label:
            await message.edit_text(
                f"{_with_code_languages(message.text_html)}\n\n<i>› {escape(label)}</i>",
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
            )
        else:
            await message.edit_reply_markup(None)
    except BadRequest:  # too long with the note, or already edited by an earlier press
        logger.debug("could not note the choice on message %s", message.message_id, exc_info=True)
