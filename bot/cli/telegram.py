"""``tutor telegram``: serve the tutor on Telegram alone (``tutor serve`` runs it alongside Discord)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the ``telegram`` subcommand."""
    parser = subparsers.add_parser(
        "telegram",
        help="serve the tutor on Telegram (token from TUTOR_TELEGRAM__TOKEN)",
        description="Serve the tutor on Telegram by long polling; SIGTERM stops it gracefully.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve Telegram until SIGTERM or SIGINT; return the exit code."""
    if settings.telegram.token is None or not settings.telegram.token.get_secret_value().strip():
        print("tutor: TUTOR_TELEGRAM__TOKEN is not set; get a token from @BotFather", file=sys.stderr)
        return 2
    from bot.app.serve import serve

    return asyncio.run(serve(settings, ["telegram"]))
