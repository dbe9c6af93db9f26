"""Helpers every lesson probe may call: they read a learner's modules and optimizers without running them.

A learner's ``nn.Module`` subclass may override ``modules()``, ``named_modules()`` or ``parameters()``
(even ``nn.Module.parameters(model)`` calls ``named_modules()`` on the model and on each child), and its
``__eq__``/``__hash__`` answer the membership tests torch's walk makes. These helpers walk the modules'
own ``_modules`` and ``_parameters`` tables instead, comparing by identity, so no learner code runs.

Optimizer steps are counted by a global post-step hook installed before learner code runs: an optimizer's
state can be rewritten by hand, the hook's count cannot.
"""

from __future__ import annotations

import weakref
from typing import Any

import torch
from torch.optim.optimizer import register_optimizer_step_post_hook

_MAX_MODULES = 10_000
_steps: dict[int, tuple[weakref.ref[Any], int]] = {}
_watching: list[bool] = []


def submodules(model: object) -> list[torch.nn.Module]:
    """Return ``model`` and every module under it, in the order ``model.modules()`` gives, each once."""
    if not isinstance(model, torch.nn.Module):
        return []
    found: list[torch.nn.Module] = []
    seen: set[int] = set()
    stack: list[Any] = [model]
    while stack and len(found) < _MAX_MODULES:
        module = stack.pop()
        if not isinstance(module, torch.nn.Module) or id(module) in seen:
            continue
        seen.add(id(module))
        found.append(module)
        children = _table(module, "_modules")
        stack.extend(reversed(children))
    return found


def parameters_of(model: object) -> list[torch.Tensor]:
    """Return the parameters under ``model``, in the order ``model.parameters()`` gives, each once."""
    found: list[torch.Tensor] = []
    seen: set[int] = set()
    for module in submodules(model):
        for param in _table(module, "_parameters"):
            if isinstance(param, torch.Tensor) and id(param) not in seen:
                seen.add(id(param))
                found.append(param)
    return found


def _table(module: torch.nn.Module, name: str) -> list[Any]:
    table = object.__getattribute__(module, "__dict__").get(name)
    if type(table) is not dict:
        return []
    return [value for value in dict.values(table) if value is not None]


def watch_optimizers() -> None:
    """Count every optimizer step from now on (once per process; later calls do nothing)."""
    if _watching:
        return
    register_optimizer_step_post_hook(_count_step)
    _watching.append(True)


def _count_step(optimizer: Any, args: Any, kwargs: Any) -> None:
    key = id(optimizer)
    entry = _steps.get(key)
    count = entry[1] if entry is not None and entry[0]() is optimizer else 0
    try:
        ref = weakref.ref(optimizer)
    except TypeError:
        return
    _steps[key] = (ref, count + 1)


def optimizer_steps(optimizer: object) -> int:
    """Return how many times ``optimizer.step()`` ran, as torch's own step wrapper saw it."""
    entry = _steps.get(id(optimizer))
    if entry is None or entry[0]() is not optimizer:
        return 0
    return entry[1]


BUILTIN_OPTIMIZERS = frozenset(
    value
    for value in vars(torch.optim).values()
    if isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
) - {torch.optim.Optimizer}


def builtin_optimizer(value: object) -> bool:
    """Say whether ``value`` is one of torch's own optimizers, not a subclass a learner wrote."""
    return type(value) in BUILTIN_OPTIMIZERS


CHECK_HELPERS: dict[str, Any] = {
    "submodules": submodules,
    "parameters_of": parameters_of,
    "optimizer_steps": optimizer_steps,
    "builtin_optimizer": builtin_optimizer,
}
"""The names every probe's and check's scope gets (``execution.check_scope``); probes are where they help."""
