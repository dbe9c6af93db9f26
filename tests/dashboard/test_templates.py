"""The dashboard's templates: every message they use exists in every catalog; exports are formula-safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.i18n import catalog
from bot.dashboard.page import TEMPLATES
from bot.dashboard.pages.exports import cell
from bot.languages import LANGUAGES

KEY = re.compile(r"""t\(\s*['"](dashboard\.[a-z_.]+[a-z_])['"]""")


def template_keys() -> set[str]:
    found: set[str] = set()
    for path in [*TEMPLATES.glob("*.html"), *Path(TEMPLATES.parent).rglob("*.py")]:
        found |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_pattern_finds_the_templates_messages() -> None:
    assert len(template_keys()) > 60


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_dashboard_message_is_translated(language: str) -> None:
    messages = catalog(language)
    missing = [
        key
        for key in template_keys()
        if messages.gettext(key) == key and messages.ngettext(key, key, 2) == key
    ]

    assert missing == []


@pytest.mark.parametrize(
    ("value", "shown"), [("=1+1", "'=1+1"), ("+A", "'+A"), ("@x", "'@x"), ("Ada", "Ada"), (3, "3")]
)
def test_export_cells_never_start_a_formula(value: object, shown: str) -> None:
    assert cell(value) == shown
