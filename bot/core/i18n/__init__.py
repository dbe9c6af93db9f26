"""Every user-facing string of the tutor, in Chinese and English, and how a learner's language is chosen.

The strings live in ``messages`` (keyed messages) and ``command_help`` (Chinese command help); the
server-admin commands keep theirs in ``admin_messages``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bot.core.i18n.admin_messages import (
    ADMIN_ARG_HELP_ZH,
    ADMIN_COMMAND_HELP_ZH,
    ADMIN_MESSAGES,
    PRESENTATION_MESSAGES,
)
from bot.core.i18n.command_help import ARG_HELP_ZH as _ARG_HELP_ZH
from bot.core.i18n.command_help import COMMAND_HELP_ZH as _COMMAND_HELP_ZH
from bot.core.i18n.messages import MESSAGES as _MESSAGES

if TYPE_CHECKING:
    from bot.core.ports import Learner, PlatformUser, ServerSettings
    from bot.core.registry import Arg, Command

# The server-admin strings live in their own module; every lookup goes through these merged tables.
MESSAGES: dict[str, dict[str, str]] = {**_MESSAGES, **ADMIN_MESSAGES, **PRESENTATION_MESSAGES}
COMMAND_HELP_ZH: dict[str, tuple[str, str]] = {**_COMMAND_HELP_ZH, **ADMIN_COMMAND_HELP_ZH}
ARG_HELP_ZH: dict[tuple[str, str], str] = {**_ARG_HELP_ZH, **ADMIN_ARG_HELP_ZH}

LANGUAGES: tuple[str, ...] = ("zh", "en")
FALLBACK = "en"
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

__all__ = [
    "ARG_HELP_ZH",
    "COMMAND_HELP_ZH",
    "FALLBACK",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "MESSAGES",
    "arg_help",
    "command_help",
    "locale_for",
    "normalize_locale",
    "pick",
    "translate",
]


def translate(locale: str, key: str, **params: object) -> str:
    """Return message ``key`` in ``locale`` (else English) with ``params`` filled in."""
    texts = MESSAGES[key]
    text = texts.get(locale) or texts[FALLBACK]
    return text.format(**params) if params else text


def pick(text: Mapping[Any, str] | None, locale: str) -> str:
    """Return lesson text in ``locale``, else English, else any language it has."""
    if not text:
        return ""
    found = text.get(locale) or text.get(FALLBACK)
    return found if found else next(iter(text.values()))


def normalize_locale(hint: str | None) -> str | None:
    """Map a platform locale (``zh-CN``, ``zh_TW.UTF-8``, ``en-US``, ``fr``) to zh or en; None if absent."""
    if not hint or not hint.strip():
        return None
    return "zh" if hint.strip().lower().replace("_", "-").split("-")[0] == "zh" else "en"


def locale_for(
    learner: Learner | None,
    user: PlatformUser,
    server: ServerSettings | None,
    default: str,
    languages: Sequence[str] = LANGUAGES,
) -> str:
    """Choose a learner's language: their /lang choice, the platform's hint, the server's, the default."""
    for candidate in (
        learner.locale if learner else None,
        normalize_locale(user.locale_hint),
        server.locale if server else None,
        default,
    ):
        if candidate is not None and candidate in languages:
            return candidate
    return FALLBACK if FALLBACK in languages else languages[0]


def command_help(command: Command, locale: str) -> tuple[str, str]:
    """Return a command's short help and details in ``locale``."""
    if locale == "zh" and command.flat_name in COMMAND_HELP_ZH:
        return COMMAND_HELP_ZH[command.flat_name]
    return command.help, command.details


def arg_help(command: Command, arg: Arg, locale: str) -> str:
    """Return an argument's description in ``locale``."""
    if locale == "zh":
        return ARG_HELP_ZH.get((command.flat_name, arg.name), arg.help)
    return arg.help
