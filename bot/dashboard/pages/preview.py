"""Lesson preview: a lesson in force, or a YAML file pasted or uploaded, shown as the chat shows it.

Every content language is shown side by side, with the file's problems as ``path:line:col`` and a check of
its code in the sandbox.

A file is checked exactly as ``/admin upload`` checks one (schema, translations, prerequisites in the
catalog it would join); the sandbox check is what ``tutor lessons check`` runs (``verify_lessons``): every
code step, every exercise's solution (must pass), starters (must fail) and wrong samples.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from aiohttp import web

from bot.core.commands.uploads import LESSON_SUFFIXES, MAX_UPLOAD_BYTES
from bot.core.i18n import Voice
from bot.curriculum.catalog import UploadSource
from bot.curriculum.crosscheck import LoadedLesson
from bot.curriculum.loader import load_text
from bot.curriculum.model import CodeStep, ExerciseStep
from bot.curriculum.problems import Problem
from bot.curriculum.verify import verify_lessons
from bot.dashboard.lessonview import PreviewStep, preview_steps
from bot.dashboard.page import Page
from bot.languages import NAMES
from sandbox.client import SandboxBusyError

log = logging.getLogger(__name__)

PASTED = "pasted.yaml"
CHECK_CONCURRENCY = 2


class CheckGate:
    """The sessions with a sandbox check in flight in this process: one check at a time per session."""

    def __init__(self) -> None:
        self.running: set[str] = set()


CHECKS = web.AppKey("checks", CheckGate)


@dataclass(frozen=True, slots=True)
class Source:
    """The YAML text to preview and the name its problems are reported against."""

    filename: str
    text: str
    lesson_id: str | None = None  # set when it is a lesson in force


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line of the YAML shown beside its problems."""

    number: int
    text: str
    problems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Checked:
    """What the sandbox check found: how many runs, and the mismatches."""

    runs: int
    problems: tuple[Problem, ...]
    error: str | None = None


async def preview(page: Page) -> web.StreamResponse:
    """Show the form, or a lesson in force (``?lesson=``), valid already, so shown from the catalog."""
    lesson_id = page.request.query.get("lesson")
    if not lesson_id:
        return _render(page, None)
    lesson = page.deps.catalog.current().get(lesson_id)
    if lesson is None:
        return _render(page, None, status=404, error=page.t("dashboard.lesson_unknown"))
    steps = [(language, preview_steps(lesson, Voice(language))) for language in page.deps.config.languages]
    return _render(
        page,
        Source(f"{lesson.id}.yaml", "", lesson.id),
        lesson=lesson,
        title=page.pick(lesson.title),
        steps=steps,
    )


async def preview_posted(page: Page) -> web.StreamResponse:
    """Preview (and on ``action=check``, check in the sandbox) a pasted, uploaded or chosen lesson."""
    form = await page.request.post()
    check = form.get("action") == "check"
    upload = form.get("file")
    pasted = form.get("source")
    lesson_id = form.get("lesson")
    if isinstance(upload, web.FileField) and upload.filename:
        data = upload.file.read(MAX_UPLOAD_BYTES + 1)
        found = _decode(page, upload.filename, data)
        if isinstance(found, str):
            return _render(page, None, status=400, error=found)
        source = found
    elif isinstance(pasted, str) and pasted.strip():
        if len(pasted.encode()) > MAX_UPLOAD_BYTES:
            return _render(page, None, status=400, error=_too_big(page, len(pasted.encode())))
        source = Source(PASTED, pasted.replace("\r\n", "\n"))
    elif isinstance(lesson_id, str) and lesson_id:
        chosen = await _lesson_source(page, lesson_id)
        if chosen is None:
            return _render(page, None, status=404, error=page.t("dashboard.lesson_unknown"))
        source = chosen
    else:
        return _render(page, None, status=400, error=page.t("dashboard.preview.nothing"))
    return await _show(page, source, check=check)


def _decode(page: Page, filename: str, data: bytes) -> Source | str:
    if not filename.lower().endswith(LESSON_SUFFIXES):
        return page.t("upload.not_yaml", file=filename)
    if len(data) > MAX_UPLOAD_BYTES:
        return _too_big(page, len(data))
    try:
        return Source(filename, data.decode("utf-8").replace("\r\n", "\n"))
    except UnicodeDecodeError:
        return page.t("upload.not_utf8", file=filename)


def _too_big(page: Page, size: int) -> str:
    return page.t("upload.too_big", size=size // 1024, limit=MAX_UPLOAD_BYTES // 1024)


async def _lesson_source(page: Page, lesson_id: str) -> Source | None:
    """Return the YAML of a lesson in force: its upload if it has one, else its lesson folder file."""
    if page.deps.catalog.current().get(lesson_id) is None:
        return None
    async with page.deps.store.session() as session:
        uploads = await session.uploads.all()
    upload = next((u for u in uploads if u.lesson_id == lesson_id and u.enabled), None)
    if upload is not None:
        return Source(upload.filename, upload.source, lesson_id)
    path = page.deps.catalog.lesson_file(lesson_id)
    if path is None:
        return None
    text = await asyncio.to_thread(path.read_text, "utf-8")
    return Source(path.name, text, lesson_id)


async def _show(page: Page, source: Source, *, check: bool) -> web.StreamResponse:
    """Check the file, render its steps in every language, and run the sandbox check if asked."""
    catalog = page.deps.catalog
    problems, loaded = await asyncio.to_thread(_load, page, source)
    steps: list[tuple[str, list[PreviewStep]]] = []
    if loaded is not None:
        steps = [
            (language, preview_steps(loaded.lesson, Voice(language)))
            for language in page.deps.config.languages
        ]
    checked = await _check(page, loaded) if check and loaded is not None else None
    lines = _lines(source, problems) if problems else []
    return _render(
        page,
        source,
        status=200,
        problems=problems,
        lines=lines,
        lesson=loaded.lesson if loaded else None,
        title=page.pick(loaded.lesson.title) if loaded else None,
        steps=steps,
        checked=checked,
        replaces=loaded is not None
        and source.lesson_id is None
        and catalog.current().get(loaded.lesson.id) is not None,
    )


def _load(page: Page, source: Source) -> tuple[list[Problem], LoadedLesson | None]:
    """Return the file's problems as ``/admin upload`` finds them, and the lesson when there are none."""
    catalog = page.deps.catalog
    upload = UploadSource(source.filename, source.text)
    base = catalog.current()
    checked = catalog.check_upload(upload, base)
    if checked.problems:
        return sorted(checked.problems), None
    result = load_text(source.text, source.filename, page.deps.config.languages)
    return sorted(result.problems), result.loaded


async def _check(page: Page, loaded: LoadedLesson) -> Checked:
    """Run the lesson's code in the sandbox as ``tutor lessons check`` does; one check per session."""
    sandbox = page.deps.sandbox
    if sandbox is None:
        return Checked(0, (), page.t("dashboard.preview.no_sandbox"))
    running = page.request.app[CHECKS].running
    if page.viewer.session_hash in running:
        return Checked(0, (), page.t("dashboard.preview.busy"))
    running.add(page.viewer.session_hash)
    try:
        problems = await verify_lessons([loaded], sandbox, concurrency=CHECK_CONCURRENCY)
    except SandboxBusyError:
        return Checked(0, (), page.t("dashboard.preview.busy"))
    finally:
        running.discard(page.viewer.session_hash)
    runs = _runs(loaded)
    log.info("dashboard sandbox check of %s: %d runs, %d problems", loaded.lesson.id, runs, len(problems))
    return Checked(runs, tuple(problems))


def _runs(loaded: LoadedLesson) -> int:
    """Count the runs a check makes: code steps; each exercise's solution, starters and wrong samples."""
    count = 0
    for step in loaded.lesson.steps:
        if isinstance(step, CodeStep):
            count += 1
        elif isinstance(step, ExerciseStep):
            count += 1 + len(step.exercise.starters()) + len(step.exercise.wrong)
    return count


def _lines(source: Source, problems: list[Problem]) -> list[SourceLine]:
    """Return the file's lines with the problems found on each."""
    by_line: dict[int, list[str]] = {}
    for problem in problems:
        if problem.line is not None:
            by_line.setdefault(problem.line, []).append(problem.message)
    return [
        SourceLine(number, text, tuple(by_line.get(number, ())))
        for number, text in enumerate(source.text.split("\n"), start=1)
    ]


def _render(
    page: Page, source: Source | None, status: int = 200, error: str | None = None, **found: object
) -> web.Response:
    catalog = page.deps.catalog.current()
    context = {
        "lessons": [(lesson.id, page.pick(lesson.title)) for lesson in catalog.lessons],
        "source": source,
        "pasted": source.text if source is not None and source.lesson_id is None else "",
        "error": error,
        "problems": [],
        "lines": [],
        "lesson": None,
        "title": None,
        "steps": [],
        "checked": None,
        "replaces": False,
        "has_sandbox": page.deps.sandbox is not None,
        "language_names": NAMES,
        **found,
    }
    return page.render("preview.html", "preview", status, **context)
