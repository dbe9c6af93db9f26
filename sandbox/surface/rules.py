"""Which attributes learner code may read or write on objects it did not create: an allow-list by class.

An attribute belongs to the class that defines it (found along the object's MRO), or to the instance when
it sits in the instance's own ``__dict__``. A learner-defined class owns its attributes outright. For any
other owner the nearest rule along the owner's MRO decides (``AttributePolicy.rules``), then the
predicate rules (for native classes with no common base, such as autograd nodes). An owner no rule covers
refuses every public attribute: a native object of a type nobody reviewed hands out nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sandbox.policy.errors import JOURNAL

OUTSIDE = "objects of this kind are outside the tutorial surface"
NOT_REVIEWED = "it has not been reviewed for this sandbox"


@dataclass(frozen=True, slots=True)
class Rule:
    """The readable attributes of one class (and of classes deriving from it that have no rule of their own).

    ``allowed`` None means every public attribute but the ``refused`` ones; otherwise only ``allowed``.
    ``writable`` lists the attributes learner code may assign or delete (None: any).
    ``dynamic`` says that the class's ``__getattr__`` only serves data (a module's parameters, buffers and
    submodules) and may be asked for any name.
    """

    label: str
    allowed: frozenset[str] | None = frozenset()
    refused: Mapping[str, str] = field(default_factory=dict)
    writable: frozenset[str] | None = frozenset()
    dynamic: bool = False
    otherwise: str = NOT_REVIEWED
    generic: bool = False  # a catch-all (object, functions...): messages name the object's own class

    def refusal(self, name: str) -> str | None:
        """Return why ``name`` may not be read, or None."""
        if name in self.refused:
            return self.refused[name]
        if self.allowed is None or name in self.allowed:
            return None
        return self.otherwise


def allow_all(label: str, refused: Mapping[str, str] | None = None, *, writable: bool = False) -> Rule:
    """Allow every public attribute but the ``refused`` ones."""
    return Rule(label, None, refused or {}, None if writable else frozenset())


def allow_only(
    label: str,
    names: Iterable[str],
    refused: Mapping[str, str] | None = None,
    *,
    writable: Iterable[str] | None = (),
    dynamic: bool = False,
) -> Rule:
    """Allow exactly ``names``."""
    return Rule(
        label, frozenset(names), refused or {}, None if writable is None else frozenset(writable), dynamic
    )


def allow_none(label: str, reason: str = OUTSIDE) -> Rule:
    """Allow no public attribute at all."""
    return Rule(label, frozenset(), {}, frozenset(), False, reason, generic=True)


_INSTANCE = object()


class AttributePolicy:
    """Decide attribute reads and writes on objects learner code did not define."""

    def __init__(
        self,
        rules: Mapping[type, Rule],
        predicates: Iterable[tuple[Callable[[type], bool], Rule]] = (),
    ) -> None:
        self.rules = dict(rules)
        self.predicates = list(predicates)
        self._cache: dict[type, Rule | None] = {}

    def rule_for(self, cls: type) -> Rule | None:
        """Return the rule covering ``cls``: its own, its nearest ancestor's, a predicate's, or object's."""
        return self._specific(cls) or self.rules.get(object)

    def _specific(self, cls: type) -> Rule | None:
        if cls in self._cache:
            return self._cache[cls]
        found: Rule | None = None
        for klass in cls.__mro__:
            if klass is not object and klass in self.rules:
                found = self.rules[klass]
                break
        if found is None:
            for predicate, rule in self.predicates:
                if predicate(cls):
                    found = rule
                    break
        self._cache[cls] = found
        return found

    def read_refusal(self, obj: Any, name: str) -> str | None:
        """Return why learner code may not read ``obj.name``, as the whole message (None: it may)."""
        if isinstance(obj, super):
            return self._super_refusal(obj, name)
        owner = _owner(obj, name)
        if owner is _INSTANCE:
            return None  # the object's own data; the value is vetted like any other
        if owner is None:
            return self._dynamic_refusal(obj, name)
        assert isinstance(owner, type)
        if JOURNAL.is_learner_class(owner):
            return None
        # A base class without a rule of its own (an implementation detail) answers to the object's rule.
        cls = obj if isinstance(obj, type) else type(obj)
        rule = self._specific(owner) or self._specific(cls) or self.rules.get(object)
        return _message(obj, name, rule)

    def _super_refusal(self, proxy: super, name: str) -> str | None:
        """Decide ``super(...).name`` by the class that will answer it, after ``__thisclass__``."""
        start, target = getattr(proxy, "__thisclass__"), getattr(proxy, "__self_class__")  # noqa: B009 - untyped
        if target is None:
            return f"super.{name} is not available here: an unbound super() reaches nothing"
        mro = inspect.getmro(target)
        for klass in mro[mro.index(start) + 1 :] if start in mro else ():
            if name in klass.__dict__:
                if JOURNAL.is_learner_class(klass):
                    return None
                rule = self._specific(klass) or self._specific(target) or self.rules.get(object)
                return _message(target, name, rule)
        return None  # nothing further up answers: getattr raises AttributeError

    def write_refusal(self, obj: Any, name: str) -> str | None:
        """Return why learner code may not assign or delete ``obj.name`` (None: it may).

        Only a class the learner defined, or an instance of one, is theirs to change freely; a native
        object allows the few attributes its rule lists as writable.
        """
        if isinstance(obj, type):
            if JOURNAL.is_learner_class(obj):
                return None
            return f"the class '{obj.__name__}' is read-only here: only classes you define can be changed"
        cls = type(obj)
        if any(JOURNAL.is_learner_class(klass) for klass in cls.__mro__):
            return None
        rule = self.rule_for(cls)
        if rule is None:
            return f"{cls.__name__}.{name} cannot be changed here: {_kind(cls)} {OUTSIDE}"
        if rule.writable is None or name in rule.writable:
            return None
        return f"{rule.label}.{name} cannot be changed here: only a few {rule.label} attributes can be set"

    def _dynamic_refusal(self, obj: Any, name: str) -> str | None:
        cls = obj if isinstance(obj, type) else type(obj)
        if isinstance(obj, type) or not _serves_missing_names(cls):
            return None  # no such attribute: getattr raises AttributeError, as Python would
        server = next(klass for klass in cls.__mro__ if "__getattr__" in klass.__dict__)
        if JOURNAL.is_learner_class(server):
            return None  # the learner's own __getattr__
        rule = self.rule_for(server)
        if rule is not None and rule.dynamic:
            return None
        return _message(obj, name, rule)


def _message(obj: Any, name: str, rule: Rule | None) -> str | None:
    cls = obj if isinstance(obj, type) else type(obj)
    if rule is None:
        return f"{cls.__name__}.{name} is not available here: {_kind(cls)} {OUTSIDE}"
    reason = rule.refusal(name)
    if reason is None:
        return None
    # Named after the reviewed class ("Tensor.storage"), or after the object's own class for the catch-alls.
    label = cls.__name__ if rule.generic else rule.label
    return f"{label}.{name} is not available here: {reason}"


def _serves_missing_names(cls: type) -> bool:
    return any("__getattr__" in klass.__dict__ for klass in cls.__mro__ if klass is not object)


def _owner(obj: Any, name: str) -> object:
    """Return the class defining ``name`` for ``obj``, ``_INSTANCE`` for instance data, or None."""
    if isinstance(obj, type):
        for klass in inspect.getmro(obj):
            if name in klass.__dict__:
                return klass
        for klass in inspect.getmro(type(obj)):
            if name in klass.__dict__:
                return klass
        return None
    cls = type(obj)
    defining = None
    for klass in cls.__mro__:
        if name in klass.__dict__:
            defining = klass
            break
    if defining is not None and _is_data_descriptor(defining.__dict__[name]):
        return defining
    try:
        own = object.__getattribute__(obj, "__dict__")
    except (AttributeError, TypeError):
        own = None
    if isinstance(own, dict) and name in own:
        return _INSTANCE
    return defining


def _is_data_descriptor(value: object) -> bool:
    kind = type(value)
    return hasattr(kind, "__set__") or hasattr(kind, "__delete__")


def _kind(cls: type) -> str:
    return f"'{cls.__module__}.{cls.__qualname__}'"
