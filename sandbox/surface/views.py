"""Stand-ins for classes learner code must not call directly: safe views and guarded constructors.

``type(x)`` and values found in containers never hand out a class whose constructor can build code,
functions, frames, modules, cells, generators, raw memory views or storages: learner code gets a
``ClassView`` instead, which answers ``isinstance``/``issubclass``, compares equal to the class and shows
as it would, but refuses to be called. A class with a dangerous constructor argument (``np.ndarray``'s
``buffer=``) gets a ``ClassView`` whose call goes through a checked constructor.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from sandbox.policy.errors import deny
from sandbox.surface.proxy import register_internal_type

Constructor = Callable[..., Any]

_STANDINS: dict[type, ClassView] = {}


class ClassView:
    """A class as learner code may hold it: for ``isinstance`` and display; calls are refused or checked."""

    __slots__ = ("_tt_construct", "_tt_real", "_tt_why")
    _tt_real: type
    _tt_construct: Constructor | None
    _tt_why: str

    def __init__(self, real: type, construct: Constructor | None = None, why: str = "") -> None:
        object.__setattr__(self, "_tt_real", real)
        object.__setattr__(self, "_tt_construct", construct)
        object.__setattr__(self, "_tt_why", why)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Build an object through the checked constructor, or refuse."""
        construct: Constructor | None = self._tt_construct
        if construct is None:
            real: type = self._tt_real
            deny(f"creating '{real.__name__}' objects is not available here: {self._tt_why}")
        return construct(*args, **kwargs)

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, self._tt_real)

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, self._tt_real)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ClassView):
            return bool(self._tt_real is other._tt_real)
        return bool(self._tt_real is other)

    def __hash__(self) -> int:
        return hash(self._tt_real)

    def __repr__(self) -> str:
        return repr(self._tt_real)

    def __setattr__(self, name: str, value: Any) -> None:
        deny(f"the class '{self._tt_real.__name__}' is read-only here")

    def __reduce_ex__(self, protocol: object) -> Any:
        raise TypeError("sandboxed classes cannot be pickled")


register_internal_type(ClassView)


def real_class(view: ClassView) -> type:
    """Return the class behind ``view`` (for the guards, never for learner code)."""
    real: type = view._tt_real
    return real


def is_checked_constructor(view: ClassView) -> bool:
    """Tell whether ``view`` stands for a class learner code may call through a checked constructor."""
    return view._tt_construct is not None


def register_standin(real: type, construct: Constructor) -> ClassView:
    """Make ``real`` reach learner code only as a view whose calls go through ``construct``."""
    view = ClassView(real, construct)
    _STANDINS[real] = view
    return view


def standin_for(cls: type) -> ClassView | None:
    """Return the stand-in registered for ``cls``, if any."""
    return _STANDINS.get(cls)


WITHHELD_CLASS_REASONS: dict[type, str] = {
    types.FunctionType: "functions built from code objects run outside the policy; use def or lambda",
    types.CodeType: "code objects run outside the policy",
    types.FrameType: "frames expose the interpreter",
    types.TracebackType: "tracebacks expose the interpreter's frames",
    types.ModuleType: "modules come only from import",
    types.CellType: "cells expose closures' internals",
    types.GeneratorType: "generators come only from 'yield'",
    types.CoroutineType: "coroutines are not available here",
    types.AsyncGeneratorType: "async generators are not available here",
    types.MethodType: "bound methods come only from attribute access",
    types.BuiltinFunctionType: "builtin functions come only from the sandbox's modules",
    types.WrapperDescriptorType: "it exposes the interpreter's internals",
    types.MethodWrapperType: "it exposes the interpreter's internals",
    types.MethodDescriptorType: "it exposes the interpreter's internals",
    types.ClassMethodDescriptorType: "it exposes the interpreter's internals",
    types.GetSetDescriptorType: "it exposes the interpreter's internals",
    types.MemberDescriptorType: "it exposes the interpreter's internals",
    types.MappingProxyType: "class dictionaries expose internals",
    memoryview: "it exposes raw memory",
}


def withhold_class(cls: type, why: str) -> None:
    """Add a class whose constructor learner code must never reach."""
    WITHHELD_CLASS_REASONS[cls] = why


SEALED_CLASS_REASONS: dict[type, str] = {
    type: "metaclasses create classes outside the language policy",
}
"""Classes learner code may use but never derive from (their subclasses included), with the reason."""


def seal_class(cls: type, why: str) -> None:
    """Refuse learner classes deriving from ``cls`` or any of its subclasses."""
    SEALED_CLASS_REASONS[cls] = why


def sealed_reason(cls: type) -> str | None:
    """Say why learner code may not derive from ``cls``, or None when it may."""
    for sealed, why in SEALED_CLASS_REASONS.items():
        if issubclass(cls, sealed):
            return why
    return None


_VIEWS: dict[type, ClassView] = {}


def safe_view(cls: type) -> ClassView | None:
    """Return the uncallable view of ``cls`` when its constructor is withheld, else None."""
    why = WITHHELD_CLASS_REASONS.get(cls)
    if why is None:
        return None
    view = _VIEWS.get(cls)
    if view is None:
        view = _VIEWS[cls] = ClassView(cls, None, why)
    return view
