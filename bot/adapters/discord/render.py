"""Turn the tutor's replies into Discord messages: embeds for prose, code blocks, buttons, run results."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.adapters.discord.outgoing import MAX_BUTTONS, ActionSpec, ButtonStyle, Outgoing
from bot.adapters.discord.run_render import render_run
from bot.adapters.discord.sanitize import escape_stray_fences, fenced, plain_markdown
from bot.adapters.discord.split import EMBED_DESCRIPTION_LIMIT, split_message
from bot.core.actions import BACK, NEXT, ActionRole, action_role
from bot.core.errors import NoticeKind
from bot.core.i18n import translate
from bot.core.replies import (
    Button,
    Buttons,
    Code,
    Notice,
    QuizPrompt,
    Quote,
    Reply,
    RunOutput,
    Text,
    show_channels,
)

BRAND = discord.Colour(0xEE4C2C)  # PyTorch orange
NOTICE_COLOURS: dict[NoticeKind, discord.Colour] = {
    "info": discord.Colour.blurple(),
    "success": discord.Colour.green(),
    "warning": discord.Colour.gold(),
    "error": discord.Colour.red(),
}
NOTICE_ICONS: dict[NoticeKind, str] = {"info": "ℹ️", "success": "✅", "warning": "⚠️", "error": "❌"}
BUTTON_LABEL = 80
_STYLES: dict[ActionRole, ButtonStyle] = {"forward": "primary", "execute": "success", "destructive": "danger"}


def render(replies: Sequence[Reply], locale: str) -> list[Outgoing]:
    """Return the messages that show ``replies``, in order; buttons go with the message before them."""
    messages: list[Outgoing] = []
    for reply in replies:
        match reply:
            case Text(markdown):
                body = escape_stray_fences(show_channels(markdown, _mention))
                for chunk in split_message(body, EMBED_DESCRIPTION_LIMIT):
                    _add_embed(messages, discord.Embed(description=chunk, colour=BRAND))
            case Notice(text, kind):
                body = f"{NOTICE_ICONS[kind]} {escape_stray_fences(show_channels(text, _mention))}"
                for chunk in split_message(body, EMBED_DESCRIPTION_LIMIT):
                    _add_embed(messages, discord.Embed(description=chunk, colour=NOTICE_COLOURS[kind]))
            case Code(source, language):
                lang = language if language.isidentifier() else ""
                messages += [Outgoing(content=chunk) for chunk in split_message(fenced(source, lang))]
            case QuizPrompt():
                _add_quiz(messages, reply)
            case Buttons(buttons):
                _add_buttons(messages, [*_with_back(buttons, locale)])
            case RunOutput():
                messages += render_run(reply, locale)
            case Quote(text, author, caption):
                said = f"“*{plain_markdown(text)}*” — {plain_markdown(author)}"
                body = f"{show_channels(caption, _mention)}\n{said}" if caption else said
                _add_embed(messages, discord.Embed(description=body[:EMBED_DESCRIPTION_LIMIT], colour=BRAND))
    return messages


def _mention(channel_id: str) -> str:
    # <#id> is how Discord links a channel; it never notifies anyone.
    return f"<#{channel_id}>"


def _add_embed(messages: list[Outgoing], embed: discord.Embed) -> None:
    if messages and messages[-1].fits(embed):
        messages[-1].embeds.append(embed)
    else:
        messages.append(Outgoing(embeds=[embed]))


def _add_quiz(messages: list[Outgoing], quiz: QuizPrompt) -> None:
    lines = [escape_stray_fences(quiz.question)]
    if quiz.code:
        lines.append(fenced(quiz.code, "python"))
    lines += [f"**{number}.** {escape_stray_fences(option)}" for number, option in enumerate(quiz.options, 1)]
    body = "\n".join(lines)
    chunks = split_message(body, EMBED_DESCRIPTION_LIMIT)
    for chunk in chunks:
        _add_embed(messages, discord.Embed(description=chunk, colour=BRAND))
    buttons = [
        ActionSpec(_label(f"{number}. {option}"), action)
        for number, (option, action) in enumerate(zip(quiz.options, quiz.actions, strict=True), 1)
    ]
    _add_buttons(messages, buttons)


def _add_buttons(messages: list[Outgoing], buttons: list[ActionSpec]) -> None:
    if not buttons:
        return
    last = messages[-1] if messages else None
    if last is None or len(last.buttons) + len(buttons) > MAX_BUTTONS:
        last = Outgoing()
        messages.append(last)
    last.buttons.extend(buttons)


def _with_back(buttons: Sequence[Button], locale: str) -> list[ActionSpec]:
    """Return the buttons as specs, with a Back button before Next (a lesson step's row)."""
    specs: list[ActionSpec] = []
    actions = {button.action for button in buttons}
    for button in buttons:
        if button.action == NEXT and BACK not in actions:
            specs.append(ActionSpec(translate(locale, "button.back"), BACK, "secondary"))
        role = action_role(button.action)
        style = _STYLES.get(role, "secondary") if role is not None else "secondary"
        specs.append(ActionSpec(_label(button.label), button.action, style))
    return specs


def _label(text: str) -> str:
    text = " ".join(text.split()) or "…"
    return text if len(text) <= BUTTON_LABEL else text[: BUTTON_LABEL - 1] + "…"
