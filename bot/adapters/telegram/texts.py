"""The few strings only the Telegram front end says, in Chinese and English."""

from __future__ import annotations

from bot.core.i18n import FALLBACK

TEXTS: dict[str, dict[str, str]] = {
    "private_only": {
        "en": "Lessons happen in our private chat, so the group stays quiet. Tap below to continue there.",
        "zh": "课程在私聊中进行，以免打扰群里的其他人。点击下面的按钮到私聊继续。",
    },
    "open_private": {"en": "Open private chat", "zh": "打开私聊"},
    "output_attached": {
        "en": "The output is long: here is the start, and all of it is in the attached output.txt.",
        "zh": "输出内容较长：这里只显示开头部分，完整内容见附件 output.txt。",
    },
    "graph_caption": {"en": "The autograd graph of your result", "zh": "计算结果的自动求导图"},
}


def text(locale: str, key: str) -> str:
    """Return the Telegram-only string ``key`` in ``locale`` (else English)."""
    return TEXTS[key].get(locale) or TEXTS[key][FALLBACK]
