"""The gettext catalogs: one per language the tutor speaks, complete, consistent and compiled."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import bot
from bot.core.commands import build_registry
from bot.core.i18n import DOMAIN, LOCALE_DIR
from bot.languages import FALLBACK, LANGUAGES
from sandbox.result import Status

BOT = Path(bot.__file__).parent
OTHERS = [language for language in LANGUAGES if language != FALLBACK]


def po(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as file:
        return read_po(file, locale=language)


def key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def strings(message_string: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_string,) if isinstance(message_string, str) else tuple(message_string)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def missing_messages(reference: Catalog, translation: Catalog) -> list[str]:
    """Return the keys of ``reference`` that ``translation`` lacks or leaves empty."""
    found = {key(message.id): message for message in translation if message.id}
    missing = []
    for message in reference:
        if not message.id:
            continue
        theirs = found.get(key(message.id))
        if theirs is None or not all(text.strip() for text in strings(theirs.string)):
            missing.append(key(message.id))
    return missing


def test_every_language_has_a_catalog_and_every_catalog_a_language() -> None:
    assert sorted(path.name for path in LOCALE_DIR.iterdir() if path.is_dir()) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", OTHERS)
def test_every_catalog_translates_every_message(language: str) -> None:
    assert missing_messages(po(FALLBACK), po(language)) == []


def test_a_catalog_lacking_a_message_is_found_out() -> None:
    reference, translation = po(FALLBACK), po(OTHERS[0])
    translation.delete("run.status.ok")

    assert missing_messages(reference, translation) == ["run.status.ok"]


@pytest.mark.parametrize("language", OTHERS)
def test_translations_use_the_placeholders_of_the_english_text(language: str) -> None:
    english = {key(m.id): m for m in po(FALLBACK) if m.id}
    for message in po(language):
        source = english.get(key(message.id))
        if source is None:
            continue
        expected = set().union(*(fields(text) for text in strings(source.string)))
        for text in strings(message.string):
            assert fields(text) <= expected and "count" not in expected ^ fields(text), key(message.id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_has_plural_forms_exactly_when_it_has_a_count(language: str) -> None:
    for message in po(language):
        if message.id:
            has_count = any("count" in fields(text) for text in strings(message.string))
            assert message.pluralizable == has_count, key(message.id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_its_source(language: str) -> None:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as file:
        compiled = {key(m.id): strings(m.string) for m in read_mo(file) if m.id}
    source = {key(m.id): strings(m.string) for m in po(language) if m.id}

    assert compiled == source, "run: pybabel compile -d bot/locale -D tutor"


@pytest.mark.parametrize("language", OTHERS)
def test_every_command_and_argument_has_help_in_every_language(language: str) -> None:
    keys = {key(m.id) for m in po(language)}
    for command in build_registry():
        assert f"help.command.{command.flat_name}" in keys
        assert (f"help.details.{command.flat_name}" in keys) == bool(command.details), command.flat_name
        for arg in command.args:
            assert f"help.arg.{command.flat_name}.{arg.name}" in keys


@pytest.mark.parametrize("language", OTHERS)
def test_no_catalog_helps_with_a_command_that_does_not_exist(language: str) -> None:
    names = {command.flat_name for command in build_registry()}
    args = {f"{command.flat_name}.{arg.name}" for command in build_registry() for arg in command.args}
    for message in po(language):
        found = key(message.id)
        if found.startswith(("help.command.", "help.details.")):
            assert found.split(".", 2)[2] in names, found
        elif found.startswith("help.arg."):
            assert found.split(".", 2)[2] in args, found


def test_every_message_key_used_in_the_code_exists() -> None:
    used: set[str] = set()
    pattern = re.compile(
        r"""(?:\.t\(|translate\([^,()]+,\s*|UserError\(|RateLimited\()\s*f?["']([a-z_.]+)["']"""
    )
    for path in BOT.rglob("*.py"):
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 50, "the pattern found too little: update this test"
    assert used - {key(m.id) for m in po(FALLBACK)} == set()


@pytest.mark.parametrize("status", list(Status))
def test_every_run_status_has_a_headline(status: Status) -> None:
    assert f"run.status.{status.value}" in {key(m.id) for m in po(FALLBACK)}


def test_chinese_messages_use_full_width_punctuation() -> None:
    for message in po("zh"):
        for text in strings(message.string):
            prose = re.sub(r"`[^`]*`", "", text)  # code and formats keep their ASCII punctuation
            assert not re.search(r"[\u4e00-\u9fff][,;?!:]", prose), key(message.id)
