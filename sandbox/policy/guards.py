"""The run-time half of the language policy: the guards RestrictedPython's compiled code calls."""

from __future__ import annotations

import _string  # type: ignore[import-not-found]  # the parser behind str.format's field names
import builtins
import operator
import string
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from sandbox.policy.errors import JOURNAL, deny, underscore_message
from sandbox.surface import reasons
from sandbox.surface.names import name_set
from sandbox.surface.proxy import ModuleProxy, is_internal_type, proxy_for_module, register_internal_type
from sandbox.surface.rules import AttributePolicy

_MISSING = object()
METACLASS = "metaclasses create classes outside the language policy"

_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "|=": operator.ior,
    "^=": operator.ixor,
    "&=": operator.iand,
    "@=": operator.imatmul,
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
    mmap resource select selectors asyncio urllib http ssl zipfile tarfile operator string
    """
)


_POLICY: AttributePolicy | None = None
_SAFE_VIEWS: dict[type, type] = {}

# Classes whose objects learner code must never hold, and whose constructors type() must never hand out.
_MORE_CONSTRUCTORS: set[type] = set()  # compiled-function classes of the libraries, set at install
_CONSTRUCTOR_TYPES: frozenset[type] = frozenset(
    {
        types.FunctionType,
        types.CodeType,
        types.FrameType,
        types.TracebackType,
        types.GeneratorType,
        types.CoroutineType,
        types.AsyncGeneratorType,
        types.ModuleType,
        types.CellType,
        types.MethodType,
        types.BuiltinFunctionType,
        types.MappingProxyType,
        memoryview,
    }
)
_UNHOLDABLE: tuple[type, ...] = (
    types.CodeType,
    types.FrameType,
    types.TracebackType,
    types.CellType,
    types.MappingProxyType,
    memoryview,
)
# Values vet() passes at once: by far the most common, and none of them can lead anywhere.
_PLAIN: frozenset[type] = frozenset({int, float, bool, str, complex, type(None), bytes, slice, range})


def install_policy(
    policy: AttributePolicy, safe_views: Mapping[type, type], constructors: Iterable[type] = ()
) -> None:
    """Set the attribute policy, the stand-ins ``type()`` gives, and more classes it must withhold.

    ``safe_views`` maps native classes with dangerous constructors to safe stand-ins; ``constructors`` are
    further classes ``type()`` never hands out (the libraries' compiled-function classes).
    """
    global _POLICY  # noqa: PLW0603 - set once in the warm parent, before any fork
    _POLICY = policy
    _SAFE_VIEWS.clear()
    _SAFE_VIEWS.update(safe_views)
    _MORE_CONSTRUCTORS.update(constructors)


def _policy() -> AttributePolicy:
    assert _POLICY is not None, "install_policy() runs before any learner code"
    return _POLICY


def _is_instance_or_subclass(obj: Any, cls: type) -> bool:
    return isinstance(obj, cls) or (isinstance(obj, type) and issubclass(obj, cls))


def check_attribute_name(name: object) -> str:
    """Return ``name`` if learner code may use it as an attribute name; refuse it otherwise."""
    if type(name) is not str:
        deny("attribute names must be plain strings here: a str subclass could disguise a '_' name")
    if name.startswith("_"):
        deny(underscore_message(name))
    if name in INSPECT_ATTRIBUTES:
        deny(f"'{name}' is not allowed: it exposes the interpreter's frames and code")
    if name in reasons.ANY_OBJECT:
        deny(f"'{name}' is not available here: {reasons.ANY_OBJECT[name]}")
    return name


def vet(value: Any, where: str) -> Any:
    """Return ``value`` if learner code may hold it (module objects become proxies); refuse it otherwise."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, ModuleProxy):
        return value
    if isinstance(value, types.ModuleType):
        proxy = proxy_for_module(value)
        if proxy is None:
            deny(f"{where} is not available here: it is the module '{value.__name__}', outside the sandbox")
        return proxy
    if isinstance(value, type):
        if issubclass(value, type):
            deny(f"{where} is not available here: {METACLASS}")
        if value in _SAFE_VIEWS:
            return _SAFE_VIEWS[value]
        if value in _CONSTRUCTOR_TYPES:
            deny(f"{where} is not available here: {value.__name__} objects are internal to Python")
    if isinstance(value, _UNHOLDABLE):
        deny(f"{where} is not available here: a {kind.__name__} object reaches the interpreter's internals")
    if kind is dict and _is_module_namespace(value):
        deny(f"{where} is not available here: it is a module's namespace, outside the sandbox")
    if callable(value):
        if id(value) in _FORBIDDEN_CALLABLES:
            deny(f"{where} is not available here: it is a builtin the sandbox withholds")
        module = getattr(value, "__module__", None)
        if isinstance(module, str) and module.split(".")[0] in _FORBIDDEN_MODULES:
            deny(f"{where} is not available here: it comes from the '{module}' module")
    return value


def _is_module_namespace(value: dict[Any, Any]) -> bool:
    name = value.get("__name__")
    module = sys.modules.get(name) if isinstance(name, str) else None
    return module is not None and getattr(module, "__dict__", None) is value


def guarded_getattr(obj: Any, name: str, default: Any = _MISSING) -> Any:
    """Read an attribute the way learner code may: no ``_`` names, allow-listed native attributes only."""
    check_attribute_name(name)
    if name in ("format", "format_map") and _is_instance_or_subclass(obj, str):
        return _safe_format_method(obj, name)
    refusal = _refusal(obj, name)
    if refusal is not None:
        if default is not _MISSING:
            return default  # feature detection such as getattr(torch, "compile", None) is not an attack
        deny(refusal)
    value = getattr(obj, name) if default is _MISSING else getattr(obj, name, default)
    return vet(value, f"'{name}'")


def _refusal(obj: Any, name: str) -> str | None:
    """Return the whole refusal message for reading ``obj.name``, or None if it may be read."""
    if isinstance(obj, ModuleProxy):
        _value, reason = obj._tt_lookup(name)
        return None if reason is None else f"{obj._tt_name}.{name} is not available here: {reason}"
    return _policy().read_refusal(obj, name)


def guarded_hasattr(obj: Any, name: str) -> bool:
    """Tell whether ``obj`` has an attribute learner code may read (refused ones count as missing)."""
    check_attribute_name(name)
    if _refusal(obj, name) is not None:
        return False
    return hasattr(obj, name)


def guarded_getitem(obj: Any, key: Any) -> Any:
    """Read an item; module objects found in containers are refused like attributes are."""
    return vet(obj[key], "that item")


def guarded_write(obj: Any) -> Any:
    """Return what ``obj.name = value``, ``del obj.name`` and ``obj[key] = value`` act on in learner code.

    Containers and the learner's own objects are written directly; a native object comes back wrapped, so
    that assigning an attribute it does not list as writable is refused.
    """
    if isinstance(obj, ModuleProxy | types.ModuleType):
        deny("modules are read-only here: changing torch or numpy would affect the checks")
    if isinstance(obj, types.BuiltinFunctionType | types.MethodType | types.BuiltinMethodType):
        deny("builtin functions and bound methods are read-only here")
    if isinstance(obj, type):
        refusal = _policy().write_refusal(obj, "")
        if refusal is not None:
            deny(refusal)
        return obj
    kind = type(obj)
    if kind in (list, dict, set) or _policy().write_refusal(obj, "") is None:
        return obj
    return _WriteGuard(obj)


class _WriteGuard:
    """A native object seen through ``_write_``: item writes pass, attribute writes are checked by name."""

    __slots__ = ("_tt_target",)
    _tt_target: Any

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_tt_target", target)

    def __setattr__(self, name: str, value: Any) -> None:
        target = self._tt_target
        _check_write(target, name)
        setattr(target, name, value)

    def __delattr__(self, name: str) -> None:
        target = self._tt_target
        _check_write(target, name)
        delattr(target, name)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._tt_target[key] = value

    def __delitem__(self, key: Any) -> None:
        del self._tt_target[key]


register_internal_type(_WriteGuard)


def _check_write(target: Any, name: str) -> None:
    refusal = _policy().write_refusal(target, name)
    if refusal is not None:
        deny(refusal)


def guarded_setattr(obj: Any, name: str, value: Any) -> None:
    """Set an attribute the way ``obj.name = value`` would in learner code."""
    setattr(guarded_write(obj), check_attribute_name(name), value)


def guarded_delattr(obj: Any, name: str) -> None:
    """Delete an attribute the way ``del obj.name`` would in learner code."""
    delattr(guarded_write(obj), check_attribute_name(name))


def inplace_var(op: str, target: Any, value: Any) -> Any:
    """Apply an augmented assignment operator (``+=``, ``-=``, ...) like Python does."""
    return _INPLACE[op](target, value)


def guarded_apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` with unpacked ``*args``/``**kwargs``."""
    return func(*args, **kwargs)


def guarded_iter(obj: Iterable[Any]) -> Iterator[Any]:
    """Iterate like Python does, vetting every item exactly like an attribute value."""
    if type(obj) is range:
        return iter(obj)  # nothing but integers
    return _Vetted(iter(obj))


class _Vetted:
    """An iterator whose items pass through ``vet``."""

    __slots__ = ("_tt_items",)

    def __init__(self, items: Iterator[Any]) -> None:
        self._tt_items = items

    def __iter__(self) -> _Vetted:
        return self

    def __next__(self) -> Any:
        return vet(next(self._tt_items), "an item")


register_internal_type(_Vetted)


def guarded_next(iterator: Any, *default: Any) -> Any:
    """``next()`` whose result is vetted like an attribute value."""
    return vet(next(iterator, *default), "the next item")


def guarded_max(*args: Any, **kwargs: Any) -> Any:
    """``max()`` whose result is vetted: it is one of the items."""
    return vet(max(*args, **kwargs), "the largest item")


def guarded_min(*args: Any, **kwargs: Any) -> Any:
    """``min()`` whose result is vetted: it is one of the items."""
    return vet(min(*args, **kwargs), "the smallest item")


def vet_target(value: Any) -> Any:
    """Vet what ``with ... as name`` or ``except ... as name`` binds."""
    return vet(value, "that object")


def init_of(cls: Any) -> Any:
    """Return ``cls.__init__`` for explicit base-class initialisation (``nn.Module.__init__(self)``)."""
    if not isinstance(cls, type):
        deny(underscore_message("__init__") + " (only 'SomeClass.__init__(self, ...)' is allowed)")
    init: Any = cls.__init__  # type: ignore[misc]  # the class's own __init__ is exactly what is wanted
    return init


def build_class(name: str, bases: tuple[Any, ...], namespace: dict[str, Any], **kwargs: Any) -> type:
    """Create a learner's class with the right metaclass and remember it as learner-defined."""
    metaclass: type = type
    for base in bases:
        if not isinstance(base, type) or is_internal_type(base):
            deny(f"class '{name}' cannot derive from {base!r}: only classes can be base classes")
        base_meta = type(base)
        if issubclass(base_meta, metaclass):
            metaclass = base_meta
        elif not issubclass(metaclass, base_meta):
            raise TypeError(f"class '{name}': the metaclasses of its bases conflict")
    cls: type = metaclass(name, bases, namespace, **kwargs)
    JOURNAL.add_class(cls)
    return cls


class _SafeFormatter(string.Formatter):
    """``str.format`` whose field names (``{0.attr}``, ``{0[key]}``) go through the guards."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            obj = guarded_getattr(obj, key) if is_attr else guarded_getitem(obj, key)
        return obj, first


_FORMATTER = _SafeFormatter()


def _safe_format_method(obj: Any, name: str) -> Callable[..., str]:
    if isinstance(obj, type):
        if name == "format":
            return lambda template, *args, **kwargs: _FORMATTER.vformat(template, args, kwargs)
        return lambda template, mapping: _FORMATTER.vformat(template, (), mapping)
    if name == "format":
        return lambda *args, **kwargs: _FORMATTER.vformat(obj, args, kwargs)
    return lambda mapping: _FORMATTER.vformat(obj, (), mapping)


def guarded_type(obj: Any) -> type:
    """Return the class of ``obj`` (one argument only), never a constructor of Python's internal objects."""
    cls = type(obj)
    if isinstance(obj, ModuleProxy):
        deny("the type of a module is not available here: it would build module objects")
    if is_internal_type(cls):
        deny("the type of this object is not available here: it is part of the sandbox itself")
    if issubclass(cls, type):
        deny(f"the type of a class is not available here: {METACLASS}")
    if cls in _CONSTRUCTOR_TYPES or cls in _MORE_CONSTRUCTORS:
        deny(
            f"the type of a {cls.__name__} object is not available here: "
            f"it would build {cls.__name__} objects"
        )
    return _SAFE_VIEWS.get(cls, cls)


def guarded_dir(obj: Any = _MISSING) -> list[str]:
    """List the attribute names of ``obj`` that learner code may use."""
    if obj is _MISSING:
        deny("dir() without an argument is not available here: it lists the sandbox's namespace")
    return sorted(name for name in dir(obj) if not name.startswith("_"))
