"""``tutor console [--lang LANGUAGE]``: the terminal chat."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.languages import FALLBACK, LANGUAGES, normalize_locale

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.core.ports import PlatformUser

PLATFORM = "console"


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the ``console`` subcommand."""
    parser = subparsers.add_parser(
        "console",
        help="chat with the tutor in this terminal",
        description="Chat with the tutor in this terminal. Reads commands from stdin when it is not a TTY.",
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None, help="language (default: /lang, then LANG)"
    )
    parser.set_defaults(handler=run)


PERSONAL_LIMIT = 10_000
OUTPUTS_FOLDER = "outputs"
"""Where long outputs are saved whole: beside the figures folder, next to the SQLite database."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the console until /quit or the end of input; return the exit code."""
    try:
        return asyncio.run(
            chat(personal_limits(settings), lang=args.lang, stdin=sys.stdin, stdout=sys.stdout)
        )
    except KeyboardInterrupt:
        return 130


def personal_limits(settings: Settings) -> Settings:
    """Lift the rate limits the operator did not set: they protect a shared bot, not one's own terminal."""
    chosen = settings.rate_limits.model_fields_set
    lifted = settings.rate_limits.model_copy(
        update={
            name: PERSONAL_LIMIT for name in ("commands_per_minute", "runs_per_minute") if name not in chosen
        }
    )
    return settings.model_copy(update={"rate_limits": lifted})


async def chat(settings: Settings, *, lang: str | None, stdin: TextIO, stdout: TextIO) -> int:
    """Open the tutor and chat over ``stdin``/``stdout``: rich when stdin is a terminal, else plain."""
    from rich.console import Console

    from bot.adapters.console.app import ConsoleChat
    from bot.adapters.console.figures import FigureFolder
    from bot.adapters.console.long_output import OutputFolder
    from bot.adapters.console.reader import code_commands
    from bot.adapters.console.views import BackgroundReader, PlainView, RichView, plain_lines, prompted_lines
    from bot.app.runtime import open_tutor
    from bot.core.i18n import translate
    from bot.errors import StartupError

    user = console_user(os.environ)
    interactive = stdin.isatty()
    try:
        async with open_tutor(settings) as tutor:
            figures = FigureFolder(figures_folder(settings))
            outputs = OutputFolder(figures.folder.parent / OUTPUTS_FOLDER)
            if interactive:
                console = Console(file=stdout)
                banner_locale = lang or normalize_locale(os.environ.get("LANG")) or FALLBACK
                console.print(translate(banner_locale, "console.banner"), style="dim")
                codes = code_commands(tutor.registry.on(PLATFORM))
                reader, view = prompted_lines(console, stdin, codes), RichView(console, figures, outputs)
                return await ConsoleChat(tutor, BackgroundReader(reader), view, user, locale=lang).run()
            chat_ = ConsoleChat(
                tutor,
                BackgroundReader(plain_lines(stdin, code_commands(tutor.registry.on(PLATFORM)))),
                PlainView(stdout, figures, outputs),
                user,
                locale=lang,
            )
            return await chat_.run()
    except StartupError as error:
        print(f"tutor: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Point stdout at /dev/null for Python's exit flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
        return 0


def figures_folder(settings: Settings) -> Path:
    """Return where the console saves figures: ``figures/`` next to its SQLite database, else here."""
    from bot.adapters.console.figures import folder_beside
    from bot.store.engine import parse_url

    url = parse_url(settings.database_url.get_secret_value())
    return folder_beside(url.database if url.get_backend_name() == "sqlite" else None, Path.cwd())


def console_user(environ: Mapping[str, str]) -> PlatformUser:
    """Return the OS user as the console's learner, with LANG as the locale hint."""
    from bot.core.ports import PlatformUser

    name = _os_user(environ)
    return PlatformUser(
        platform=PLATFORM, user_id=name, display_name=name, locale_hint=environ.get("LANG") or None
    )


def _os_user(environ: Mapping[str, str]) -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # No passwd entry (e.g. an arbitrary uid in a container).
        return environ.get("USER") or f"uid{os.getuid()}"
