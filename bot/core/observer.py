"""What the tutor reports about its work to whoever watches it (metrics), without knowing who does.

The composition root passes an observer in (the Prometheus adapter in ``bot.observability``); the core
only calls these two methods, so it needs no metrics library and tests need no observer at all.
"""

from __future__ import annotations

from typing import Literal, Protocol

Outcome = Literal["ok", "user_error", "rate_limited", "error"]
"""How a command ended: replies given, a learner's mistake, a rate limit, or a bug (an exception)."""

BUSY = "busy"
"""The run status reported when every runner was full and the run was refused unrun."""


class CommandObserver(Protocol):
    """Told about every command and every sandbox run when they end."""

    def command_done(self, name: str, outcome: Outcome, seconds: float) -> None:
        """Note that command ``name`` ended with ``outcome`` after ``seconds``."""
        ...

    def run_done(self, status: str, seconds: float) -> None:
        """Note that a sandbox run ended with ``status`` (a result status, or ``busy``) after ``seconds``."""
        ...


class NoObserver:
    """An observer that notes nothing: the default."""

    def command_done(self, name: str, outcome: Outcome, seconds: float) -> None:
        """Ignore the command."""

    def run_done(self, status: str, seconds: float) -> None:
        """Ignore the run."""
