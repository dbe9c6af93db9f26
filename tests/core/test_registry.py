import inspect

import pytest

from bot.core.commands import build_registry
from bot.core.i18n import arg_help, command_help
from bot.core.registry import Command, Registry, command
from bot.core.replies import Reply

REGISTRY = build_registry()


def test_command_names_are_unique() -> None:
    names = [cmd.flat_name for cmd in REGISTRY]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("cmd", list(REGISTRY), ids=lambda c: c.flat_name)
def test_every_command_has_one_line_imperative_help(cmd: Command) -> None:
    assert cmd.help, f"/{cmd.full_name} has no docstring"
    assert cmd.help.endswith("."), cmd.help
    assert not cmd.help.split()[0].endswith("s"), f"help should be imperative: {cmd.help!r}"


@pytest.mark.parametrize("cmd", list(REGISTRY), ids=lambda c: c.flat_name)
def test_every_command_has_chinese_help(cmd: Command) -> None:
    assert command_help(cmd, "zh")[0] != cmd.help


@pytest.mark.parametrize("cmd", list(REGISTRY), ids=lambda c: c.flat_name)
def test_every_argument_is_described_and_matches_the_function(cmd: Command) -> None:
    parameters = list(inspect.signature(cmd.func).parameters)
    assert parameters[0] == "ctx"
    assert [arg.name for arg in cmd.args] == parameters[1:]
    for arg in cmd.args:
        assert arg.help, f"/{cmd.full_name} {arg.name} has no help"
        assert arg_help(cmd, arg, "zh") != arg.help
        assert arg.type != "choice" or arg.choices


def test_grouped_command_found_by_spaced_and_flat_name() -> None:
    spaced = REGISTRY.get("admin reload")
    assert spaced is not None
    assert spaced is REGISTRY.get("admin_reload")
    assert spaced.usage == "/admin reload"
    assert spaced.admin


def test_resolve_takes_subcommand_from_rest() -> None:
    resolved = REGISTRY.resolve("admin", "validate now")
    assert resolved is not None
    assert resolved[0].flat_name == "admin_validate"
    assert resolved[1] == "now"
    assert REGISTRY.resolve("admin", "") is None
    assert REGISTRY.resolve("nope", "") is None


def test_registering_a_name_twice_fails() -> None:
    async def twin(ctx: object) -> list[Reply]:
        """Do nothing."""
        return []

    with pytest.raises(ValueError, match="twice"):
        Registry([command(twin), command(twin)])


def test_usage_marks_optional_arguments() -> None:
    reset = REGISTRY.get("reset")
    assert reset is not None
    assert reset.usage == "/reset <lesson> [confirm]"


def test_details_come_from_the_docstring_after_its_first_line() -> None:
    run = REGISTRY.get("run")
    assert run is not None
    assert "notebook" in run.help
    assert "```" in run.details


def test_only_reading_commands_skip_the_learner_lock() -> None:
    readers = {cmd.full_name for cmd in build_registry() if not cmd.writes}
    assert readers == {"help", "about", "lessons", "progress", "course", "quit"}


def test_the_commands_that_take_code_are_run_and_submit() -> None:
    assert {cmd.flat_name: cmd.code_arg.required for cmd in REGISTRY if cmd.code_arg} == {
        "run": False,
        "submit": True,
    }


def test_server_channels_and_dms_exist_on_discord_only() -> None:
    assert {cmd.flat_name for cmd in REGISTRY if cmd.platforms == {"discord"}} == {
        "admin_channels",
        "admin_dm",
        "admin_upload",
    }


def test_a_platforms_registry_holds_only_its_commands() -> None:
    telegram = REGISTRY.on("telegram")
    assert telegram.get("admin_channels") is None
    assert telegram.get("admin_sandbox") is not None
    assert REGISTRY.on("console").get("admin_stats") is None


def test_every_admin_command_has_a_scope_and_may_run_in_groups() -> None:
    admins = [cmd for cmd in REGISTRY if cmd.admin is not None]
    assert {cmd.admin for cmd in admins} == {"server", "bot"}
    assert all(cmd.in_groups for cmd in admins)


def test_the_lesson_flow() -> None:
    assert {cmd.flat_name for cmd in REGISTRY if cmd.lesson_flow} == {
        "start",
        "lesson",
        "next",
        "back",
        "answer",
        "submit",
        "hint",
        "solution",
    }


def test_only_run_is_public_in_servers() -> None:
    assert [cmd.flat_name for cmd in REGISTRY if cmd.public] == ["run"]


def test_an_unknown_platform_is_refused() -> None:
    async def noop(ctx: object) -> list[Reply]:
        return []

    with pytest.raises(ValueError, match="unknown platforms"):
        command(noop, platforms=("irc",))


def test_quit_exists_in_the_console_only_and_answers_to_exit_too() -> None:
    console = REGISTRY.on("console")
    assert console.get("exit") is console.get("quit") is not None
    assert REGISTRY.on("discord").get("quit") is None and REGISTRY.on("telegram").get("exit") is None


def test_linking_accounts_exists_on_chat_platforms_only() -> None:
    assert REGISTRY.on("console").get("link") is None and REGISTRY.on("console").get("unlink") is None
    assert all(REGISTRY.on(platform).get("link") for platform in ("discord", "telegram"))


def test_an_alias_may_not_take_another_commands_name() -> None:
    async def first(ctx: object) -> list[object]:
        """First."""
        return []

    async def second(ctx: object) -> list[object]:
        """Second."""
        return []

    with pytest.raises(ValueError, match="registered twice"):
        Registry([command(first), command(second, aliases=("first",))])  # type: ignore[arg-type]
