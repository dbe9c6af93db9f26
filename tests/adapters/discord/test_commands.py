"""Slash commands generated from the registry: options, choices, autocomplete, localizations, language."""

from __future__ import annotations

from typing import Any

from discord import Locale, app_commands

from bot.adapters.discord.translator import TutorTranslator
from bot.core.commands import build_registry
from bot.core.tutor import Tutor
from tests.adapters.discord.conftest import World, text_of


def published(world: World, name: str) -> dict[str, Any]:
    """Return a command as the bot published it to Discord (the sync's request body)."""
    synced = next(
        r.json for r in world.env.http_requests if r.method == "PUT" and r.path.endswith("/commands")
    )
    return next(command for command in synced if command["name"] == name)


async def test_every_registry_command_is_a_slash_command(world: World, tutor: Tutor) -> None:
    offered = set(world.admin.available_commands(world.channel))
    assert {command.full_name for command in tutor.registry.on("discord")} <= offered


async def test_slash_command_with_a_typed_option(world: World) -> None:
    result = await world.user.slash("help", command="run")
    assert "/run" in text_of(result) and "sandbox" in text_of(result)


async def test_choice_options_carry_their_choices(world: World) -> None:
    lang = published(world, "lang")["options"][0]
    assert [choice["value"] for choice in lang["choices"]] == ["zh", "en"]


async def test_lesson_option_autocompletes_with_title_and_progress(world: World) -> None:
    await world.user.slash("lesson", lesson="tensor-basics")
    await world.user.slash("next")
    choices = await world.user.autocomplete("lesson", "lesson", "")
    assert choices[0] == {"name": "Tensors · 1/6 · tensor-basics", "value": "tensor-basics"}
    narrowed = await world.user.autocomplete("lesson", "lesson", "auto")
    assert [c["value"] for c in narrowed] == ["autograd-basics"]


async def test_descriptions_are_localized_for_chinese_and_english_clients(world: World) -> None:
    run = published(world, "run")
    assert run["description_localizations"]["zh-CN"] == "在沙箱中运行 Python 代码，延续你的笔记本。"
    assert run["description_localizations"]["en-US"] == run["description"]
    assert run["options"][0]["description_localizations"]["zh-CN"] == "要运行的 Python 代码"


async def test_command_names_stay_english_for_chinese_clients() -> None:
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.command_name, None)
    name = app_commands.locale_str("run")
    assert await TutorTranslator(build_registry()).translate(name, Locale.chinese, context) is None


async def test_reply_follows_the_client_locale(world: World, client_locale: Any) -> None:
    client_locale("zh-CN")
    assert "课程列表" in text_of(await world.user.slash("lessons"))


async def test_lang_choice_outranks_the_client_locale(world: World, client_locale: Any) -> None:
    client_locale("zh-CN")
    await world.user.slash("lang", language="en")
    assert "Lessons" in text_of(await world.user.slash("lessons"))


async def test_run_and_submit_take_code_from_a_modal_so_the_option_is_optional(world: World) -> None:
    assert published(world, "submit")["options"][0].get("required", False) is False


async def test_admin_group_needs_manage_server_and_a_server(world: World) -> None:
    admin = published(world, "admin")
    assert int(admin["default_member_permissions"]) == 32  # Manage Server
    assert admin["contexts"] == [0]


async def test_learner_commands_work_as_user_installed_app_everywhere(world: World) -> None:
    lesson = published(world, "lesson")
    assert sorted(lesson["integration_types"]) == [0, 1]
    assert sorted(lesson["contexts"]) == [0, 1, 2]


async def test_backticks_named_in_a_sentence_never_open_a_code_block(world: World) -> None:
    result = await world.user.slash("help", command="run")

    text = text_of(result)
    assert "in a \\`\\`\\` block" in text
    assert "```" not in text.replace("\\`", "")


async def test_submit_code_is_optional_in_help_where_a_form_asks_for_it(world: World) -> None:
    listing = text_of(await world.user.slash("help"))
    details = text_of(await world.user.slash("help", command="submit"))

    assert "`/submit [code]`" in listing and "<code>" not in listing
    assert "`/submit [code]`" in details and "(optional)" in details
