"""Walk the lesson model's types alongside plain data or a pydantic error location.

Pydantic's error ``loc`` mixes data keys with union tags (``("steps", 3, "quiz", "quiz", "options")``);
walking the model's annotations tells the two apart, and names the model a key belongs to so that an
unknown key can get a "did you mean" suggestion.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, Discriminator, Tag

from bot.curriculum.model import Lesson
from bot.curriculum.yaml_positions import JsonPath


def _strip(tp: Any) -> tuple[Any, Discriminator | None]:
    """Remove ``Annotated`` and ``| None`` layers, keeping a discriminator if one is attached."""
    discriminator: Discriminator | None = None
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp, *metadata = get_args(tp)
            discriminator = next((m for m in metadata if isinstance(m, Discriminator)), discriminator)
        elif origin in (Union, types.UnionType):
            members = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(members) != 1:
                return tp, discriminator
            tp = members[0]
        else:
            return tp, discriminator


def _tagged_members(tp: Any) -> dict[str, Any]:
    """Return a tagged union's members by tag (empty if ``tp`` is not one)."""
    if get_origin(tp) not in (Union, types.UnionType):
        return {}
    members: dict[str, Any] = {}
    for arg in get_args(tp):
        if get_origin(arg) is Annotated:
            inner, *metadata = get_args(arg)
            for item in metadata:
                if isinstance(item, Tag):
                    members[item.tag] = inner
    return members


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def localized_keys(tp: Any) -> tuple[str, ...] | None:
    """Return the allowed languages if ``tp`` is a ``Localized`` mapping, else None."""
    tp, _ = _strip(tp)
    if get_origin(tp) is dict:
        key_type = get_args(tp)[0]
        if get_origin(key_type) is Literal:
            return tuple(str(arg) for arg in get_args(key_type))
    return None


@dataclass(frozen=True, slots=True)
class Resolved:
    """An error location turned into a data path, with the type holding its last key."""

    path: JsonPath
    parent: Any  # the (stripped) type of the object at path[:-1], None when unknown
    at_key: bool  # the error is about a mapping key itself (e.g. an unknown language)


def resolve_loc(loc: tuple[str | int, ...], root: Any = Lesson) -> Resolved:
    """Translate a pydantic error ``loc`` into the path of the data it refers to."""
    tp: Any = root
    parent: Any = None
    path: list[str | int] = []
    at_key = False
    for part in loc:
        if part == "[key]":
            at_key = True
            continue
        tp, _ = _strip(tp)
        tagged = _tagged_members(tp)
        if tagged and isinstance(part, str) and part in tagged:
            tp = tagged[part]
            continue
        parent = tp
        path.append(part)
        if _is_model(tp) and isinstance(part, str) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
        elif get_origin(tp) is list:
            tp = get_args(tp)[0]
        elif get_origin(tp) is dict:
            tp = get_args(tp)[1]
        else:
            tp = None
    return Resolved(tuple(path), _strip(parent)[0] if parent is not None else None, at_key)


def iter_localized(
    data: Any, tp: Any = Lesson, path: JsonPath = ()
) -> Iterator[tuple[JsonPath, dict[Any, Any]]]:
    """Yield the path and mapping of every ``Localized`` value in plain lesson data."""
    if localized_keys(tp) is not None:
        if isinstance(data, dict):
            yield path, data
        return
    tp, discriminator = _strip(tp)
    tagged = _tagged_members(tp)
    if tagged:
        if discriminator is None or not callable(discriminator.discriminator):
            return
        tag = discriminator.discriminator(data)
        member = tagged.get(str(tag)) if tag is not None else None
        if member is not None:
            yield from iter_localized(data, member, path)
    elif _is_model(tp) and isinstance(data, dict):
        for name, info in tp.model_fields.items():
            if name in data:
                # rebuild_annotation keeps field metadata such as a union's discriminator.
                yield from iter_localized(data[name], info.rebuild_annotation(), (*path, name))
    elif get_origin(tp) is list and isinstance(data, list):
        item_type = get_args(tp)[0]
        for index, item in enumerate(data):
            yield from iter_localized(item, item_type, (*path, index))
    elif get_origin(tp) is dict and isinstance(data, dict):
        value_type = get_args(tp)[1]
        for key, item in data.items():
            yield from iter_localized(item, value_type, (*path, key))
