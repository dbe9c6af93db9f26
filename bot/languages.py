"""The languages the tutor speaks, defined once: its interface catalogs and its lessons' text.

Adding a language: add its code here, its name in ``NAMES``, a catalog ``bot/locale/<code>/LC_MESSAGES/
tutor.po`` (``docs/translating.md``), and the language to every lesson's text. A test checks that every
language here has a complete catalog. This module imports nothing, so every part can use it.
"""

from __future__ import annotations

from collections.abc import Sequence

LANGUAGES: tuple[str, ...] = ("zh", "en")
"""Every language the tutor can speak, in the order lists show them."""

FALLBACK = "en"
"""The language used where a text lacks the learner's."""

NAMES: dict[str, str] = {"zh": "中文", "en": "English"}
"""Each language's name in itself, for choosing one."""


def normalize_locale(hint: str | None) -> str | None:
    """Map a platform locale (``zh-CN``, ``zh_TW.UTF-8``, ``en-US``, ``fr``) to a supported language.

    A locale whose language the tutor does not speak maps to the fallback; None if there is no hint.
    """
    if not hint or not hint.strip():
        return None
    language = hint.strip().lower().replace("_", "-").split("-")[0].split(".")[0]
    return language if language in LANGUAGES else FALLBACK


def configured(languages: Sequence[str]) -> tuple[str, ...]:
    """Return the configured content languages; none configured means every language the tutor speaks."""
    return tuple(languages) or LANGUAGES


def language_problems(languages: Sequence[str], default_locale: str | None) -> list[str]:
    """Return what is wrong with configured languages (``TUTOR_LANGUAGES``, ``TUTOR_DEFAULT_LOCALE``)."""
    supported = ", ".join(LANGUAGES)
    problems = [
        f"TUTOR_LANGUAGES: {language!r} is not a language the tutor speaks ({supported})"
        for language in languages
        if language not in LANGUAGES
    ]
    if default_locale is not None and default_locale not in LANGUAGES:
        problems.append(
            f"TUTOR_DEFAULT_LOCALE: {default_locale!r} is not a language the tutor speaks ({supported})"
        )
    return problems
