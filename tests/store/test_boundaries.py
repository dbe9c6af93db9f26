"""The store reaches into the core only for its ports (records and protocols)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

STORE_DIR = Path(__file__).resolve().parents[2] / "bot" / "store"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(STORE_DIR.glob("*.py")), ids=lambda path: path.name)
def test_store_imports_only_ports_from_core(path: Path) -> None:
    from_core = {
        name for name in imported_modules(path) if name == "bot.core" or name.startswith("bot.core.")
    }

    assert from_core <= {"bot.core.ports"}
