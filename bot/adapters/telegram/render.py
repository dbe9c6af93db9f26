"""Core replies to Telegram messages: pure values, sent by ``sender`` and tested without a network.

Text, code and notices that follow each other share messages (fewer messages, fewer flood waits); a row of
buttons becomes the inline keyboard of the message before it; a multiple-choice question becomes a native
quiz poll where it fits Telegram's limits, else a message with one button per option. A run's output is
always escaped inside ``<pre>``; output too long to read in chat comes as a preview plus a document. Figures
the code drew come as a photo, or as one album (a media group) when there are several.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, replace

from telegram.constants import PollLimit

from bot.adapters.console.plain import run_output, sections
from bot.adapters.telegram.chunks import pack
from bot.adapters.telegram.markup import Block, blocks, escape, inline, plain
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
from sandbox.result import Status

NOTICE_MARKS = {"info": "ℹ️", "warning": "⚠️", "error": "❌", "success": "✅"}
STATUS_MARKS = {Status.OK: "✅", Status.ERROR: "❌", Status.SYNTAX: "❌", Status.DENIED: "⛔"}
INLINE_OUTPUT_LIMIT = 3000  # characters of a run's text shown in chat before it goes to a document
PREVIEW_LINES = 15
PREVIEW_CHARS = 600
KEYBOARD_FALLBACK_TEXT = "⬇️"
PHOTO_MAX_RATIO = 20  # Telegram refuses photos more elongated than this; they go as documents
ALBUM_MAX = 10  # photos in one media group
FIGURE_FILE = "figure-{n}.png"

Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class TextMessage:
    """A message of Telegram HTML, with an inline keyboard below it if any."""

    html: str
    keyboard: Keyboard = ()


@dataclass(frozen=True, slots=True)
class Photo:
    """An image sent as a photo (the autograd graph)."""

    png: bytes
    caption_html: str | None = None


@dataclass(frozen=True, slots=True)
class Album:
    """Several images sent together as one media group of photos (2 to 10)."""

    pngs: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Document:
    """A text file: output too long for chat."""

    data: bytes
    filename: str
    caption_html: str | None = None


@dataclass(frozen=True, slots=True)
class QuizPoll:
    """A native quiz poll; ``actions[i]`` is what answering option ``i`` does."""

    question: str
    options: tuple[str, ...]
    correct_option: int
    actions: tuple[str, ...]
    explanation: str | None = None
    keyboard: Keyboard = ()


Outgoing = TextMessage | Photo | Album | Document | QuizPoll


def render(replies: Sequence[Reply], locale: str) -> list[Outgoing]:
    """Return the messages that show ``replies``, in order."""
    out: list[Outgoing] = []
    pending: list[Block] = []

    def flush() -> None:
        out.extend(TextMessage(message) for message in pack(pending))
        pending.clear()

    for reply in replies:
        if isinstance(reply, Text):
            pending += blocks(show_channels(reply.markdown, _channel))
        elif isinstance(reply, Code):
            pending.append(Block(pre=reply.source.rstrip("\n"), language=reply.language))
        elif isinstance(reply, Notice):
            pending += _notice(reply)
        elif isinstance(reply, RunOutput):
            text_blocks, attachments = run_blocks(reply, locale)
            pending += text_blocks
            if attachments:
                flush()
                out += attachments
        elif isinstance(reply, QuizPrompt):
            poll = quiz_poll(reply)
            if reply.code:
                pending.append(Block(pre=reply.code.rstrip("\n"), language="python"))
            if poll is None:
                pending += blocks(_numbered(reply))
                flush()
                out[-1] = _with_keyboard(out[-1], option_keyboard(reply))
            else:
                flush()
                out.append(poll)
        elif isinstance(reply, Quote):
            pending.append(_quote(reply))
        else:
            flush()
            _attach(out, keyboard(reply))
    flush()
    return out


def _quote(reply: Quote) -> Block:
    """Show a learner's words escaped and untouched by Markdown, under the tutor's caption."""
    said = f"«<i>{escape(reply.text)}</i>» — {escape(reply.author)}"
    return Block(html=f"{inline(reply.caption)}\n{said}" if reply.caption else said)


def _channel(channel_id: str) -> str:
    """Show a channel reference: Telegram groups have no channels to link, so just name it."""
    return f"#{channel_id}"


def _notice(notice: Notice) -> list[Block]:
    found = blocks(show_channels(notice.text, _channel)) or [Block(html="")]
    first = found[0]
    if first.pre is None:
        found[0] = replace(first, html=f"{NOTICE_MARKS[notice.kind]} {first.html}")
    return found


def _attach(out: list[Outgoing], rows: Keyboard) -> None:
    """Put a keyboard under the last message (below any it has), or under a small message of its own."""
    last = out[-1] if out else None
    if isinstance(last, TextMessage | QuizPoll):
        out[-1] = replace(last, keyboard=last.keyboard + rows)
    else:
        out.append(TextMessage(KEYBOARD_FALLBACK_TEXT, rows))


def _with_keyboard(message: Outgoing, rows: Keyboard) -> Outgoing:
    if isinstance(message, TextMessage | QuizPoll):
        return replace(message, keyboard=rows)
    return message  # pragma: no cover - keyboards only follow text and polls


def keyboard(buttons: Buttons) -> Keyboard:
    """Lay buttons out in rows: short labels side by side, long ones on rows of their own."""
    rows: list[tuple[Button, ...]] = []
    row: list[Button] = []
    for button in buttons.buttons:
        if len(button.label) > 20 or len(row) == 3:
            if row:
                rows.append(tuple(row))
            row = []
        row.append(button)
        if len(button.label) > 20:
            rows.append(tuple(row))
            row = []
    if row:
        rows.append(tuple(row))
    return tuple(rows)


def quiz_poll(prompt: QuizPrompt) -> QuizPoll | None:
    """Return the question as a native quiz poll, or None where it does not fit Telegram's limits."""
    question = plain(prompt.question).strip()
    options = tuple(plain(option).strip() for option in prompt.options)
    fits = (
        prompt.correct_option is not None
        and 0 < len(question) <= PollLimit.MAX_QUESTION_LENGTH
        and PollLimit.MIN_OPTION_NUMBER <= len(options) <= PollLimit.MAX_OPTION_NUMBER
        and all(0 < len(option) <= PollLimit.MAX_OPTION_LENGTH for option in options)
    )
    if not fits or prompt.correct_option is None:
        return None
    explanation = plain(prompt.explanation or "").strip() or None
    if explanation is not None and (
        len(explanation) > PollLimit.MAX_EXPLANATION_LENGTH
        or explanation.count("\n") > PollLimit.MAX_EXPLANATION_LINE_FEEDS
    ):
        explanation = None  # the tutor's answer explains it in full anyway
    return QuizPoll(question, options, prompt.correct_option, prompt.actions, explanation)


def _numbered(prompt: QuizPrompt) -> str:
    lines = [prompt.question, ""]
    lines += [f"{n}. {option}" for n, option in enumerate(prompt.options, start=1)]
    return "\n".join([*lines, "", prompt.instruction])


def option_keyboard(prompt: QuizPrompt) -> Keyboard:
    """Return one button per option, numbered as shown."""
    buttons = tuple(
        Button(_label(f"{n}. {plain(option)}"), action)
        for n, (option, action) in enumerate(zip(prompt.options, prompt.actions, strict=True), start=1)
    )
    return tuple((button,) for button in buttons)


def _label(label: str, limit: int = 40) -> str:
    flat = " ".join(label.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def run_blocks(output: RunOutput, locale: str) -> tuple[list[Block], list[Outgoing]]:
    """Return a run's headline and sections, and what goes as attachments (graph photo, full output)."""
    result = output.result
    mark = STATUS_MARKS.get(result.status, "⚠️")
    found = [Block(html=f"{mark} <b>{escape(output.headline)}</b>")]
    attachments: list[Outgoing] = []
    graph_title = translate(locale, "output.graph")
    shown = [
        (title, body)
        for title, body in sections(result, locale)
        if not (output.graph_png and title == graph_title)
    ]
    full = sum(len(body) for _, body in shown)
    too_long = full > INLINE_OUTPUT_LIMIT
    for title, body in shown:
        found.append(Block(html=f"<i>{escape(title)}</i>"))
        found.append(Block(pre=_preview(body) if too_long else body))
    if too_long:
        found.append(Block(html=escape(translate(locale, "telegram.output_attached"))))
        attachments.append(Document(run_output(output, locale).encode(), "output.txt"))
    pictures: list[Outgoing] = []
    if output.graph_png:
        pictures.append(Photo(output.graph_png, escape(translate(locale, "telegram.graph_caption"))))
    pictures += figure_messages(output.figures)
    return found, pictures + attachments


def figure_messages(pngs: Sequence[bytes]) -> list[Outgoing]:
    """Return figures as a photo, or an album when several; one too elongated for a photo, as a file."""
    photos = [png for png in pngs if _photo_shaped(png)]
    documents: list[Outgoing] = [
        Document(png, FIGURE_FILE.format(n=number))
        for number, png in enumerate(pngs, start=1)
        if not _photo_shaped(png)
    ]
    groups = [tuple(photos[start : start + ALBUM_MAX]) for start in range(0, len(photos), ALBUM_MAX)]
    albums: list[Outgoing] = [Album(group) if len(group) > 1 else Photo(group[0]) for group in groups]
    return albums + documents


def _photo_shaped(png: bytes) -> bool:
    """Tell whether a PNG's sides are within the ratio Telegram accepts for photos (from its header)."""
    if len(png) < 24 or not png.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    width, height = (int(side) for side in struct.unpack(">II", png[16:24]))
    if not width or not height:
        return False
    return max(width, height) / min(width, height) <= PHOTO_MAX_RATIO


def _preview(body: str) -> str:
    lines = body.split("\n")
    cut = "\n".join(lines[:PREVIEW_LINES])
    if len(cut) > PREVIEW_CHARS:
        cut = cut[:PREVIEW_CHARS]
    return cut if cut == body else cut.rstrip() + "\n…"
