"""What the tutor remembers in this process only: cheap, per learner, and fine to lose on a restart."""

from __future__ import annotations

import ast
from collections import OrderedDict

_MAX_NAMES = 200


class NameMemory:
    """Remembers the top-level names each learner's earlier runs defined, to explain a later NameError."""

    def __init__(self) -> None:
        self._names: dict[int, OrderedDict[str, None]] = {}

    def remember(self, learner_id: int, *sources: str | None) -> None:
        """Note the names that these code snippets bind at top level."""
        names = self._names.setdefault(learner_id, OrderedDict())
        for source in sources:
            for name in defined_names(source or ""):
                names.pop(name, None)
                names[name] = None
        while len(names) > _MAX_NAMES:
            names.popitem(last=False)

    def defined_before(self, learner_id: int, name: str) -> bool:
        """Tell whether an earlier run of this learner defined ``name``."""
        return name in self._names.get(learner_id, {})

    def forget(self, learner_id: int) -> None:
        """Forget everything about a learner."""
        self._names.pop(learner_id, None)


def defined_names(source: str) -> list[str]:
    """Return the names a snippet binds at its top level (assignments, imports, defs), without running it."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found.extend((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For | ast.With):
            targets = _targets(node)
            found.extend(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return found


def _targets(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For):
        return [node.target]
    if isinstance(node, ast.With):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    return []
