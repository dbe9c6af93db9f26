"""The error every part may raise to the entry layer when the process cannot start."""

from __future__ import annotations


class StartupError(Exception):
    """A dependency could not be opened; the message is one line, safe to show (no secrets)."""
