"""The tutor's interface strings, read from gettext catalogs, and how a learner's language is chosen.

The catalogs are ``bot/locale/<language>/LC_MESSAGES/tutor.po`` (compiled to the ``.mo`` files beside
them, which ship with the package). Message ids are keys such as ``run.status.ok``; the English catalog
holds the source text and every other catalog must translate every message (a test checks). Texts are
``str.format`` templates; a message with a ``{count}`` field has plural forms, chosen by that count.

Command help is the exception to keys-as-English: a command's English help is its function's docstring
(``Command.help``); other languages translate it as ``help.command.<flat name>``, ``help.details.<flat
name>`` and ``help.arg.<flat name>.<argument>``.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.languages import FALLBACK, LANGUAGES, NAMES, normalize_locale

if TYPE_CHECKING:
    from bot.core.ports import Learner, PlatformUser, ServerSettings
    from bot.core.registry import Arg, Command

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
DOMAIN = "tutor"
LANGUAGE_NAMES = NAMES

__all__ = [
    "DOMAIN",
    "FALLBACK",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "Voice",
    "Wording",
    "arg_help",
    "catalog",
    "command_help",
    "group_help",
    "locale_for",
    "normalize_locale",
    "pick",
    "translate",
]


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """Return the compiled catalog of ``language``, falling back to English for missing messages."""
    found: gettext.NullTranslations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    if language != FALLBACK:
        found.add_fallback(catalog(FALLBACK))
    return found


def translate(locale: str, key: str, **params: object) -> str:
    """Return message ``key`` in ``locale`` (else English) with ``params`` filled in."""
    messages = catalog(locale if locale in LANGUAGES else FALLBACK)
    count = params.get("count")
    text = messages.ngettext(key, key, count) if isinstance(count, int) else messages.gettext(key)
    return text.format(**params) if params else text


def pick(text: Mapping[Any, str] | None, locale: str) -> str:
    """Return lesson text in ``locale``, else English, else any language it has."""
    if not text:
        return ""
    found = text.get(locale) or text.get(FALLBACK)
    return found if found else next(iter(text.values()))


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
    """Return a command's short help and details in ``locale`` (its docstring in English)."""
    if locale == FALLBACK or locale not in LANGUAGES:
        return command.help, command.details
    messages = catalog(locale)
    short_key, details_key = f"help.command.{command.flat_name}", f"help.details.{command.flat_name}"
    short, details = messages.gettext(short_key), messages.gettext(details_key)
    if short == short_key:
        return command.help, command.details
    return short, "" if details == details_key else details


def arg_help(command: Command, arg: Arg, locale: str) -> str:
    """Return an argument's description in ``locale`` (its ``Arg.help`` in English)."""
    if locale == FALLBACK or locale not in LANGUAGES:
        return arg.help
    key = f"help.arg.{command.flat_name}.{arg.name}"
    found = catalog(locale).gettext(key)
    return arg.help if found == key else found


def group_help(group: str, locale: str) -> str:
    """Return the description of a command group (``admin``) in ``locale``."""
    return translate(locale, f"group.{group}")


class Wording(Protocol):
    """What shows lesson steps in a language: interface messages and lesson text (a ``Ctx`` is one)."""

    def t(self, key: str, **params: object) -> str:
        """Return the message ``key`` in this language."""
        ...

    def pick(self, text: Mapping[Any, str] | None) -> str:
        """Return lesson text in this language (else English, else any)."""
        ...


@dataclass(frozen=True, slots=True)
class Voice:
    """A ``Wording`` of one language, with no learner behind it (a lesson preview's)."""

    locale: str

    def t(self, key: str, **params: object) -> str:
        """Return the message ``key`` in this language."""
        return translate(self.locale, key, **params)

    def pick(self, text: Mapping[Any, str] | None) -> str:
        """Return lesson text in this language (else English, else any)."""
        return pick(text, self.locale)
