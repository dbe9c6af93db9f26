"""Errors the tutor core raises on purpose.

Expected failures are data, bugs are exceptions. A learner's mistake raises ``UserError``, which the tutor
turns into a polite, localized reply; anything else propagates to the adapter's one error handler, which
logs its traceback and tells the learner, briefly, that something went wrong on our side::

    Exception
     └── TutorError               anything the core raises deliberately
          └── UserError           a learner's mistake: becomes a reply in the learner's language
               └── RateLimited    too many commands or runs: "try again in N s"

Sandbox outcomes (timeouts, denials, crashes of learners' code) are never exceptions: they arrive as a
``RunResult.status``. ``sandbox.client.SandboxBusyError`` is caught where code is run and becomes a
``UserError`` as well.
"""

from __future__ import annotations

from typing import Literal

NoticeKind = Literal["info", "warning", "error", "success"]


class TutorError(Exception):
    """Base class of every error the tutor core raises deliberately."""


class UserError(TutorError):
    """A learner's mistake; ``key`` names the message in ``bot.core.i18n``, ``params`` fill it in."""

    def __init__(self, key: str, *, kind: NoticeKind = "warning", **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.kind: NoticeKind = kind
        self.params: dict[str, object] = params


class RateLimited(UserError):
    """The learner sent too many commands or runs; ``retry_after`` is in whole seconds."""

    def __init__(self, key: str, retry_after: int) -> None:
        super().__init__(key, seconds=retry_after)
        self.retry_after = retry_after
