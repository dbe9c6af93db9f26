"""The ``tutor`` command: builds the settings once, configures logging once, and runs a subcommand.

Each part registers its own subcommands with ``add_parser(subparsers)`` and a handler
``handler(args, settings) -> int`` (the sandbox's take ``handler(args) -> int``: it knows no bot settings).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot.config import Settings
from bot.logging_setup import configure_logging


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of every ``tutor`` subcommand."""
    from bot import serve as serve_cli
    from bot.adapters.console import cli as console_cli
    from bot.adapters.discord import cli as discord_cli
    from bot.adapters.telegram import cli as telegram_cli
    from bot.curriculum import cli as lessons_cli
    from bot.store import cli as db_cli
    from sandbox import cli as sandbox_cli

    parser = argparse.ArgumentParser(prog="tutor", description="Torch Tutor: a chat tutor for PyTorch.")
    parser.add_argument("--log-level", help="override TUTOR_LOG_LEVEL (DEBUG, INFO, WARNING, ...)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    console_cli.add_parser(subparsers)
    discord_cli.add_parser(subparsers)
    db_cli.add_parser(subparsers)
    lessons_cli.add_parser(subparsers)
    sandbox_cli.add_parser(subparsers)
    telegram_cli.add_parser(subparsers)
    serve_cli.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tutor`` with these arguments and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = "TUTOR_" + "__".join(str(part) for part in error["loc"]).upper()
            print(f"tutor: invalid setting {where}: {error['msg']}", file=sys.stderr)
        return 2
    configure_logging(args.log_level or settings.log_level, settings.log_format)
    if args.command == "sandbox":
        return int(args.handler(args))
    return int(args.handler(args, settings))


if __name__ == "__main__":
    sys.exit(main())
