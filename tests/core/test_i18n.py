"""Choosing a learner's language, and filling in messages (the catalogs themselves: test_catalogs)."""

import pytest

from bot.core.i18n import locale_for, normalize_locale, pick, translate
from bot.core.ports import Learner, PlatformUser, ServerSettings


@pytest.mark.parametrize(
    ("hint", "locale"),
    [
        ("zh-CN", "zh"),
        ("zh-TW", "zh"),
        ("zh-HK", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("zh", "zh"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("ja-JP", "en"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_locale(hint: str | None, locale: str | None) -> None:
    assert normalize_locale(hint) == locale


def _user(hint: str | None) -> PlatformUser:
    return PlatformUser("discord", "1", "Ada", locale_hint=hint)


def _learner(locale: str | None) -> Learner:
    return Learner(id=1, display_name="Ada", locale=locale, current_lesson=None)


def _server(locale: str | None) -> ServerSettings:
    return ServerSettings("discord", "g", locale=locale)


@pytest.mark.parametrize(
    ("learner", "hint", "server", "default", "expected"),
    [
        ("en", "zh-CN", "zh", "zh", "en"),  # /lang wins
        (None, "zh-TW", "en", "en", "zh"),  # then the platform's hint
        (None, "fr-FR", "zh", "zh", "en"),  # any other hint means English
        (None, None, "zh", "en", "zh"),  # then the server's default
        (None, None, None, "zh", "zh"),  # then the settings' default
        (None, None, None, "en", "en"),
    ],
)
def test_locale_for_order(
    learner: str | None, hint: str | None, server: str | None, default: str, expected: str
) -> None:
    assert locale_for(_learner(learner), _user(hint), _server(server), default) == expected


def test_locale_for_keeps_to_configured_languages() -> None:
    assert locale_for(_learner("zh"), _user("zh-CN"), None, "en", languages=("en",)) == "en"


def test_pick_falls_back_to_english_then_any() -> None:
    assert pick({"zh": "张量", "en": "Tensors"}, "zh") == "张量"
    assert pick({"zh": "张量", "en": "Tensors"}, "fr") == "Tensors"
    assert pick({"zh": "张量"}, "en") == "张量"
    assert pick(None, "en") == ""


def test_translate_fills_placeholders() -> None:
    assert translate("zh", "rate.runs", seconds=12) == "这一分钟里运行的次数有点多了，请 12 秒后再试。"
    assert translate("fr", "answer.right") == "Correct!"


def test_translate_chooses_the_plural_form_by_count() -> None:
    assert translate("en", "lesson.steps", count=1) == "1 step"
    assert translate("en", "lesson.steps", count=6) == "6 steps"
    assert translate("zh", "lesson.steps", count=6) == "共 6 步"
