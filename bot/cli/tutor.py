"""The ``tutor`` command: parses the subcommand, builds the settings once, configures logging once, runs it.

Parsing imports only the subcommands' parser modules; the settings, logging and each subcommand's parts are
imported after parsing, so ``tutor --help`` and a mistyped command answer at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of every ``tutor`` subcommand."""
    from bot.cli import console, dashboard, db, discord, lessons, sandbox, serve, telegram

    parser = argparse.ArgumentParser(prog="tutor", description="Torch Tutor: a chat tutor for PyTorch.")
    parser.add_argument("--log-level", help="override TUTOR_LOG_LEVEL (DEBUG, INFO, WARNING, ...)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for part in (console, discord, db, lessons, sandbox, telegram, serve, dashboard):
        part.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tutor`` with these arguments and return its exit code."""
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if rest and not getattr(args, "passes_on", False):
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    args.rest = rest
    from bot.cli.settings import load_settings
    from bot.logging_setup import configure_logging

    settings = load_settings()
    if settings is None:
        return 2
    configure_logging(args.log_level or settings.log_level, settings.log_format)
    return int(args.handler(args, settings))


if __name__ == "__main__":
    sys.exit(main())
