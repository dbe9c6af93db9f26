"""Check messages: the lesson texts a check's ``fail("id", name=value)`` selects, and their format fields.

A message is a ``str.format`` template per language whose fields are plain names (``{found}``, with an
optional format spec such as ``{found:.3f}``); the check passes the values as keyword parameters.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

_FORMATTER = string.Formatter()


def template_fields(template: str) -> frozenset[str]:
    """Return the field names a message template uses; raise ValueError if one is not a plain name."""
    names: set[str] = set()
    for _, field, spec, _ in _FORMATTER.parse(template):
        if field is None:
            continue
        if not field.isidentifier():
            shown = "{" + field + "}"
            raise ValueError(f"field {shown} is not a plain name like {{found}}")
        if spec and "{" in spec:
            raise ValueError(f"the format spec of {{{field}}} must not contain another field")
        names.add(field)
    return frozenset(names)


class _Lenient(string.Formatter):
    """Format what it can: a missing field stays as written, a spec that does not fit is dropped."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return _Verbatim("{" + str(key) + "}")

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Verbatim):
            return str(value)
        try:
            return format(value, format_spec)
        except (TypeError, ValueError):
            return str(value)


class _Verbatim(str):
    """A field the template names but the check did not pass, shown as written."""


_LENIENT = _Lenient()


def format_message(template: str, params: Mapping[str, object]) -> str:
    """Fill a message template with a check's parameters; never fails, whatever the check sent."""
    try:
        return _LENIENT.vformat(template, (), dict(params))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template
