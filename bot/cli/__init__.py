"""The entry layer: the ``tutor`` command and its subcommands, one module each.

Each module's ``add_parser(subparsers)`` registers its subcommand with nothing heavier than ``argparse``, so
``tutor --help`` is fast; its handler ``run(args, settings) -> int`` imports what it uses when it runs.
Subcommands reach the rest of the bot through the composition root (``bot.app``) or the part they drive.
"""

from bot.cli.tutor import main

__all__ = ["main"]
