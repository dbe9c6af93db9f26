"""Checks that span lesson files, and the learning order of a set of lessons."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from bot.curriculum.model import Lesson
from bot.curriculum.problems import Problem
from bot.curriculum.yaml_positions import SourceMap


@dataclass(frozen=True, slots=True)
class LoadedLesson:
    """A lesson that passed its single-file checks, with where it came from."""

    lesson: Lesson
    source: SourceMap

    @property
    def path(self) -> str:
        """Return the file the lesson was read from, as given."""
        return self.source.path


def duplicate_id_problems(loaded: Sequence[LoadedLesson]) -> list[Problem]:
    """Report every lesson id used by more than one file, at the id of each file."""
    by_id: dict[str, list[LoadedLesson]] = {}
    for item in loaded:
        by_id.setdefault(item.lesson.id, []).append(item)
    problems: list[Problem] = []
    for lesson_id, items in by_id.items():
        if len(items) < 2:
            continue
        for item in items:
            others = ", ".join(other.path for other in items if other is not item)
            message = f"lesson id '{lesson_id}' is also used by {others}; lesson ids must be unique"
            problems.append(item.source.problem(("id",), message))
    return problems


def file_name_problems(loaded: Sequence[LoadedLesson]) -> list[Problem]:
    """Report lessons whose file is not named ``<id>.yaml`` (or ``.yml``), so admins find them by id."""
    problems: list[Problem] = []
    for item in loaded:
        name = PurePath(item.path)
        if name.stem != item.lesson.id:
            message = f"the file of lesson '{item.lesson.id}' should be named '{item.lesson.id}{name.suffix}'"
            problems.append(item.source.problem(("id",), message))
    return problems


def prerequisite_problems(loaded: Sequence[LoadedLesson], known_ids: Collection[str]) -> list[Problem]:
    """Report prerequisites that name no known lesson, with a suggestion when one is close."""
    problems: list[Problem] = []
    for item in loaded:
        for index, required in enumerate(item.lesson.requires):
            if required in known_ids:
                continue
            close = difflib.get_close_matches(required, sorted(known_ids), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"'requires' names unknown lesson '{required}'{hint}"
            problems.append(item.source.problem(("requires", index), message))
    return problems


def cycle_problems(loaded: Sequence[LoadedLesson]) -> list[Problem]:
    """Report one prerequisite cycle per strongly connected group, at each 'requires' entry on it."""
    by_id = {item.lesson.id: item for item in loaded}
    graph = {lid: [r for r in item.lesson.requires if r in by_id] for lid, item in by_id.items()}
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
            index = item.lesson.requires.index(there)
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
