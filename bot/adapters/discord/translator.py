"""Localize the app commands' descriptions for Discord clients in Chinese and English.

The strings are the registry's own (English docstrings and ``Arg.help``) and the core's Chinese help. Names
stay English on purpose: the tutor's messages, lessons and other front ends all refer to commands by
their English names (``/next``), and a Chinese client showing ``/下一步`` would contradict them.
"""

from __future__ import annotations

from typing import Any

from discord import Locale, app_commands

from bot.core.i18n import ARG_HELP_ZH, COMMAND_HELP_ZH, translate

DESCRIPTION_LIMIT = 100
CHINESE = frozenset({Locale.chinese, Locale.taiwan_chinese})
ENGLISH = frozenset({Locale.american_english, Locale.british_english})
GROUP_HELP = {"admin": "help.admin"}  # a command group's description, as a message key


def short(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Return ``text`` on one line within Discord's description limit."""
    text = " ".join(text.split()) or "…"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def command_text(flat_name: str, english: str) -> app_commands.locale_str:
    """Return a command's description, marked for translation."""
    return app_commands.locale_str(short(english), command=flat_name)


def group_text(group: str) -> app_commands.locale_str:
    """Return a command group's description, marked for translation."""
    return app_commands.locale_str(translate("en", GROUP_HELP.get(group, "help.admin")), group=group)


def arg_text(flat_name: str, arg: str, english: str) -> app_commands.locale_str:
    """Return an option's description, marked for translation."""
    return app_commands.locale_str(short(english), command=flat_name, arg=arg)


class TutorTranslator(app_commands.Translator):
    """Give each description in Chinese (zh-CN, zh-TW) from the core's help, and in English."""

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
        if locale in ENGLISH:
            return string.message
        if locale not in CHINESE:
            return None
        if "group" in string.extras:
            return short(translate("zh", GROUP_HELP.get(string.extras["group"], "help.admin")))
        command = string.extras.get("command")
        if command is None:
            return None
        arg = string.extras.get("arg")
        if arg is not None:
            found = ARG_HELP_ZH.get((command, arg))
        else:
            found = COMMAND_HELP_ZH.get(command, ("", ""))[0] or None
        return short(found) if found else None
