"""``tutor dashboard``: the web dashboard for course admins, served alone (no chat front end)."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register the ``dashboard`` subcommand."""
    parser = subparsers.add_parser(
        "dashboard",
        help="serve the web dashboard for course admins alone (tutor serve serves it too)",
        description="Serve the web dashboard on TUTOR_DASHBOARD__HOST:PORT until SIGTERM. Admins sign in "
        "with a one-time link from chat (/admin dashboard); --login prints a read-only one for you.",
    )
    parser.add_argument(
        "--login",
        action="store_true",
        help="print a one-time link to every learner's data, read only, for the operator",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the dashboard until SIGTERM or SIGINT; return the exit code."""
    from bot.app.dashboard import run_dashboard

    return asyncio.run(run_dashboard(settings, login=args.login))
