"""Adapters read the command table's attributes; none of them lists command names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bot.adapters
from bot.core.commands import build_registry

ADAPTERS = Path(bot.adapters.__file__).parent


def command_names() -> set[str]:
    names: set[str] = set()
    for command in build_registry():
        names |= {command.name, command.flat_name, command.full_name, f"/{command.flat_name}"}
        if command.group:
            names.add(command.group)
    return names


@pytest.mark.parametrize("path", sorted(ADAPTERS.rglob("*.py")), ids=lambda p: str(p.relative_to(ADAPTERS)))
def test_adapter_names_no_command(path: Path) -> None:
    names = command_names()
    found = [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names
    ]
    assert not found, f"{path} names commands {found}: read the registry's attributes instead"
