"""The core stays platform-neutral: no chat, database, HTTP, metrics or torch library in ``bot/core``, and
none of the curriculum's file handling (YAML, loading, overlaying uploads): only its values."""

import ast
import subprocess
import sys
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


CURRICULUM_VALUES = {
    "bot.curriculum.model",
    "bot.curriculum.catalog",
    "bot.curriculum.problems",
    "bot.curriculum.check_messages",
}
"""What the core may import of the curriculum: lesson model and catalog values, never the file handling."""


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_only_the_curriculums_values(path: Path) -> None:
    curriculum = {name for name in _imports(path) if name.startswith("bot.curriculum")}
    assert curriculum <= CURRICULUM_VALUES, f"{path} imports {curriculum - CURRICULUM_VALUES}"


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_nothing_of_the_bot_outside_core_and_curriculum_values(path: Path) -> None:
    bot = {name for name in _imports(path) if name.split(".")[0] == "bot"}
    allowed = CURRICULUM_VALUES | {"bot.languages", "bot.similar"}
    outside = {name for name in bot if not name.startswith("bot.core") and name not in allowed}
    assert not outside, f"{path} imports {outside}"


def test_importing_the_tutor_loads_no_yaml_and_no_lesson_file_handling() -> None:
    probe = (
        "import sys, bot.core.tutor; "
        "print(','.join(sorted(m for m in sys.modules if m == 'yaml' or m.startswith('yaml.') "
        "or m in ('bot.curriculum.loader', 'bot.curriculum.overlay', 'bot.curriculum.source'))))"
    )

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == ""
