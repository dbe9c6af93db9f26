import inspect

import pytest

from bot.core.commands import build_registry
from bot.core.i18n import ARG_HELP_ZH, COMMAND_HELP_ZH
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
    assert COMMAND_HELP_ZH[cmd.flat_name][0]


@pytest.mark.parametrize("cmd", list(REGISTRY), ids=lambda c: c.flat_name)
def test_every_argument_is_described_and_matches_the_function(cmd: Command) -> None:
    parameters = list(inspect.signature(cmd.func).parameters)
    assert parameters[0] == "ctx"
    assert [arg.name for arg in cmd.args] == parameters[1:]
    for arg in cmd.args:
        assert arg.help, f"/{cmd.full_name} {arg.name} has no help"
        assert ARG_HELP_ZH[(cmd.flat_name, arg.name)]
        assert arg.type != "choice" or arg.choices


def test_no_zh_help_for_commands_that_do_not_exist() -> None:
    flat = {cmd.flat_name for cmd in REGISTRY}
    assert set(COMMAND_HELP_ZH) <= flat
    assert {name for name, _ in ARG_HELP_ZH} <= flat


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
    assert "fresh" in run.help
    assert "```" in run.details


def test_only_reading_commands_skip_the_learner_lock() -> None:
    readers = {cmd.full_name for cmd in build_registry() if not cmd.writes}
    assert readers == {"help", "about", "lessons", "progress"}
