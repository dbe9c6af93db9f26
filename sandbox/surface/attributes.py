"""Which attributes learner code may read on objects that are not modules: an allow-list per native type.

An attribute is found the way Python finds it: in the first class of the object's MRO whose ``__dict__``
defines it. If that class is the learner's own, the attribute is theirs. If it is a native class (torch,
numpy, the standard library), the attribute must be on that class's rule (``type_lists``); a class
without a rule offers nothing. A name no class defines lives on the instance (data the object or learner
stored, or ``nn.Module``'s parameters and submodules), and the guards vet its value like any other.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sandbox.policy.errors import JOURNAL
from sandbox.surface import reasons

_PYTHON_MEMBERS = (types.FunctionType, property, classmethod, staticmethod, cached_property)
_PLAIN_DATA = (int, float, str, bool, type(None), tuple, frozenset)


@dataclass(frozen=True, slots=True)
class TypeRule:
    """The readable attributes of one native type (and, with ``own_python``, of its library subclasses)."""

    label: str
    allowed: frozenset[str]
    refused: dict[str, str] = field(default_factory=dict)
    own_python: str | None = None
    """A package prefix: subclasses defined there may use the public Python methods they define."""

    def decide(self, owner: type, name: str) -> str | None:
        """Return why ``owner.name`` is refused, or None when it may be read."""
        if name in self.refused:
            return self.refused[name]
        if name in self.allowed:
            return None
        if self.own_python and (owner.__module__ or "").startswith(self.own_python):
            member = owner.__dict__.get(name)
            if isinstance(member, _PYTHON_MEMBERS) or type(member) in _PLAIN_DATA:
                return None
        return reasons.OUTSIDE


def public_names(cls: type) -> frozenset[str]:
    """Return the public attribute names of a plain-data builtin type (all of them are safe)."""
    return frozenset(name for name in dir(cls) if not name.startswith("_"))


Predicate = Callable[[type], TypeRule | None]


class AttributeRules:
    """Decide attribute reads on native objects, remembering decisions for classes that never change."""

    def __init__(
        self,
        exact: dict[type, TypeRule],
        families: Iterable[tuple[type, TypeRule]],
        predicates: Iterable[Predicate] = (),
    ) -> None:
        self._exact = dict(exact)
        self._families = tuple(families)
        self._predicates = tuple(predicates)
        self._rules: dict[type, TypeRule | None] = {}
        self._decisions: dict[tuple[type, str, bool], str | None] = {}

    def rule_for(self, cls: type) -> TypeRule | None:
        """Return the rule for the native class ``cls``, or None when it offers no attributes."""
        if cls in self._rules:
            return self._rules[cls]
        rule = self._exact.get(cls)
        if rule is None:
            for base, family_rule in self._families:
                if issubclass(cls, base):
                    rule = family_rule
                    break
        if rule is None:
            for predicate in self._predicates:
                rule = predicate(cls)
                if rule is not None:
                    break
        self._rules[cls] = rule
        return rule

    def refusal(self, obj: Any, name: str) -> str | None:
        """Return the message refusing ``obj.name``, or None when learner code may read it."""
        is_class = isinstance(obj, type)
        cls: type = obj if is_class else type(obj)
        learner = JOURNAL.learner_classes
        key = (cls, name, is_class)
        if not learner or not any(id(k) in learner for k in cls.__mro__):
            if key in self._decisions:
                message = self._decisions[key]
            else:
                message = self._decide(cls, name, is_class)
                self._decisions[key] = message
        else:
            message = self._decide(cls, name, is_class)
        if message is not None and not is_class and _shadowed_by_instance(obj, cls, name):
            return None  # data the object (or the learner) stored on it hides the class's method
        return message

    def refusal_after(self, obj: Any, this_class: type, name: str) -> str | None:
        """Return the message refusing ``super(this_class, obj).name``, or None when it may be read."""
        cls: type = obj if isinstance(obj, type) else type(obj)
        mro = cls.__mro__
        start = mro.index(this_class) + 1 if this_class in mro else len(mro)
        for owner in mro[start:]:
            if name in owner.__dict__:
                return self._decide_owner(owner, name, cls)
        return None  # super() finds nothing: reading it raises AttributeError

    def _decide(self, cls: type, name: str, is_class: bool) -> str | None:
        for owner in cls.__mro__:
            if name in owner.__dict__:
                return self._decide_owner(owner, name, cls)
        if is_class:
            metaclass: type = type(cls)
            metaclass_mro: tuple[type, ...] = metaclass.__mro__
            for owner in metaclass_mro:
                if name in owner.__dict__:
                    return self._decide_owner(owner, name, metaclass)
        return None  # not defined by any class: instance data or __getattr__; the value is vetted

    def _decide_owner(self, owner: type, name: str, cls: type) -> str | None:
        if JOURNAL.is_learner_class(owner):
            return None
        rule = self.rule_for(owner)
        if rule is None:
            # An inherited helper (MutableMapping.update): the object's own rule may list it by name.
            own = self.rule_for(cls) if cls is not owner else None
            if own is not None and name in own.allowed and name not in own.refused:
                return None
            return (
                f"'{name}' is not available here: {_label(owner)} objects offer no attributes in the sandbox"
            )
        reason = rule.decide(owner, name)
        if reason is None:
            return None
        return f"{rule.label}.{name} is not available here: {reason}"


def _shadowed_by_instance(obj: Any, cls: type, name: str) -> bool:
    try:
        data = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        return False
    if not isinstance(data, dict) or name not in data:
        return False
    for owner in cls.__mro__:
        if name in owner.__dict__:
            kind = type(owner.__dict__[name])
            return not (hasattr(kind, "__set__") or hasattr(kind, "__delete__"))  # data descriptors win
    return True


def _label(cls: type) -> str:
    return f"'{cls.__qualname__}'"
