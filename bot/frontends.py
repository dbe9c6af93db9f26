"""What ``tutor serve`` runs: front ends that share one tutor in one event loop.

A front end's ``run()`` serves until ``stop()`` is called, then returns once it has stopped taking
commands and finished the ones in flight; it raises ``FrontendError`` (one line, no secrets) if it cannot
start, for example because its token was rejected.
"""

from __future__ import annotations

from typing import Protocol


class FrontendError(Exception):
    """A front end could not start or keep running; the message is one line, safe to show."""


class Frontend(Protocol):
    """One chat platform served by the tutor."""

    name: str

    async def run(self) -> None:
        """Serve until ``stop()``; return after finishing the commands in flight."""
        ...

    async def stop(self) -> None:
        """Ask ``run()`` to stop taking commands and return; safe to call before or after it."""
        ...
