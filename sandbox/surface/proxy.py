"""Read-only stand-ins for modules: learner code sees an allow-listed view, never the module object."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from typing import Any

from sandbox.policy.errors import deny

Rule = Callable[[str, Any], str | None]
"""Decides one attribute: None allows it, a string is the reason it is refused."""

OUTSIDE = "it is outside the tutorial surface"
_LAZY_SUBMODULE_MARKERS = ("__numpy_submodules__", "_lazy_modules")
_BY_MODULE: dict[int, ModuleProxy] = {}
_INTERNAL_TYPES: set[type] = set()


class ModuleProxy:
    """A module as learner code sees it: allowed attributes only, nothing writable."""

    __slots__ = ("_tt_cache", "_tt_module", "_tt_name", "_tt_overrides", "_tt_rule")

    def __init__(
        self,
        name: str,
        module: types.ModuleType | None,
        rule: Rule,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "_tt_name", name)
        object.__setattr__(self, "_tt_module", module)
        object.__setattr__(self, "_tt_rule", rule)
        object.__setattr__(self, "_tt_overrides", overrides or {})
        object.__setattr__(self, "_tt_cache", {})
        if module is not None:
            _BY_MODULE[id(module)] = self

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        cache: dict[str, Any] = self._tt_cache
        if name in cache:
            return cache[name]
        value = self._tt_resolve(name)
        cache[name] = value
        return value

    def _tt_lookup(self, name: str) -> tuple[Any, str | None]:
        """Find ``name`` without raising: its value (or the absent marker) and why it is refused, if it is."""
        overrides: dict[str, Any] = self._tt_overrides
        if name in overrides:
            return overrides[name], None
        # Decide by name first: looking a refused name up could import a module (numpy and torch load
        # some submodules lazily), and a forked child may be unable to read module files.
        reason = self._tt_rule(name, _ABSENT)
        if reason is not None:
            return _ABSENT, reason
        module = self._tt_module
        if module is None:
            return _ABSENT, None
        if any(name in getattr(module, marker, ()) for marker in _LAZY_SUBMODULE_MARKERS):
            return _ABSENT, OUTSIDE
        value = getattr(module, name, _ABSENT)
        reason = self._tt_rule(name, value)
        if reason is None and isinstance(value, types.ModuleType):
            reason = OUTSIDE
        return value, reason

    def _tt_resolve(self, name: str) -> Any:
        value, reason = self._tt_lookup(name)
        if reason is not None:
            deny(f"{self._tt_name}.{name} is not available here: {reason}")
        if value is _ABSENT:
            raise AttributeError(f"module '{self._tt_name}' has no attribute '{name}'")
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        deny(f"{self._tt_name} is read-only here: changing it would affect the checks")

    def __delattr__(self, name: str) -> None:
        deny(f"{self._tt_name} is read-only here: changing it would affect the checks")

    def __repr__(self) -> str:
        return f"<module '{self._tt_name}' (sandboxed)>"

    def __dir__(self) -> Iterable[str]:
        names = set(self._tt_overrides)
        module = self._tt_module
        if module is not None:
            names.update(name for name in dir(module) if not name.startswith("_") and offers(self, name))
        return sorted(names)

    def __reduce_ex__(self, protocol: object) -> Any:
        raise TypeError("sandboxed modules cannot be pickled")


def namespace(name: str, values: dict[str, Any], refusal: str) -> ModuleProxy:
    """Build a proxy over fixed values (fakes such as ``torch.cuda``) that refuses every other name."""
    return ModuleProxy(name, None, lambda _name, _value: refusal, values)


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT: Any = _Absent()
_INTERNAL_TYPES.update({ModuleProxy, _Absent})


def module_dunder(proxy: ModuleProxy, name: str) -> Any:
    """Return a module's ``__name__``, ``__doc__`` or ``__version__`` (torch's without its build label)."""
    if name == "__name__":
        return proxy._tt_name
    module = proxy._tt_module
    value = getattr(module, name, _ABSENT) if module is not None else _ABSENT
    if name == "__version__" and isinstance(value, str):
        return value.split("+", 1)[0]  # '2.13.0+cpu' -> '2.13.0', as the handbook shows it
    if value is _ABSENT:
        if name == "__doc__":
            return None
        raise AttributeError(f"module '{proxy._tt_name}' has no attribute '{name}'")
    return value


def offers(proxy: ModuleProxy, name: str) -> bool:
    """Tell whether ``proxy`` has an allowed attribute ``name``, refusing nothing."""
    value, reason = proxy._tt_lookup(name)
    return reason is None and value is not _ABSENT


def is_absent(value: object) -> bool:
    """Tell whether a rule is looking at a name the real module does not have."""
    return value is _ABSENT


def proxy_for_module(module: types.ModuleType) -> ModuleProxy | None:
    """Return the proxy standing for ``module``, if the surface has one."""
    return _BY_MODULE.get(id(module))


def register_internal_type(cls: type) -> None:
    """Mark a sandbox class that learner code must not obtain through ``type()`` or subclass."""
    _INTERNAL_TYPES.add(cls)


def is_internal_type(cls: type) -> bool:
    """Tell whether ``cls`` is one of the sandbox's own classes."""
    return cls in _INTERNAL_TYPES
