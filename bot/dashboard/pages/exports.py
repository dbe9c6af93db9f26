"""CSV exports of a scope: every learner's progress per lesson, and every question's statistics.

Cells a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) get a leading apostrophe: a display name is text a stranger chose.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from aiohttp import web

from bot.dashboard.lessonview import plain_snippet, step_text
from bot.dashboard.page import Page

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Return a value as a CSV cell that no spreadsheet runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_response(page: Page, name: str, header: list[str], rows: Iterable[list[object]]) -> web.Response:
    """Return rows as a CSV download named after the scope."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    scope = page.scope.key.replace(":", "-")
    response = web.Response(text=buffer.getvalue(), content_type="text/csv", charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{scope}.csv"'
    return response


async def exports(page: Page) -> web.StreamResponse:
    """Offer the scope's CSV files."""
    return page.render("exports.html", "exports")


async def progress_csv(page: Page) -> web.StreamResponse:
    """Every learner of the scope, one row per lesson they started (a row with no lesson if none)."""
    catalog = page.deps.catalog.current()
    async with page.deps.store.session() as session:
        learners = await session.insights.every_learner(page.scope)
    rows: list[list[object]] = []
    for learner in learners:
        if not learner.lessons:
            rows.append([learner.learner_id, learner.display_name, "", "", "", "", "", "", ""])
        for state in learner.lessons:
            lesson = catalog.get(state.lesson_id)
            rows.append(
                [
                    learner.learner_id,
                    learner.display_name,
                    state.lesson_id,
                    page.pick(lesson.title) if lesson else "",
                    state.step_index + 1,
                    state.furthest_index + 1,
                    len(lesson.steps) if lesson else "",
                    "yes" if state.completed else "no",
                    state.updated_at.isoformat(timespec="seconds"),
                ]
            )
    header = ["learner", "name", "lesson", "title", "step", "furthest_step", "steps", "completed", "updated"]
    return csv_response(page, "progress", header, rows)


async def questions_csv(page: Page) -> web.StreamResponse:
    """Every question answered in the scope: answers, misses, miss rate, the wrong answer chosen most."""
    catalog = page.deps.catalog.current()
    async with page.deps.store.session() as session:
        stats = await session.insights.questions(page.scope)
    rows: list[list[object]] = []
    for found in stats:
        lesson = catalog.get(found.lesson_id)
        index = lesson.find_step(found.question_id) if lesson else None
        question = (
            plain_snippet(step_text(lesson.steps[index], page), 200) if lesson and index is not None else ""
        )
        rate = found.wrong / found.answers if found.answers else 0.0
        rows.append(
            [
                found.lesson_id,
                found.question_id,
                question,
                found.answers,
                found.wrong,
                f"{rate:.3f}",
                found.learners,
                found.top_wrong or "",
                found.top_wrong_count,
            ]
        )
    header = [
        "lesson",
        "question",
        "text",
        "answers",
        "wrong",
        "miss_rate",
        "learners",
        "most_chosen_wrong",
        "most_chosen_wrong_count",
    ]
    return csv_response(page, "questions", header, rows)
