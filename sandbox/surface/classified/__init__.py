"""Every public name of ``torch``, ``torch.Tensor``, ``torch.nn.functional`` and ``numpy``, classified.

Each name is allowed or refused with a reason; a name missing from both (new in a later version) is
refused as unclassified until someone reviews it, and ``tests/sandbox/test_classification.py`` lists it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.surface import reasons


@dataclass(frozen=True, slots=True)
class Classified:
    """The reviewed decision for every public name of one module or class."""

    label: str
    allowed: frozenset[str]
    refused: dict[str, str]

    def reason(self, name: str) -> str | None:
        """Return why ``name`` is refused, or None when it is allowed."""
        if name in self.allowed:
            return None
        return self.refused.get(name, reasons.UNCLASSIFIED)

    def is_classified(self, name: str) -> bool:
        """Tell whether ``name`` was reviewed (allowed or refused)."""
        return name in self.allowed or name in self.refused
