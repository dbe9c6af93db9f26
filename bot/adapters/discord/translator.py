"""Localize the app commands' descriptions for Discord clients in Chinese and English.

The strings are the registry's own (English docstrings and ``Arg.help``) and the core's Chinese help. Names
stay English on purpose: the tutor's messages, lessons and other front ends all refer to commands by
their English names (``/next``), and a Chinese client showing ``/下一步`` would contradict them.
"""

from __future__ import annotations

from typing import Any

from discord import Locale, app_commands

from bot.core.i18n import FALLBACK, LANGUAGES, arg_help, command_help, group_help
from bot.core.registry import Registry

DESCRIPTION_LIMIT = 100


def short(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Return ``text`` on one line within Discord's description limit."""
    text = " ".join(text.split()) or "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def command_text(flat_name: str, english: str) -> app_commands.locale_str:
    """Return a command's description, marked for translation."""
    return app_commands.locale_str(short(english), command=flat_name)


def group_text(group: str) -> app_commands.locale_str:
    """Return a command group's description, marked for translation."""
    return app_commands.locale_str(group_help(group, FALLBACK), group=group)


def arg_text(flat_name: str, arg: str, english: str) -> app_commands.locale_str:
    """Return an option's description, marked for translation."""
    return app_commands.locale_str(short(english), command=flat_name, arg=arg)


class TutorTranslator(app_commands.Translator):
    """Give each description in every language the tutor speaks (zh-CN and zh-TW take zh), from its help."""

    def __init__(self, registry: Registry) -> None:
        self._registry = registry

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContext[Any, Any],
    ) -> str | None:
        """Return ``string`` in ``locale``, or None to leave Discord's default."""
        if context.location not in (
            app_commands.TranslationContextLocation.command_description,
            app_commands.TranslationContextLocation.group_description,
            app_commands.TranslationContextLocation.parameter_description,
        ):
            return None
        language = str(locale.value).lower().split("-")[0]
        if language not in LANGUAGES:
            return None  # Discord shows its default (English) description
        if language == FALLBACK:
            return string.message
        if "group" in string.extras:
            return short(group_help(string.extras["group"], language))
        command = self._registry.get(string.extras.get("command", ""))
        if command is None:
            return None
        arg = next((a for a in command.args if a.name == string.extras.get("arg")), None)
        if arg is not None:
            return short(arg_help(command, arg, language))
        return short(command_help(command, language)[0])
