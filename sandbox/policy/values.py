"""Vetting every value that reaches learner code: attributes, items, iteration, ``with`` and ``except``.

``vet`` is the single gate: modules become their proxies, classes whose constructors are withheld become
safe views, interpreter internals (code, frames, cells, raw memory) are refused, and withheld builtins
stay withheld. Plain data and tensors pass at the cost of one set lookup.
"""

from __future__ import annotations

import builtins
import types
from collections.abc import Iterable, Iterator
from typing import Any

from sandbox.policy.errors import JOURNAL, deny
from sandbox.surface.names import name_set
from sandbox.surface.proxy import ModuleProxy, is_internal_type, proxy_for_module, register_internal_type
from sandbox.surface.views import ClassView, safe_view, standin_for

METACLASS = "metaclasses create classes outside the language policy"

_PLAIN: set[type] = {int, float, str, bool, type(None), bytes, complex, tuple, list, dict, set, frozenset}
_SAFE_ITEMS: set[type] = {range, str, bytes, bytearray}

_WITHHELD_VALUES: dict[type, str] = {
    types.CodeType: "code objects run outside the policy",
    types.FrameType: "frames expose the interpreter",
    types.TracebackType: "tracebacks expose the interpreter's frames",
    types.CellType: "cells expose closures' internals",
    types.MappingProxyType: "class dictionaries expose internals",
    memoryview: "it exposes raw memory",
}

# Callables that must never reach learner code, whatever object exposes them.
_FORBIDDEN_CALLABLES = frozenset(
    id(getattr(builtins, name))
    for name in (
        "eval",
        "exec",
        "compile",
        "open",
        "__import__",
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        "breakpoint",
        "input",
        "help",
        "memoryview",
        "exit",
        "quit",
    )
    if hasattr(builtins, name)
)
_FORBIDDEN_MODULES = name_set(
    """
    os posix nt sys subprocess shutil socket _socket ctypes _ctypes importlib pickle _pickle marshal io
    _io pathlib tempfile multiprocessing threading _thread signal gc inspect code codeop runpy pty fcntl
    mmap resource select selectors asyncio urllib http ssl zipfile tarfile
    """
)


_rewrap_format: Any = None


def install_format_wrapper(wrap: Any) -> None:
    """Give the gate the guards' safe ``str.format`` maker (``wrap(owner, name)``), set once at import."""
    global _rewrap_format  # noqa: PLW0603 - set once by the guards module, which imports this one
    _rewrap_format = wrap


def _native_format(value: Any) -> Any:
    """Return the safe stand-in for a native ``str.format``/``format_map``, bound or not, else None."""
    owner: Any = None
    if value is str.format or value is str.format_map:
        owner = str
    elif type(value) is types.BuiltinMethodType and value.__name__ in ("format", "format_map"):
        bound = value.__self__
        if isinstance(bound, str) or (isinstance(bound, type) and issubclass(bound, str)):
            owner = bound
    if owner is None:
        return None
    if _rewrap_format is None:
        deny("str.format is not available here: the guarded version is not installed")
    return _rewrap_format(owner, value.__name__)


def add_plain_types(*classes: type, items_too: bool = False) -> None:
    """Let values of ``classes`` pass ``vet`` without further checks (and their items, if ``items_too``)."""
    _PLAIN.update(classes)
    if items_too:
        _SAFE_ITEMS.update(classes)


def withhold_values(cls: type, why: str) -> None:
    """Refuse every value of type ``cls`` (storages, ...)."""
    _WITHHELD_VALUES[cls] = why


def vet(value: Any, where: str) -> Any:
    """Return ``value`` as learner code may hold it; refuse what it must not hold."""
    if type(value) in _PLAIN:
        return value
    return _vet(value, where)


def _vet(value: Any, where: str) -> Any:
    if isinstance(value, ModuleProxy | ClassView):
        return value
    if isinstance(value, types.ModuleType):
        proxy = proxy_for_module(value)
        if proxy is None:
            deny(f"{where} is not available here: it is the module '{value.__name__}', outside the sandbox")
        return proxy
    if isinstance(value, type):
        return class_for_learner(value, where)
    why = _WITHHELD_VALUES.get(type(value))
    if why is not None:
        deny(f"{where} is not available here: {why}")
    if callable(value):
        safe_format = _native_format(value)
        if safe_format is not None:
            return safe_format  # str.format would walk '{0.__class__}' fields past the guards
        if id(value) in _FORBIDDEN_CALLABLES:
            deny(f"{where} is not available here: it is a builtin the sandbox withholds")
        module = getattr(value, "__module__", None)
        if isinstance(module, str) and module.split(".")[0] in _FORBIDDEN_MODULES:
            deny(f"{where} is not available here: it comes from the '{module}' module")
    return value


def class_for_learner(cls: type, where: str) -> Any:
    """Return ``cls`` as learner code may hold it: itself, a stand-in, or a safe view; refuse metaclasses."""
    if JOURNAL.is_learner_class(cls):
        return cls
    if is_internal_type(cls):
        deny(f"{where} is not available here: it is part of the sandbox itself")
    if issubclass(cls, type):
        deny(f"{where} is not available here: {METACLASS}")
    standin = standin_for(cls)
    if standin is not None:
        return standin
    view = safe_view(cls)
    return cls if view is None else view


def learner_type(obj: Any) -> Any:
    """Return ``type(obj)`` for learner code (one argument; see ``class_for_learner``)."""
    cls = type(obj)
    if JOURNAL.is_learner_class(cls):
        return cls
    if is_internal_type(cls):
        deny("the type of this object is not available here: it is part of the sandbox itself")
    if issubclass(cls, type):
        deny(f"the type of a class is not available here: {METACLASS}")
    return class_for_learner(cls, "the type of this object")


def guarded_iter(obj: Iterable[Any]) -> Iterator[Any]:
    """Iterate like Python does, vetting every item (strings, ranges and tensors need no check)."""
    iterator = iter(obj)
    if type(obj) in _SAFE_ITEMS:
        return iterator
    return _vetted(iterator)


def _vetted(iterator: Iterator[Any]) -> Iterator[Any]:
    for value in iterator:
        yield value if type(value) in _PLAIN else _vet(value, "an item")


def learner_iter(obj: Any, *sentinel: Any) -> Iterator[Any]:
    """Return ``iter(obj)`` for learner code, vetting its items."""
    if sentinel:
        return _vetted(iter(obj, *sentinel))
    return guarded_iter(obj)


def learner_next(iterator: Any, *default: Any) -> Any:
    """Return ``next(iterator)`` for learner code, vetted."""
    return vet(next(iterator, *default), "the next item")


def learner_max(*args: Any, **kwargs: Any) -> Any:
    """Return ``max(...)`` for learner code, vetted."""
    return vet(max(*args, **kwargs), "the largest item")


def learner_min(*args: Any, **kwargs: Any) -> Any:
    """Return ``min(...)`` for learner code, vetted."""
    return vet(min(*args, **kwargs), "the smallest item")


class VettedContext:
    """Wrap a context manager so the value ``with ... as x`` binds is vetted."""

    __slots__ = ("_manager",)

    def __init__(self, manager: Any) -> None:
        self._manager = manager

    def __enter__(self) -> Any:
        kind = type(self._manager)
        if not hasattr(kind, "__enter__") or not hasattr(kind, "__exit__"):
            raise TypeError(f"'{kind.__name__}' object does not support the context manager protocol")
        return vet(kind.__enter__(self._manager), "the value of 'with'")

    def __exit__(self, *exc: Any) -> Any:
        return type(self._manager).__exit__(self._manager, *exc)


register_internal_type(VettedContext)


def vet_exception(exc: BaseException) -> BaseException:
    """Vet the exception an ``except ... as e`` clause binds."""
    checked: BaseException = vet(exc, "the exception")
    return checked
