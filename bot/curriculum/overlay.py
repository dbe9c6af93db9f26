"""Lessons uploaded through chat, laid over the lessons of the folders.

An uploaded lesson replaces a folder lesson with the same id. It is checked on its own (the same checks
as a file: schema, translations, positions in every problem) and against the catalog it joins: its
prerequisites must exist there and it must not close a prerequisite cycle. Problems are reported against
the uploaded file's name, as ``name.yaml:line:col: message``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.curriculum.catalog import Catalog, UploadCheck, UploadSource
from bot.curriculum.crosscheck import Claims, LoadedLesson, learning_order, prerequisite_problems
from bot.curriculum.loader import load_text
from bot.curriculum.problems import Problem
from bot.languages import LANGUAGES


def check_upload(
    text: str, filename: str, base: Catalog, languages: Sequence[str] = LANGUAGES
) -> UploadCheck:
    """Check one uploaded lesson file as it would join ``base`` (replacing a lesson with its id)."""
    result = load_text(text, filename, languages)
    if result.loaded is None or result.problems:
        return UploadCheck(None, result.problems)
    requires = {lesson.id: tuple(lesson.requires) for lesson in base.lessons}
    problems = _joined_problems(result.loaded, requires)
    return UploadCheck(None if problems else result.loaded.lesson, problems)


def overlay(
    base: Catalog, uploads: Sequence[UploadSource], languages: Sequence[str] = LANGUAGES
) -> tuple[Catalog, list[Problem]]:
    """Return ``base`` with the valid uploads laid over it, and the problems of the others.

    An upload that fails is left out; so is, in turn, any upload that needed it as a prerequisite.
    """
    problems: list[Problem] = []
    loaded: dict[str, LoadedLesson] = {}
    for upload in uploads:
        result = load_text(upload.text, upload.filename, languages)
        if result.loaded is None or result.problems:
            problems += result.problems
        else:
            loaded[result.loaded.lesson.id] = result.loaded
    while True:
        requires = {lesson.id: tuple(lesson.requires) for lesson in base.lessons}
        requires.update({lid: tuple(item.lesson.requires) for lid, item in loaded.items()})
        failed = {lid: found for lid, item in loaded.items() if (found := _joined_problems(item, requires))}
        if not failed:
            break
        for lesson_id, found in failed.items():
            problems += found
            del loaded[lesson_id]
    lessons = {lesson.id: lesson for lesson in base.lessons}
    lessons.update({lid: item.lesson for lid, item in loaded.items()})
    return Catalog(tuple(learning_order(list(lessons.values())))), sorted(problems)


def _joined_problems(item: LoadedLesson, requires: Mapping[str, tuple[str, ...]]) -> list[Problem]:
    """Return the problems of ``item`` joining lessons whose prerequisites are ``requires``."""
    graph = dict(requires)
    graph[item.lesson.id] = tuple(item.lesson.requires)
    problems = prerequisite_problems([Claims.of(item)], set(graph))
    cycle = _cycle_through(item.lesson.id, graph)
    if cycle:
        path = " -> ".join(cycle)
        problems.append(item.source.problem(("requires",), f"prerequisites form a cycle: {path}"))
    return problems


def _cycle_through(start: str, graph: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    """Return a shortest prerequisite path from ``start`` back to itself, if there is one."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for needed in graph.get(node, ()):
                if needed == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [*reversed(path), start]
                if needed not in previous and needed in graph:
                    previous[needed] = node
                    following.append(needed)
        frontier = following
    return None
