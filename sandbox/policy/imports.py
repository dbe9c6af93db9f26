"""Which modules learner code may import, and why any other import is refused."""

from __future__ import annotations

from sandbox.surface import reasons
from sandbox.surface.names import name_set

IMPORTABLE = frozenset(
    {
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.nn.init",
        "torch.nn.utils",
        "torch.nn.utils.rnn",
        "torch.optim",
        "torch.optim.lr_scheduler",
        "torch.autograd",
        "torch.autograd.functional",
        "torch.utils",
        "torch.utils.data",
        "torch.linalg",
        "torch.fft",
        "torch.special",
        "torch.distributions",
        "numpy",
        "numpy.random",
        "numpy.linalg",
        "numpy.fft",
        "math",
        "random",
        "itertools",
        "collections",
        "collections.abc",
    }
)

FUTURE_FEATURES = name_set(
    """
    print_function division absolute_import unicode_literals generators nested_scopes with_statement
    annotations
    """
)

ALLOWED_TEXT = "only torch, numpy, math, random, itertools, collections can be imported"


def import_refusal(module: str, level: int = 0) -> str | None:
    """Return why importing ``module`` is refused, or None when it is allowed."""
    if level:
        return "relative imports are not allowed: there is no package here"
    if module in IMPORTABLE or module == "__future__":
        return None
    parts = module.split(".")
    reason: str | None = None
    if parts[0] == "torch" and len(parts) >= 2:
        if parts[1] == "utils" and len(parts) >= 3:
            reason = reasons.TORCH_UTILS.get(parts[2])
        elif parts[1] == "autograd" and len(parts) >= 3:
            reason = reasons.TORCH_AUTOGRAD.get(parts[2])
        else:
            reason = reasons.TORCH.get(parts[1])
    elif parts[0] == "numpy" and len(parts) >= 2:
        reason = reasons.NUMPY.get(parts[1])
    if reason:
        return f"import of '{module}' is not allowed: {reason}"
    return f"import of '{module}' is not allowed: {ALLOWED_TEXT}"


def future_refusal(names: list[str]) -> str | None:
    """Return why a ``from __future__ import`` is refused, or None when every feature is allowed."""
    for name in names:
        if name not in FUTURE_FEATURES:
            return f"'from __future__ import {name}' is not allowed here"
    return None
