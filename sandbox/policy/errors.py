"""The sandbox's own signals, and a per-run journal that remembers them even if learner code catches them."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import NoReturn

SNIPPET_FILENAME = "<snippet>"


class SandboxSignal(BaseException):
    """Base of the executor's own signals: not an ``Exception``, so ``except Exception`` lets it through."""


class PolicyDenied(SandboxSignal):
    """The policy refused something; the message names it and says why."""


class OutputLimitReached(SandboxSignal):
    """The learner's code printed more than the output limit allows."""


@dataclass
class Journal:
    """What happened during the current run that learner code must not be able to hide."""

    denial: str | None = None
    denial_line: int | None = None
    output_exceeded: bool = False
    learner_classes: set[int] = field(default_factory=set)
    class_refs: list[type] = field(default_factory=list)

    def reset(self) -> None:
        """Forget everything recorded by a previous run."""
        self.denial = None
        self.denial_line = None
        self.output_exceeded = False
        self.learner_classes = set()
        self.class_refs = []

    def reset_signals(self) -> None:
        """Forget a refusal or output overflow (a failed notebook replay is reported on its own)."""
        self.denial = None
        self.denial_line = None
        self.output_exceeded = False

    def add_class(self, cls: type) -> None:
        """Remember a class defined by learner code (its attributes may be written)."""
        self.learner_classes.add(id(cls))
        self.class_refs.append(cls)  # keeps the id valid for the whole run

    def is_learner_class(self, cls: type) -> bool:
        """Tell whether ``cls`` was defined by learner code in this run."""
        return id(cls) in self.learner_classes


JOURNAL = Journal()


def deny(message: str) -> NoReturn:
    """Record a refusal in the journal and raise it."""
    if JOURNAL.denial is None:
        JOURNAL.denial = message
        JOURNAL.denial_line = _snippet_line()
    raise PolicyDenied(message)


def _snippet_line() -> int | None:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == SNIPPET_FILENAME:
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


def underscore_message(name: str) -> str:
    """Say why a name starting with ``_`` is refused."""
    return f"'{name}' is not allowed: names starting with '_' reach Python internals"
