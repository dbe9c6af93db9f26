"""Load lesson files into a catalog, reporting every problem as ``path:line:col: message``.

One file is read with positions (``yaml_positions``), validated against the model (errors explained by
``messages``), checked for translations and for check code that fits its messages (``checkcode``), then
the set of files is cross-checked (``crosscheck``): unique ids, file names matching ids, known
prerequisites, no prerequisite cycles. A lesson whose file has any problem is left out of the catalog;
the others are served in learning order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.curriculum.catalog import Catalog
from bot.curriculum.checkcode import check_code_problems
from bot.curriculum.crosscheck import (
    Claims,
    LoadedLesson,
    chapter_title_problems,
    cycle_problems,
    duplicate_id_problems,
    file_name_problems,
    learning_order,
    prerequisite_problems,
)
from bot.curriculum.messages import error_problems, translation_problems
from bot.curriculum.model import Lesson
from bot.curriculum.problems import Problem
from bot.curriculum.yaml_positions import parse_yaml
from bot.languages import LANGUAGES

LESSON_SUFFIXES = (".yaml", ".yml")
EMPTY_FILE = "the file is empty; a lesson needs at least 'id', 'chapter', 'title' and 'steps'"
NOT_A_MAPPING = "a lesson file must be a mapping of keys (id, chapter, title, steps, ...), not {kind}"


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one file yielded: the lesson if it validated, what it claims, and its own problems.

    ``claims`` (its id and prerequisites) is there whenever the file parsed to a mapping, valid or not.
    """

    path: str
    loaded: LoadedLesson | None
    claimed_id: str | None
    problems: list[Problem]
    claims: Claims | None = None


@dataclass(frozen=True, slots=True)
class LoadReport:
    """A loaded set of lessons: the catalog of the valid ones, every problem, and each lesson's source."""

    catalog: Catalog
    problems: list[Problem]
    sources: dict[str, LoadedLesson] = field(default_factory=dict)  # by lesson id, valid lessons only


def _kind_of(data: Any) -> str:
    if isinstance(data, list):
        return "a list"
    return "a single value"


def load_text(text: str, path: str, languages: Sequence[str] = LANGUAGES) -> FileResult:
    """Check one lesson file's text on its own (no cross-file checks)."""
    parsed = parse_yaml(text, path)
    problems = list(parsed.problems)
    data = parsed.data
    if data is None:
        if not problems:
            problems.append(Problem(path, None, None, EMPTY_FILE))
        return FileResult(path, None, None, problems)
    if not isinstance(data, dict):
        problems.append(parsed.source.problem((), NOT_A_MAPPING.format(kind=_kind_of(data))))
        return FileResult(path, None, None, problems)
    claims = Claims.read(data, parsed.source)
    claimed = claims.lesson_id
    problems.extend(translation_problems(data, parsed.source, languages))
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as error:
        problems.extend(error_problems(error.errors(), parsed.source))
        return FileResult(path, None, claimed, _sorted(problems), claims)
    problems.extend(check_code_problems(lesson, parsed.source))
    return FileResult(path, LoadedLesson(lesson, parsed.source), claimed, _sorted(problems), claims)


def load_file(path: Path, languages: Sequence[str] = LANGUAGES) -> FileResult:
    """Read and check one lesson file on its own."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return FileResult(shown, None, None, [Problem(shown, None, None, f"not UTF-8 text: {error.reason}")])
    except OSError as error:
        return FileResult(shown, None, None, [Problem(shown, None, None, f"cannot read: {error.strerror}")])
    return load_text(text, shown, languages)


def lesson_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders (searched recursively, hidden entries skipped) into lesson files."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = (
                p
                for p in path.rglob("*")
                if p.suffix in LESSON_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(sorted(found))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), None, None, "no such file or folder"))
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), problems


def load_lessons(
    paths: Iterable[Path],
    languages: Sequence[str] = LANGUAGES,
    *,
    context: Iterable[Path] = (),
    check_file_names: bool = True,
) -> LoadReport:
    """Load lesson files and folders, cross-checked together with ``context`` files and folders.

    Lessons in ``context`` only serve as prerequisites and neighbours: their own problems are not
    reported, and a lesson in ``paths`` replaces a context lesson with the same id (a draft of it).
    The catalog holds the valid lessons of ``paths`` and the context lessons they did not replace.
    """
    files, problems = lesson_files(paths)
    results = [load_file(file, languages) for file in files]
    primary = {file.resolve() for file in files}
    context_files, _ = lesson_files(context)
    context_results = [load_file(f, languages) for f in context_files if f.resolve() not in primary]
    own_ids = {r.claimed_id for r in results if r.claimed_id}
    context_results = [r for r in context_results if r.claimed_id not in own_ids]

    everything = results + context_results
    loaded = [r.loaded for r in everything if r.loaded is not None]
    known_ids = {r.claimed_id for r in everything if r.claimed_id}
    # Reported: every file's cross-file problems, valid or not. Serving: as judged among valid lessons
    # alone, so that a broken copy of a lesson does not take the good one down with it.
    claims = [r.claims for r in everything if r.claims]
    reported = _cross_problems(claims, known_ids, results, check_file_names)
    valid = [r for r in everything if r.loaded is not None]
    blocking = _cross_problems([Claims.of(item) for item in loaded], known_ids, valid, check_file_names)

    own = [p for r in everything for p in r.problems]
    shown = {r.path for r in results}
    problems += [p for p in dict.fromkeys(own + reported) if p.path in shown]
    refused = {p.path for p in own + blocking}
    served = [item for item in loaded if item.path not in refused]
    return LoadReport(
        catalog=Catalog(tuple(learning_order([item.lesson for item in served]))),
        problems=_sorted(problems),
        sources={item.lesson.id: item for item in served if item.path in shown},
    )


def _cross_problems(
    claims: list[Claims], known_ids: set[str], primary: list[FileResult], check_file_names: bool
) -> list[Problem]:
    """Return the problems between files: duplicate ids, unknown prerequisites, cycles, file names."""
    cross = duplicate_id_problems(claims) + prerequisite_problems(claims, known_ids) + cycle_problems(claims)
    cross += chapter_title_problems(claims)
    if check_file_names:
        primary_paths = {r.path for r in primary}
        cross += file_name_problems([c for c in claims if c.path in primary_paths])
    return cross


def load_folder(paths: Sequence[Path], languages: Sequence[str] = LANGUAGES) -> tuple[Catalog, list[Problem]]:
    """Load every lesson file under the given folders; return the catalog of valid lessons and problems."""
    report = load_lessons(paths, languages)
    return report.catalog, report.problems


def load_files(paths: Sequence[Path], languages: Sequence[str] = LANGUAGES) -> tuple[Catalog, list[Problem]]:
    """Load the given lesson files (folders are expanded too); return the catalog and all problems."""
    return load_folder(paths, languages)


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.col or 0, p.message))
