"""The run-time half of the language policy: the guards RestrictedPython's compiled code calls."""

from __future__ import annotations

import _string  # type: ignore[import-not-found]  # the parser behind str.format's field names
import operator
import string
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from sandbox.policy.errors import JOURNAL, deny, underscore_message
from sandbox.policy.transformer import READABLE_DUNDERS
from sandbox.policy.values import install_format_wrapper, vet
from sandbox.surface import reasons
from sandbox.surface.attributes import AttributeRules
from sandbox.surface.proxy import ModuleProxy, is_internal_type, module_dunder, offers, register_internal_type
from sandbox.surface.views import (
    WITHHELD_CLASS_REASONS,
    ClassView,
    is_checked_constructor,
    real_class,
    sealed_reason,
)

_MISSING = object()

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

_RULES = AttributeRules({}, ())
_METHOD_GUARDS: dict[str, Callable[[Any], Any]] = {}


def install(rules: AttributeRules) -> None:
    """Give the guards the attribute rules of every native type (built once, before fork)."""
    global _RULES  # noqa: PLW0603 - set once per process by the executor
    _RULES = rules


def install_method_guard(name: str, wrap: Callable[[Any], Any]) -> None:
    """Hand out every allowed method called ``name`` wrapped by ``wrap`` (``savefig``: memory only)."""
    _METHOD_GUARDS[name] = wrap


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


def read_dunder(obj: Any, name: str, default: Any = _MISSING) -> Any:
    """Read one of the reviewed dunder attributes (``__name__``, ``__version__``, ...) as a plain string."""
    if name not in READABLE_DUNDERS:
        deny(underscore_message(name))
    if isinstance(obj, ModuleProxy):
        try:
            value = module_dunder(obj, name)
        except AttributeError:
            value = _MISSING
    else:
        target = real_class(obj) if isinstance(obj, ClassView) else obj
        if type(target) is super:
            deny(f"'{name}' is not available here through super()")
        value = getattr(target, name, _MISSING)
    if value is _MISSING:
        if default is not _MISSING:
            return default
        raise AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")
    if isinstance(value, str):
        return str.__str__(value)  # a plain str, whatever subclass carried it
    if value is None and name == "__doc__":
        return None
    deny(f"'{name}' is not available here: it is readable only where its value is a plain string")


def guarded_getattr(obj: Any, name: str, default: Any = _MISSING) -> Any:
    """Read an attribute the way learner code may: allow-listed per type, and the value vetted."""
    if name in READABLE_DUNDERS and type(name) is str:
        return read_dunder(obj, name, default)
    check_attribute_name(name)
    if name in ("format", "format_map") and _is_str_or_str_class(obj):
        return _safe_format_method(obj, name)
    if isinstance(obj, ModuleProxy):
        if default is not _MISSING and not offers(obj, name):
            return default  # feature detection such as getattr(torch, "compile", None) is not an attack
        value = getattr(obj, name) if default is _MISSING else getattr(obj, name, default)
        return vet(value, f"'{name}'")
    target = obj
    if type(obj) is super:
        return _super_getattr(obj, name, default)
    if isinstance(obj, ClassView):
        if not is_checked_constructor(obj):
            deny(f"'{name}' is not available here: this class is shown for display and isinstance() only")
        target = real_class(obj)
    refusal = _RULES.refusal(target, name)
    if refusal is not None:
        if default is not _MISSING:
            return default
        deny(refusal)
    value = getattr(target, name) if default is _MISSING else getattr(target, name, default)
    if name in _METHOD_GUARDS and callable(value):
        return _METHOD_GUARDS[name](value)
    return vet(value, f"'{name}'")


def _super_getattr(proxy: super, name: str, default: Any) -> Any:
    """Read through ``super()`` what the class it resolves to may offer (that class's rules apply).

    The rules are decided by the class after ``__thisclass__`` in the MRO, not by the learner's class:
    a learner's method named like a refused one (``def as_strided``) must not unlock the native one.
    """
    owner: Any = proxy.__self__  # type: ignore[attr-defined]
    if name in ("format", "format_map") and _is_str_or_str_class(owner):
        return _safe_format_method(owner, name)
    refusal = _RULES.refusal_after(owner, proxy.__thisclass__, name)  # type: ignore[attr-defined]
    if refusal is not None:
        if default is not _MISSING:
            return default
        deny(refusal)
    value = getattr(proxy, name) if default is _MISSING else getattr(proxy, name, default)
    return vet(value, f"'{name}'")


def _is_str_or_str_class(obj: Any) -> bool:
    return isinstance(obj, str) or (isinstance(obj, type) and issubclass(obj, str))


def _quietly_refused(obj: Any, name: str) -> bool:
    if isinstance(obj, ModuleProxy):
        return not offers(obj, name)
    if type(obj) is super:
        return _RULES.refusal_after(obj.__self__, obj.__thisclass__, name) is not None  # type: ignore[attr-defined]
    if isinstance(obj, ClassView):
        return not is_checked_constructor(obj) or _RULES.refusal(real_class(obj), name) is not None
    return _RULES.refusal(obj, name) is not None


def guarded_hasattr(obj: Any, name: str) -> bool:
    """Tell whether ``obj`` has an attribute learner code may read (refused ones count as missing)."""
    if name in READABLE_DUNDERS and type(name) is str:
        try:
            read_dunder(obj, name)
        except AttributeError:
            return False
        return True
    check_attribute_name(name)
    if _quietly_refused(obj, name):
        return False
    return hasattr(real_class(obj) if isinstance(obj, ClassView) else obj, name)


def guarded_getitem(obj: Any, key: Any) -> Any:
    """Read an item; module objects found in containers are refused like attributes are."""
    return vet(obj[key], "that item")


def guarded_write(obj: Any) -> Any:
    """Return ``obj`` if learner code may set or delete its attributes or items; refuse it otherwise."""
    if isinstance(obj, ModuleProxy | types.ModuleType):
        deny("modules are read-only here: changing torch or numpy would affect the checks")
    if isinstance(obj, type) and not JOURNAL.is_learner_class(obj):
        deny(f"the class '{obj.__name__}' is read-only here: only classes you define can be changed")
    if isinstance(obj, types.BuiltinFunctionType | types.MethodType | types.BuiltinMethodType):
        deny("builtin functions and bound methods are read-only here")
    if type(obj) in _ITEMS_ONLY or isinstance(obj, type):
        return obj  # no instance attributes to shadow methods with (classes: the learner's own)
    return _Writer(obj)


_ITEMS_ONLY = frozenset({list, dict, set, bytearray})


def refuse_shadowing(obj: Any, name: str) -> None:
    """Refuse an instance attribute that would hide a method of a class the learner did not define.

    ``w.item = lambda: -3.0`` would make a lesson check, the tensor table or the figure renderer call
    learner code where they call torch's or matplotlib's method. Data descriptors (``x.grad = ...``,
    ``a.shape = ...``) are the class's own setters and stay writable, as do plain data attributes.
    """
    if isinstance(obj, type):
        return
    cls = type(obj)
    for owner in cls.__mro__:
        member = owner.__dict__.get(name, _MISSING)
        if member is _MISSING:
            continue
        if JOURNAL.is_learner_class(owner):
            return
        kind = type(member)
        if hasattr(kind, "__set__") or not (callable(member) or hasattr(kind, "__get__")):
            return
        deny(
            f"'{name}' cannot be replaced on {cls.__name__} objects here: it is a method of "
            f"{owner.__name__}, which the sandbox and the lesson checks call; define your own class instead"
        )


class _Writer:
    """What ``obj.name = value`` and ``obj[key] = value`` write through: the shadowing rule, then ``obj``."""

    __slots__ = ("_target",)

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)

    def __setattr__(self, name: str, value: Any) -> None:
        target = object.__getattribute__(self, "_target")
        refuse_shadowing(target, name)
        setattr(target, name, value)

    def __delattr__(self, name: str) -> None:
        target = object.__getattribute__(self, "_target")
        refuse_shadowing(target, name)
        delattr(target, name)

    def __setitem__(self, key: Any, value: Any) -> None:
        object.__getattribute__(self, "_target")[key] = value

    def __delitem__(self, key: Any) -> None:
        del object.__getattribute__(self, "_target")[key]


register_internal_type(_Writer)


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


def init_of(cls: Any) -> Any:
    """Return ``cls.__init__`` for explicit base-class initialisation (``nn.Module.__init__(self)``)."""
    if not isinstance(cls, type):
        deny(underscore_message("__init__") + " (only 'SomeClass.__init__(self, ...)' is allowed)")
    init: Any = cls.__init__  # type: ignore[misc]  # the class's own __init__ is exactly what is wanted
    return init


def build_class(name: str, bases: tuple[Any, ...], namespace: dict[str, Any], **kwargs: Any) -> type:
    """Create a learner's class with the right metaclass and remember it as learner-defined."""
    metaclass = _metaclass_of(name, bases)
    cls: type = metaclass(name, bases, namespace, **kwargs)
    JOURNAL.add_class(cls)
    return cls


def _prepare_class(name: str, bases: tuple[Any, ...], **kwargs: Any) -> Any:
    """Give the class body the namespace its metaclass prepares (enum members need ``_EnumDict``)."""
    return _metaclass_of(name, bases).__prepare__(name, bases, **kwargs)


build_class.__prepare__ = _prepare_class  # type: ignore[attr-defined]  # read by __build_class__


def check_base(name: str, base: Any) -> None:
    """Refuse ``base`` as a base of the learner's class ``name`` unless learner code may derive from it."""
    if not isinstance(base, type) or is_internal_type(base):
        deny(f"class '{name}' cannot derive from {base!r}: only classes can be base classes")
    if base in WITHHELD_CLASS_REASONS:
        deny(f"class '{name}' cannot derive from {base.__name__}: {WITHHELD_CLASS_REASONS[base]}")
    sealed = sealed_reason(base)
    if sealed is not None:
        deny(f"class '{name}' cannot derive from {base.__name__}: {sealed}")


def _metaclass_of(name: str, bases: tuple[Any, ...]) -> type:
    metaclass: type = type
    for base in bases:
        check_base(name, base)
        base_meta = type(base)
        if issubclass(base_meta, metaclass):
            metaclass = base_meta
        elif not issubclass(metaclass, base_meta):
            raise TypeError(f"class '{name}': the metaclasses of its bases conflict")
    return metaclass


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


install_format_wrapper(_safe_format_method)


def guarded_dir(obj: Any = _MISSING) -> list[str]:
    """List the attribute names of ``obj`` that learner code may use."""
    if obj is _MISSING:
        deny("dir() without an argument is not available here: it lists the sandbox's namespace")
    names = (name for name in dir(obj) if not name.startswith("_"))
    return sorted(name for name in names if not _quietly_refused(obj, name))
