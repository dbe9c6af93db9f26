"""Which known names a mistyped one plausibly meant, judged as Python judges its own "Did you mean".

A suggestion must be close for the lengths involved: at most one edit per six characters of the two
names together (plus a little), the bound Python's tracebacks use, with a swap of two neighbouring
letters counted as one slip. So ``tensor-basic`` suggests ``tensor-basics`` and ``bsae`` ``base``, while
``exit`` suggests nothing rather than ``next``.
"""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """Return the edits from ``a`` to ``b``: insertions, deletions, substitutions, swaps of neighbours."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)  # "bsae" is one slip from "base"
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def plausible(typed: str, candidate: str) -> bool:
    """Tell whether ``candidate`` is plausibly what was meant by ``typed`` (case aside)."""
    a, b = typed.lower(), candidate.lower()
    return a != b and distance(a, b) <= (len(a) + len(b) + 3) // 6


def similar(typed: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Return up to ``limit`` candidates plausibly meant by ``typed``, closest first."""
    unique = list(dict.fromkeys(candidates))
    ranked = sorted(
        (distance(typed.lower(), c.lower()), index, c)
        for index, c in enumerate(unique)
        if plausible(typed, c)
    )
    return [c for _, _, c in ranked[:limit]]
