"""``tutor sandbox run|serve``: the sandbox's own commands, parsed by the sandbox when they run.

The sandbox defines its subcommands (``sandbox.cli``); importing it starts nothing but loads its HTTP
service, so this registers ``sandbox`` with only its one-line help and hands the rest of the command line
over when the subcommand runs. ``tutor sandbox --help`` shows the sandbox's own help.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings


def add_parser(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Register ``sandbox``; its arguments are left for the sandbox's own parser."""
    parser = subparsers.add_parser(
        "sandbox", help="run code in the sandbox, or serve it over HTTP", add_help=False
    )
    parser.set_defaults(handler=run, passes_on=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Parse the rest of the command line with the sandbox's parser and run its subcommand."""
    from sandbox import cli

    parser = argparse.ArgumentParser(prog="tutor")
    cli.add_parser(parser.add_subparsers(dest="command", required=True))
    sandbox_args = parser.parse_args(["sandbox", *args.rest])
    return int(sandbox_args.handler(sandbox_args))
