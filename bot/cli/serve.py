"""``tutor serve``: every front end whose token is set (Discord, Telegram), in one process."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="run every front end whose token is set (Discord, Telegram) in one process",
        description="Run every front end whose token is set in one process; SIGTERM stops it gracefully.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve every configured front end until SIGTERM or SIGINT; return the exit code."""
    from bot.app.serve import enabled_platforms, serve
    from bot.app.sharding import ShardingError, pod_role_from_env

    try:
        role = pod_role_from_env(os.environ, settings)
    except ShardingError as error:
        print(f"tutor: {error}", file=sys.stderr)
        return 2
    if role is not None:
        settings = role.apply(settings)
        logging.getLogger(__name__).info("%s", role.describe())
    return asyncio.run(serve(settings, enabled_platforms(settings)))
