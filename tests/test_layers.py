"""Dependencies point one way: entry layer (``bot.cli``) → composition root (``bot.app``) → feature packages.

The walk reads every import of every module of the bot, those inside functions included, so a lazy import
counts as much as one at the top.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import bot

BOT = Path(bot.__file__).parent
FEATURES = ("bot.core", "bot.adapters", "bot.curriculum", "bot.store", "bot.observability", "bot.dashboard")
ENTRY = ("bot.cli", "bot.app")
LEAVES = ("bot.config", "bot.languages", "bot.errors", "bot.resources", "bot.similar")


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


MODULES = {module_name(path): path for path in sorted(BOT.rglob("*.py"))}


def violations(rule_from: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{name} imports {target}"
        for name, path in MODULES.items()
        if within(name, rule_from)
        for target in sorted(imports_of(path))
        if within(target, forbidden)
    ]


def test_no_feature_package_imports_the_entry_layer_or_the_composition_root() -> None:
    assert violations(FEATURES, ENTRY) == []


def test_the_composition_root_does_not_import_the_entry_layer() -> None:
    assert violations(("bot.app",), ("bot.cli",)) == []


@pytest.mark.parametrize("leaf", LEAVES)
def test_leaf_modules_import_nothing_of_the_bot(leaf: str) -> None:
    assert [target for target in imports_of(MODULES[leaf]) if within(target, ("bot",))] == []


def test_the_walk_finds_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    module = tmp_path / "feature.py"
    module.write_text("def late():\n    from bot.app.runtime import open_tutor\n", encoding="utf-8")

    assert within(next(iter(sorted(imports_of(module)))), ENTRY)


def test_tutor_help_loads_no_platform_database_or_sandbox_library() -> None:
    probe = (
        "import sys, contextlib, io; from bot.cli.tutor import build_parser; "
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    build_parser().parse_args(['--help'])\n"
        "heavy = ('discord', 'telegram', 'sqlalchemy', 'aiohttp', 'rich', 'torch', 'alembic', 'pydantic')\n"
        "print(','.join(sorted(m for m in heavy if m in sys.modules)))"
    )

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == ""
