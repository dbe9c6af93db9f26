"""Checks that span lesson files, and the learning order of a set of lessons.

The checks read what each file claims (its id and prerequisites), so a file with problems of its own is
still checked against the others as far as it parses: an author sees every problem in one pass.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from bot.curriculum.model import Lesson
from bot.curriculum.problems import Problem
from bot.curriculum.yaml_positions import SourceMap
from bot.similar import similar


@dataclass(frozen=True, slots=True)
class LoadedLesson:
    """A lesson that passed its single-file checks, with where it came from."""

    lesson: Lesson
    source: SourceMap

    @property
    def path(self) -> str:
        """Return the file the lesson was read from, as given."""
        return self.source.path


@dataclass(frozen=True, slots=True)
class Claims:
    """What one lesson file says about itself that other files depend on: its id and prerequisites.

    ``requires`` holds each prerequisite that is text, with its index in the file's list.
    """

    source: SourceMap
    lesson_id: str | None
    requires: tuple[tuple[int, str], ...] = ()
    chapter: int | None = None
    chapter_title: tuple[tuple[str, str], ...] = ()  # (language, text), as the file gives them

    @property
    def path(self) -> str:
        """Return the file, as given."""
        return self.source.path

    @classmethod
    def of(cls, item: LoadedLesson) -> Claims:
        """Return the claims of a valid lesson."""
        lesson = item.lesson
        title = tuple(sorted((str(k), v) for k, v in (lesson.chapter_title or {}).items()))
        return cls(item.source, lesson.id, tuple(enumerate(lesson.requires)), lesson.chapter, title)

    @classmethod
    def read(cls, data: dict[str, Any], source: SourceMap) -> Claims:
        """Return what a file's data claims, however invalid the rest of it is."""
        lesson_id = data.get("id") if isinstance(data.get("id"), str) else None
        listed = data.get("requires")
        requires = listed if isinstance(listed, list) else []
        chapter = data.get("chapter") if isinstance(data.get("chapter"), int) else None
        named = data.get("chapter_title")
        title = (
            tuple(sorted((str(k), v) for k, v in named.items() if isinstance(v, str)))
            if isinstance(named, dict)
            else ()
        )
        return cls(
            source,
            lesson_id,
            tuple((i, r) for i, r in enumerate(requires) if isinstance(r, str)),
            chapter,
            title,
        )


def duplicate_id_problems(claims: Sequence[Claims]) -> list[Problem]:
    """Report every lesson id used by more than one file, at the id of each file."""
    by_id: dict[str, list[Claims]] = {}
    for item in claims:
        if item.lesson_id is not None:
            by_id.setdefault(item.lesson_id, []).append(item)
    problems: list[Problem] = []
    for lesson_id, items in by_id.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(other.path for other in items if other is not item)
            message = f"lesson id '{lesson_id}' is also used by {others}; lesson ids must be unique"
            problems.append(item.source.problem(("id",), message))
    return problems


def file_name_problems(claims: Sequence[Claims]) -> list[Problem]:
    """Report lessons whose file is not named ``<id>.yaml`` (or ``.yml``), so admins find them by id."""
    problems: list[Problem] = []
    for item in claims:
        name = PurePath(item.path)
        if item.lesson_id is not None and name.stem != item.lesson_id:
            message = f"the file of lesson '{item.lesson_id}' should be named '{item.lesson_id}{name.suffix}'"
            problems.append(item.source.problem(("id",), message))
    return problems


def prerequisite_problems(claims: Sequence[Claims], known_ids: Collection[str]) -> list[Problem]:
    """Report prerequisites that name no known lesson, with a suggestion when one is plausibly meant."""
    problems: list[Problem] = []
    for item in claims:
        for index, required in item.requires:
            if required in known_ids:
                continue
            close = similar(required, sorted(known_ids), limit=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"'requires' names unknown lesson '{required}'{hint}"
            problems.append(item.source.problem(("requires", index), message))
    return problems


def chapter_title_problems(claims: Sequence[Claims]) -> list[Problem]:
    """Report a chapter named differently by two files, at every name that differs from the first."""
    first: dict[int, Claims] = {}
    problems: list[Problem] = []
    for item in sorted(claims, key=lambda c: c.path):
        if item.chapter is None or not item.chapter_title:
            continue
        named = first.setdefault(item.chapter, item)
        if named.chapter_title != item.chapter_title:
            message = (
                f"chapter {item.chapter} is already named differently in {named.path}; give 'chapter_title' "
                "on one lesson of the chapter, or the same on each"
            )
            problems.append(item.source.problem(("chapter_title",), message))
    return problems


def cycle_problems(claims: Sequence[Claims]) -> list[Problem]:
    """Report one prerequisite cycle per strongly connected group, at each 'requires' entry on it."""
    by_id = {item.lesson_id: item for item in claims if item.lesson_id is not None}
    graph = {lid: [r for _, r in item.requires if r in by_id] for lid, item in by_id.items()}
    problems: list[Problem] = []
    for group in _strong_components(graph):
        members = set(group)
        start = min(group)
        if len(group) == 1 and start not in graph[start]:
            continue
        cycle = _shortest_cycle(graph, start, members)
        text = " → ".join([*cycle, cycle[0]])
        for here, there in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            item = by_id[here]
            index = next(i for i, required in item.requires if required == there)
            message = f"prerequisite cycle: {text}; remove one of these 'requires' entries"
            problems.append(item.source.problem(("requires", index), message))
    return problems


def _strong_components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Return the strongly connected components (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            edges = graph[node]
            if child < len(edges):
                work.append((node, child + 1))
                nxt = edges[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _shortest_cycle(graph: dict[str, list[str]], start: str, members: set[str]) -> list[str]:
    """Return the shortest path from ``start`` back to itself within ``members`` (breadth first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in sorted(graph[node]):
                if nxt not in members:
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if nxt not in previous:
                    previous[nxt] = node
                    following.append(nxt)
        frontier = following
    return [start]


def learning_order(lessons: Sequence[Lesson]) -> list[Lesson]:
    """Sort by chapter, order and id, moving prerequisites before their dependants (stable)."""
    by_id = {lesson.id: lesson for lesson in lessons}
    waiting = {lid: {r for r in lesson.requires if r in by_id and r != lid} for lid, lesson in by_id.items()}
    dependants: dict[str, list[str]] = {lid: [] for lid in by_id}
    for lid, needs in waiting.items():
        for need in needs:
            dependants[need].append(lid)

    def key(lid: str) -> tuple[int, int, str]:
        lesson = by_id[lid]
        return (lesson.chapter, lesson.order, lesson.id)

    ready = [key(lid) for lid, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered: list[Lesson] = []
    while ready:
        lid = heapq.heappop(ready)[2]
        ordered.append(by_id[lid])
        for dependant in dependants[lid]:
            waiting[dependant].discard(lid)
            if not waiting[dependant]:
                heapq.heappush(ready, key(dependant))
    placed = {lesson.id for lesson in ordered}
    # Lessons on a prerequisite cycle (already reported) keep their natural order at the end.
    ordered.extend(sorted((by_id[lid] for lid in by_id if lid not in placed), key=lambda x: key(x.id)))
    return ordered
