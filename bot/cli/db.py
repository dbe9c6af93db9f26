"""The ``tutor db`` commands: upgrade, downgrade, check and current, one line of output per action."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings

Handler = Callable[[argparse.Namespace, "Settings"], int]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``db`` and its subcommands on the top-level ``tutor`` parser."""
    db = subparsers.add_parser(
        "db", help="manage the database schema", description="Manage the database schema."
    )
    commands = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)

    upgrade = commands.add_parser("upgrade", help="apply migrations (to the latest by default)")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(handler=_upgrade)

    downgrade = commands.add_parser("downgrade", help="revert migrations down to REVISION")
    downgrade.add_argument("revision", metavar="REVISION", help="target revision, e.g. 0001 or base")
    downgrade.set_defaults(handler=_downgrade)

    check = commands.add_parser("check", help="compare the schema with the models; exit 1 on drift")
    check.set_defaults(handler=_check)

    current = commands.add_parser("current", help="show the database's revision")
    current.set_defaults(handler=_current)


def _url(settings: Settings) -> str:
    """Return the configured database URL."""
    return settings.database_url.get_secret_value()


def _run(action: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run one async action; an expected store failure becomes one line on stderr and exit status 1."""
    from bot.store.errors import StoreError

    try:
        return asyncio.run(action())
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _revisions(revisions: tuple[str, ...]) -> str:
    """Render revisions for people, marking the head."""
    from bot.store import migrate

    if not revisions:
        return "base (no schema)"
    heads = set(migrate.head_revisions())
    return ", ".join(f"{rev} (head)" if rev in heads else rev for rev in revisions)


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Apply migrations up to ``--revision``."""
    from bot.store import migrate
    from bot.store.engine import mask

    url = _url(settings)

    async def action() -> int:
        await migrate.upgrade(url, args.revision)
        print(f"database at {mask(url)} is at revision {_revisions(await migrate.current(url))}")
        return 0

    return _run(action)


def _downgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Revert migrations down to REVISION."""
    from bot.store import migrate
    from bot.store.engine import mask

    url = _url(settings)

    async def action() -> int:
        await migrate.downgrade(url, args.revision)
        print(f"database at {mask(url)} is at revision {_revisions(await migrate.current(url))}")
        return 0

    return _run(action)


def _check(args: argparse.Namespace, settings: Settings) -> int:
    """Print every difference between the models and the database; exit 1 if there is any."""
    from bot.store import migrate
    from bot.store.engine import mask

    url = _url(settings)

    async def action() -> int:
        drift = await migrate.check(url)
        if not drift:
            print(f"database at {mask(url)} matches the models: no drift")
            return 0
        for line in drift:
            print(f"drift: {line}")
        return 1

    return _run(action)


def _current(args: argparse.Namespace, settings: Settings) -> int:
    """Print the database's revision."""
    from bot.store import migrate
    from bot.store.engine import mask

    url = _url(settings)

    async def action() -> int:
        print(f"database at {mask(url)} is at revision {_revisions(await migrate.current(url))}")
        return 0

    return _run(action)
