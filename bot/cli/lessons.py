"""``tutor lessons validate|check|path|schema``: the admins' tools for lesson files (``docs/cli.md``).

Problem lines go to stdout (``path:line:col: message``, one per line, so editors and CI can parse them);
summaries go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.curriculum.loader import LoadReport
    from bot.curriculum.problems import Problem


def add_parser(subparsers: Any) -> None:
    """Register ``tutor lessons`` and its subcommands."""
    lessons = subparsers.add_parser("lessons", help="validate, check and describe lesson files")
    commands = lessons.add_subparsers(dest="lessons_command", metavar="SUBCOMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="check lesson files against the format and each other",
        description="Check lesson files (default: the configured lesson folders). Given paths are checked "
        "together with the configured lessons, so prerequisites may live there.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a lesson file or folder")
    validate.set_defaults(handler=validate_command)

    check = commands.add_parser(
        "check",
        help="run every lesson's code in the sandbox and compare with what the lesson expects",
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a lesson file or folder")
    check.add_argument("--concurrency", type=int, default=4, help="runs at a time (default 4)")
    check.set_defaults(handler=check_command)

    path = commands.add_parser(
        "path",
        help="print where the shipped lessons are (with --all, every folder served)",
        description="Print the folder of the lessons shipped with the tutor: copy one from there to start "
        "a lesson of your own. With --all, print every lesson folder the configuration serves, one a line.",
    )
    path.add_argument("--all", action="store_true", help="every folder served, in order")
    path.set_defaults(handler=path_command)

    schema = commands.add_parser("schema", help="write the JSON Schema of lesson files for editors")
    schema.add_argument("--output", type=Path, default=None, help="default: lessons/lesson.schema.json")
    schema.add_argument("--check", action="store_true", help="only report whether the file is up to date")
    schema.set_defaults(handler=schema_command)


def _load(args: argparse.Namespace, settings: Settings) -> LoadReport:
    from bot.curriculum.loader import load_lessons
    from bot.languages import configured
    from bot.resources import lesson_dirs

    paths: list[Path] = list(args.paths)
    folders = lesson_dirs(settings.lessons_dirs, settings.extra_lessons_dirs)
    if paths:
        return load_lessons(paths, configured(settings.languages), context=folders)
    return load_lessons(folders, configured(settings.languages))


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0, p.message)):
        print(problem)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def validate_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print every problem of the lesson files; exit 1 if there is any."""
    report = _load(args, settings)
    if report.problems:
        _print_problems(report.problems)
        files = len({p.path for p in report.problems})
        print(f"{_plural(len(report.problems), 'problem')} in {_plural(files, 'file')}", file=sys.stderr)
        return 1
    print(f"{_plural(len(report.sources), 'lesson')} OK", file=sys.stderr)
    return 0


def check_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run the lessons' code in the sandbox; print every mismatch; exit 1 if there is any."""
    report = _load(args, settings)
    lessons = list(report.sources.values())

    async def run() -> list[Problem]:
        # Imported here: only `check` needs a sandbox, and building one may start processes.
        from bot.app.sandbox import open_sandbox
        from bot.curriculum.verify import verify_lessons

        async with open_sandbox(settings.sandbox) as sandbox:
            found: list[Problem] = await verify_lessons(lessons, sandbox, concurrency=args.concurrency)
            return found

    try:
        mismatches = asyncio.run(run())
    except ImportError as error:
        print(f"tutor lessons check: the sandbox is not available: {error}", file=sys.stderr)
        return 2
    problems = report.problems + mismatches
    _print_problems(problems)
    if problems:
        print(f"{_plural(len(problems), 'problem')}", file=sys.stderr)
        return 1
    print(f"{_plural(len(lessons), 'lesson')} checked OK", file=sys.stderr)
    return 0


def path_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the shipped lessons' folder, or with --all every folder served."""
    from bot.resources import lesson_dirs, shipped_lessons_dir

    folders = lesson_dirs(settings.lessons_dirs, settings.extra_lessons_dirs) if args.all else []
    for folder in folders or [shipped_lessons_dir()]:
        print(folder.resolve())
    return 0


def schema_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write (or with --check, compare) the lesson JSON Schema."""
    from bot.curriculum.schema import REGENERATE, default_schema_path, render_schema, write_schema

    path: Path = args.output or default_schema_path()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != render_schema():
            print(f"{path} is out of date; run `{REGENERATE}`", file=sys.stderr)
            return 1
        print(f"{path} is up to date", file=sys.stderr)
        return 0
    changed = write_schema(path)
    print(f"{'wrote' if changed else 'unchanged:'} {path}", file=sys.stderr)
    return 0
