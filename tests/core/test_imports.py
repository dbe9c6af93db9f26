"""The core stays platform-neutral: no chat, database, HTTP, metrics or torch library in ``bot/core``."""

import ast
from pathlib import Path

import pytest

import bot.core

BANNED = {
    "discord",
    "telegram",
    "sqlalchemy",
    "aiohttp",
    "httpx",
    "torch",
    "asyncpg",
    "aiosqlite",
    "rich",
    "prometheus_client",
}
CORE = Path(bot.core.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_no_platform_library(path: Path) -> None:
    roots = {name.split(".")[0] for name in _imports(path)}
    assert not roots & BANNED, f"{path} imports {roots & BANNED}"


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_reaches_the_sandbox_only_through_its_value_types(path: Path) -> None:
    sandbox = {name for name in _imports(path) if name.split(".")[0] == "sandbox"}
    assert sandbox <= {"sandbox.result", "sandbox.client"}
