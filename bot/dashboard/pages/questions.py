"""Questions of one lesson: how often the scope's learners miss each, and the wrong answer chosen most.

Beside that answer stands the explanation the tutor gives for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from markupsafe import Markup

from bot.core.ports.dashboard import QuestionStats
from bot.dashboard.charts import meter
from bot.dashboard.lessonview import WrongChoice, plain_snippet, question_steps, step_text, wrong_choice
from bot.dashboard.markdown import to_html
from bot.dashboard.page import Page


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """One question as the page shows it."""

    number: int
    question: str
    answers: int
    learners: int
    miss_rate: int  # percent
    meter: Markup
    wrong: WrongChoice | None
    wrong_count: int
    explanation: Markup


async def questions(page: Page) -> web.StreamResponse:
    """Show a lesson's questions, the most missed first; ``?lesson=`` picks the lesson."""
    catalog = page.deps.catalog.current()
    with_questions = [lesson for lesson in catalog.lessons if question_steps(lesson)]
    chosen = page.request.query.get("lesson")
    lesson = catalog.get(chosen) if chosen else (with_questions[0] if with_questions else None)
    if lesson is None:
        message = page.t("dashboard.lesson_unknown" if chosen else "dashboard.questions.none")
        return page.render("message_page.html", "questions", 404 if chosen else 200, message=message)
    async with page.deps.store.session() as session:
        stats = {s.question_id: s for s in await session.insights.questions(page.scope, lesson.id)}
    rows = []
    for index, step in question_steps(lesson):
        found = stats.get(step.id or "", QuestionStats(lesson.id, step.id or "", 0, 0, 0))
        rate = found.wrong / found.answers if found.answers else 0.0
        wrong = wrong_choice(step, found.top_wrong, page) if found.top_wrong is not None else None
        rows.append(
            QuestionRow(
                number=index + 1,
                question=plain_snippet(step_text(step, page), 160),
                answers=found.answers,
                learners=found.learners,
                miss_rate=round(100 * rate),
                meter=meter(rate, page.t("dashboard.questions.miss_rate", percent=round(100 * rate))),
                wrong=wrong,
                wrong_count=found.top_wrong_count,
                explanation=to_html(wrong.explanation) if wrong else Markup(""),
            )
        )
    rows.sort(key=lambda row: (-row.miss_rate, -row.answers, row.number))
    return page.render(
        "questions.html",
        "questions",
        lesson_id=lesson.id,
        title=page.pick(lesson.title),
        lessons=[(item.id, page.pick(item.title)) for item in with_questions],
        rows=rows,
    )
