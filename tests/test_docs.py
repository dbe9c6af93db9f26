"""The project's own documentation: complete, in step with the code, and self-contained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.core.commands import build_registry
from bot.core.registry import Command, Registry

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TABLE_START = "<!-- command table: generated from the registry; tests/test_docs.py keeps it in step -->"
TABLE_END = "<!-- end of command table -->"
OUTSIDE = re.compile(r"DESIGN\.md|\.\./shared|/work/shared")


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _replies(command: Command) -> str:
    return "public" if command.public else "private" if command.private else ""


def command_row(command: Command) -> str:
    platforms = ", ".join(sorted(command.platforms)) if len(command.platforms) < 3 else "all"
    return (
        f"| `{command.usage}` | {_yes(command.takes_code)} | {_yes(command.lesson_flow)} "
        f"| {_yes(command.in_groups)} | {_replies(command)} | {platforms} | {command.admin or ''} "
        f"| {command.help} |"
    )


def command_table(registry: Registry) -> str:
    header = (
        "| command | takes code | lesson flow | in groups | replies | platforms | admin | what it does |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    return "\n".join([header, *(command_row(command) for command in registry)])


def test_the_command_table_is_the_registrys() -> None:
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    documented = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0].strip()

    assert documented == command_table(build_registry()), "regenerate the table from tests/test_docs.py"


@pytest.mark.parametrize("name", ["architecture.md", "sandbox.md", "lessons.md", "commands.md", "cli.md"])
def test_every_contract_has_its_document(name: str) -> None:
    assert (DOCS / name).is_file()


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "README.md",
        ROOT / "lessons" / "README.md",
        *sorted(DOCS.glob("*.md")),
        *sorted((ROOT / "bot").rglob("*.py")),
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_nothing_refers_to_documents_outside_the_repository(path: Path) -> None:
    assert not OUTSIDE.search(path.read_text(encoding="utf-8")), (
        f"{path} cites a document the repository lacks"
    )


def test_links_between_documents_point_at_files_that_exist() -> None:
    for path in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(((?!https?:|#)[^)#\s]+)", path.read_text(encoding="utf-8")):
            assert (path.parent / target).exists(), f"{path.name} links to missing {target}"
