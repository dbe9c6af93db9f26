"""The standard modules tutorials use, each behind an allow-list with a reason for every refusal.

``copy``, ``time`` (``sleep`` counts against the run's wall-clock limit like any other wait),
``functools``, ``operator``, ``string``, ``statistics``, ``typing``, ``dataclasses``, ``enum``, ``re``,
``json`` (``dumps``/``loads``), ``datetime`` and ``io`` (in-memory ``BytesIO``/``StringIO`` only). Helpers
that would read attributes or items natively, past the guards (``operator.attrgetter``, ``itemgetter``,
``methodcaller``), are replaced by guarded equivalents; helpers that create or change classes register
the result as the learner's own or refuse classes the learner did not define.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
import functools
import io
import json
import operator
import re
import statistics
import string
import time
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from sandbox.policy import guards
from sandbox.policy.errors import JOURNAL, SNIPPET_FILENAME, deny
from sandbox.policy.values import vet
from sandbox.surface import reasons
from sandbox.surface.names import name_set
from sandbox.surface.proxy import ModuleProxy, Rule, is_absent

FORMATTER = "it formats outside the sandbox's guarded str.format; use str.format or f-strings"
TYPE_HINTS = "it evaluates string annotations as code, outside the policy; use typing.get_args"
ENCODER = "custom encoder and decoder classes are outside the tutorial surface; use default= or object_hook="
LEARNER_CODE = (SNIPPET_FILENAME, "<setup>")


def _only(allowed: frozenset[str], refused: dict[str, str] | None = None) -> Rule:
    table = refused or {}

    def rule(name: str, value: Any) -> str | None:
        if name in table:
            return table[name]
        if name in allowed or is_absent(value):
            return None
        return reasons.OUTSIDE

    return rule


def _attrgetter(*names: str) -> Callable[[Any], Any]:
    """``operator.attrgetter`` reading through the guards."""

    def get_one(obj: Any, dotted: str) -> Any:
        for part in dotted.split("."):
            obj = guards.guarded_getattr(obj, part)
        return obj

    if len(names) == 1:
        return lambda obj: get_one(obj, names[0])
    return lambda obj: tuple(get_one(obj, name) for name in names)


def _itemgetter(*keys: Any) -> Callable[[Any], Any]:
    """``operator.itemgetter`` reading through the guards."""
    if len(keys) == 1:
        return lambda obj: guards.guarded_getitem(obj, keys[0])
    return lambda obj: tuple(guards.guarded_getitem(obj, key) for key in keys)


def _methodcaller(name: str, /, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    """``operator.methodcaller`` reading the method through the guards."""
    guards.check_attribute_name(name)
    return lambda obj: guards.guarded_getattr(obj, name)(*args, **kwargs)


def _setitem(obj: Any, key: Any, value: Any) -> None:
    guards.guarded_write(obj)[key] = value


def _delitem(obj: Any, key: Any) -> None:
    del guards.guarded_write(obj)[key]


def _is_learner_function(obj: object) -> bool:
    return isinstance(obj, types.FunctionType) and obj.__code__.co_filename in LEARNER_CODE


def _learner_class(cls: object, what: str) -> type:
    if not isinstance(cls, type) or not JOURNAL.is_learner_class(cls):
        deny(f"{what} is not available here for {cls!r}: it changes classes, and only yours may change")
    return cls


def _update_wrapper(wrapper: Any, wrapped: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_learner_function(wrapper):
        deny("functools.update_wrapper is not available here for that wrapper: only your functions change")
    return functools.update_wrapper(wrapper, wrapped, *args, **kwargs)


def _wraps(wrapped: Any, *args: Any, **kwargs: Any) -> Callable[[Any], Any]:
    return lambda wrapper: _update_wrapper(wrapper, wrapped, *args, **kwargs)


def _total_ordering(cls: Any) -> type:
    return functools.total_ordering(_learner_class(cls, "functools.total_ordering"))


def _dataclass(cls: Any = None, /, **kwargs: Any) -> Any:
    def wrap(target: Any) -> type:
        made: type = dataclasses.dataclass(_learner_class(target, "dataclasses.dataclass"), **kwargs)
        JOURNAL.add_class(made)  # slots=True builds a new class
        return made

    return wrap if cls is None else wrap(cls)


def _make_dataclass(name: str, fields: Any, *, namespace: Any = None, **kwargs: Any) -> type:
    for key in dict(namespace or {}):
        if not isinstance(key, str) or key.startswith("_"):
            deny(f"make_dataclass(namespace={{{key!r}: ...}}) is not available here: {reasons.OUTSIDE}")
    fields = list(fields)
    for field in fields:
        field_name = (
            field
            if isinstance(field, str)
            else (field[0] if isinstance(field, tuple | list) and field else None)
        )
        if not isinstance(field_name, str) or field_name.startswith("_"):
            # A field's default becomes a class attribute: '__array_interface__' would be a dunder.
            deny(f"make_dataclass field {field_name!r} is not available here: field names are plain names")
    for base in tuple(kwargs.get("bases", ())):
        guards.check_base(name, base)
    made: type = dataclasses.make_dataclass(name, fields, namespace=namespace, **kwargs)
    JOURNAL.add_class(made)
    return made


def seal_functional_enums() -> None:
    """Let ``Enum("Name", names)`` make only plain members: no ``_`` names, no functions or descriptors.

    The functional form builds a class from a mapping, so without this check it would define any dunder
    (``__class__``, ``__torch_function__``, ``__reduce_ex__``) that a ``class`` statement refuses.
    """
    create = enum.EnumType.__dict__["_create_"]  # a plain method of the metaclass: cls is the new enum's base
    if getattr(create, "sealed", False):
        return

    def checked_create(cls: Any, class_name: str, names: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(names, str):
            names = dict(names) if isinstance(names, Mapping) else list(names)
            items = names.items() if isinstance(names, dict) else names
            for item in items:
                name, value = (item, None) if isinstance(item, str) else item
                _check_enum_member(class_name, name, value)
        else:
            for name in names.replace(",", " ").split():
                _check_enum_member(class_name, name, None)
        made = create(cls, class_name, names, *args, **kwargs)
        JOURNAL.add_class(made)  # plain members only, so the learner's enum like a class statement's
        return made

    checked_create.sealed = True  # type: ignore[attr-defined]
    enum.EnumType._create_ = checked_create  # type: ignore[attr-defined]


def _check_enum_member(class_name: str, name: Any, value: Any) -> None:
    if not isinstance(name, str) or name.startswith("_"):
        deny(f"enum {class_name!r}: member {name!r} is not available here: member names are plain names")
    if callable(value) or hasattr(type(value), "__get__"):
        deny(f"enum {class_name!r}: member {name!r} must be a plain value; define methods in a class body")


def _get_origin(tp: Any) -> Any:
    return vet(typing.get_origin(tp), "typing.get_origin's answer")


def _get_args(tp: Any) -> tuple[Any, ...]:
    return tuple(vet(arg, "typing.get_args's answer") for arg in typing.get_args(tp))


def _json_dumps(obj: Any, *, cls: Any = None, **kwargs: Any) -> str:
    if cls is not None:
        deny(f"json.dumps(cls=...) is not available here: {ENCODER}")
    return json.dumps(obj, **kwargs)


def _json_loads(text: Any, *, cls: Any = None, **kwargs: Any) -> Any:
    if cls is not None:
        deny(f"json.loads(cls=...) is not available here: {ENCODER}")
    return json.loads(text, **kwargs)


def _named(func: Callable[..., Any], module: str, name: str) -> Callable[..., Any]:
    func.__module__ = module
    func.__name__ = func.__qualname__ = name
    return func


TIME = name_set(
    """
    time time_ns perf_counter perf_counter_ns monotonic monotonic_ns process_time process_time_ns sleep
    strftime strptime gmtime localtime mktime ctime asctime struct_time timezone altzone daylight tzname
    get_clock_info thread_time thread_time_ns
    """
)
TIME_REFUSED = {
    "tzset": reasons.GLOBAL_STATE,
    "clock_settime": "it sets the system clock",
    "clock_settime_ns": "it sets the system clock",
    "pthread_getcpuclockid": reasons.PROCESSES,
}
FUNCTOOLS = name_set(
    "partial partialmethod reduce lru_cache cache cached_property cmp_to_key wraps update_wrapper "
    "total_ordering WRAPPER_ASSIGNMENTS WRAPPER_UPDATES"
)
FUNCTOOLS_REFUSED = {
    "singledispatch": reasons.OUTSIDE + "; use isinstance() checks",
    "singledispatchmethod": reasons.OUTSIDE + "; use isinstance() checks",
    "RLock": reasons.PROCESSES,
}
OPERATOR_REFUSED: dict[str, str] = {}
STRING = name_set(
    "ascii_letters ascii_lowercase ascii_uppercase digits hexdigits octdigits printable punctuation "
    "whitespace capwords Template"
)
STATISTICS = name_set(
    """
    mean fmean geometric_mean harmonic_mean median median_low median_high median_grouped mode multimode
    quantiles pstdev pvariance stdev variance covariance correlation linear_regression NormalDist
    StatisticsError LinearRegression
    """
)
TYPING = name_set(
    """
    Any Callable ClassVar Dict Final FrozenSet Generic Iterable Iterator List Literal Mapping
    MutableMapping MutableSequence NamedTuple Optional Protocol Sequence Set Tuple Type TypeVar TypedDict
    Union cast overload TYPE_CHECKING Annotated NoReturn Never Self Generator Hashable Sized Collection
    Container DefaultDict OrderedDict Counter Deque get_args get_origin final runtime_checkable
    """
)
TYPING_REFUSED = {
    "get_type_hints": TYPE_HINTS,
    "ForwardRef": TYPE_HINTS,
    "reveal_type": "it writes to the interpreter's stderr; use print(type(x))",
}
DATACLASSES = name_set(
    "dataclass field fields asdict astuple replace make_dataclass is_dataclass FrozenInstanceError "
    "InitVar KW_ONLY MISSING Field"
)
ENUM = name_set("Enum IntEnum StrEnum Flag IntFlag auto unique")
ENUM_REFUSED = {
    "EnumMeta": "metaclasses create classes outside the language policy",
    "EnumType": "metaclasses create classes outside the language policy",
    "global_enum": "it writes the members into the sandbox's own module namespace",
}
RE = name_set(
    """
    compile search match fullmatch findall finditer sub subn split escape purge error Pattern Match
    RegexFlag A ASCII DOTALL I IGNORECASE M MULTILINE S U UNICODE VERBOSE X NOFLAG
    """
)
RE_REFUSED = {
    "template": "it is deprecated and outside the tutorial surface; use re.compile",
    "Scanner": "it is an undocumented internal of re; use re.finditer",
    "DEBUG": "it prints the compiler's internals to the interpreter's stdout",
}
JSON = name_set("dumps loads JSONDecodeError")
JSON_REFUSED = {
    "dump": reasons.FILES + "; use json.dumps and print the text",
    "load": reasons.FILES + "; use json.loads on a string",
    "JSONEncoder": ENCODER,
    "JSONDecoder": ENCODER,
}
DATETIME = name_set("date datetime time timedelta timezone tzinfo MINYEAR MAXYEAR UTC")
IO = name_set("BytesIO StringIO")
IO_REFUSED = {"open": "the sandbox has no files", "FileIO": "the sandbox has no files"}


def build_stdlib_proxies() -> dict[str, ModuleProxy]:
    """Build the proxy of every curated standard module, keyed by its name."""
    operator_overrides: dict[str, Any] = {
        "attrgetter": _named(_attrgetter, "operator", "attrgetter"),
        "itemgetter": _named(_itemgetter, "operator", "itemgetter"),
        "methodcaller": _named(_methodcaller, "operator", "methodcaller"),
        "getitem": _named(guards.guarded_getitem, "operator", "getitem"),
        "setitem": _named(_setitem, "operator", "setitem"),
        "delitem": _named(_delitem, "operator", "delitem"),
    }
    operator_names = frozenset(name for name in dir(operator) if not name.startswith("_"))
    return {
        "copy": ModuleProxy(
            "copy",
            copy,
            _only(name_set("copy deepcopy Error error"), {"dispatch_table": reasons.GLOBAL_STATE}),
        ),
        "time": ModuleProxy("time", time, _only(TIME, TIME_REFUSED)),
        "functools": ModuleProxy(
            "functools",
            functools,
            _only(FUNCTOOLS, FUNCTOOLS_REFUSED),
            {
                "wraps": _named(_wraps, "functools", "wraps"),
                "update_wrapper": _named(_update_wrapper, "functools", "update_wrapper"),
                "total_ordering": _named(_total_ordering, "functools", "total_ordering"),
            },
        ),
        "operator": ModuleProxy(
            "operator", operator, _only(operator_names, OPERATOR_REFUSED), operator_overrides
        ),
        "string": ModuleProxy("string", string, _only(STRING, {"Formatter": FORMATTER})),
        "statistics": ModuleProxy("statistics", statistics, _only(STATISTICS)),
        "typing": ModuleProxy(
            "typing",
            typing,
            _only(TYPING, TYPING_REFUSED),
            {
                "get_origin": _named(_get_origin, "typing", "get_origin"),
                "get_args": _named(_get_args, "typing", "get_args"),
            },
        ),
        "dataclasses": ModuleProxy(
            "dataclasses",
            dataclasses,
            _only(DATACLASSES),
            {
                "dataclass": _named(_dataclass, "dataclasses", "dataclass"),
                "make_dataclass": _named(_make_dataclass, "dataclasses", "make_dataclass"),
            },
        ),
        "enum": ModuleProxy("enum", enum, _only(ENUM, ENUM_REFUSED)),
        "re": ModuleProxy("re", re, _only(RE, RE_REFUSED)),
        "json": ModuleProxy(
            "json",
            json,
            _only(JSON, JSON_REFUSED),
            {"dumps": _named(_json_dumps, "json", "dumps"), "loads": _named(_json_loads, "json", "loads")},
        ),
        "datetime": ModuleProxy("datetime", datetime, _only(DATETIME)),
        "io": ModuleProxy("io", io, _only(IO, IO_REFUSED)),
    }
