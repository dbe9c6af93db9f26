"""Lessons as the dashboard names and shows them: step labels, questions, and steps as chat shows them.

A preview shows each step through the core's own ``step_replies`` (so it says exactly what a learner is
sent), turned into HTML here; for admins it adds what learners do not see: which option is right and why
each is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from bot.core.i18n import Wording
from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Reply, RunOutput, Text
from bot.core.steps import step_replies
from bot.curriculum.model import CodeStep, ExerciseStep, Lesson, NumericStep, QuizStep, StepModel, TextStep
from bot.dashboard.markdown import code_block, escape, inline, to_html

_LABEL_CHARS = 70
_MARKS = re.compile(r"[*_`#>]+|\[([^\]]*)\]\([^)]*\)")


def plain_snippet(markdown: str, limit: int = _LABEL_CHARS) -> str:
    """Return the start of a Markdown text on one line, without its marks."""
    text = " ".join(_MARKS.sub(lambda m: m[1] or "", markdown).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def step_kind(step: StepModel) -> str:
    """Return the kind of a step: text, code, quiz, numeric or exercise."""
    if isinstance(step, CodeStep):
        return "code"
    if isinstance(step, QuizStep):
        return "quiz"
    if isinstance(step, NumericStep):
        return "numeric"
    if isinstance(step, ExerciseStep):
        return "exercise"
    return "text"


def step_text(step: StepModel, wording: Wording) -> str:
    """Return the words that best name a step: its question, prompt, caption or text."""
    if isinstance(step, QuizStep):
        return wording.pick(step.quiz.question)
    if isinstance(step, NumericStep):
        return wording.pick(step.numeric.question)
    if isinstance(step, ExerciseStep):
        return wording.pick(step.exercise.prompt)
    if isinstance(step, CodeStep):
        return wording.pick(step.text) if step.text else step.code.split("\n", 1)[0]
    return wording.pick(step.text) if isinstance(step, TextStep) else ""


def step_label(lesson: Lesson, index: int, wording: Wording) -> str:
    """Return ``3. Quiz: What is x's shape?`` for step ``index`` (0-based)."""
    step = lesson.steps[index]
    text = plain_snippet(step_text(step, wording)).rstrip(":：")  # a caption's own colon would double
    return wording.t("dashboard.step.label", n=index + 1, kind=step_name(step, wording), text=text)


def step_short(lesson: Lesson, index: int, wording: Wording) -> str:
    """Return ``3. Quiz`` for step ``index`` (0-based): a label short enough for a chart."""
    return f"{index + 1}. {step_name(lesson.steps[index], wording)}"


def step_name(step: StepModel, wording: Wording) -> str:
    """Return the kind of a step in words: Text, Code, Quiz, Number, Exercise."""
    return wording.t(f"dashboard.step.{step_kind(step)}")


@dataclass(frozen=True, slots=True)
class WrongChoice:
    """The wrong answer chosen most often, as the dashboard shows it, with the explanation learners get."""

    answer: str
    text: str
    explanation: str


def wrong_choice(step: StepModel, answer: str, wording: Wording) -> WrongChoice:
    """Describe a recorded wrong answer (an option number from 1, or a number) of a question step."""
    if isinstance(step, QuizStep) and answer.isdigit() and 1 <= int(answer) <= len(step.quiz.options):
        option = step.quiz.options[int(answer) - 1]
        explained = [wording.pick(option.explain)] if option.explain else []
        if step.quiz.explain:
            explained.append(wording.pick(step.quiz.explain))
        return WrongChoice(answer, wording.pick(option.text), "\n\n".join(explained))
    if isinstance(step, NumericStep):
        explanation = wording.pick(step.numeric.explain) if step.numeric.explain else ""
        return WrongChoice(answer, answer, explanation)
    return WrongChoice(answer, answer, "")


@dataclass(frozen=True, slots=True)
class PreviewStep:
    """One step of a lesson preview: its label and the chat's replies as HTML."""

    label: str
    kind: str
    html: Markup
    step_id: str | None


def preview_steps(lesson: Lesson, wording: Wording) -> list[PreviewStep]:
    """Return every step of a lesson as the chat shows it in ``wording``'s language, for admins."""
    found = []
    for index, step in enumerate(lesson.steps):
        parts = [_reply_html(reply) for reply in step_replies(wording, lesson, index)]
        parts += _admin_notes(step, wording)
        found.append(
            PreviewStep(step_label(lesson, index, wording), step_kind(step), Markup("".join(parts)), step.id)
        )
    return found


def _reply_html(reply: Reply) -> str:
    """Return one reply as HTML, in the chat's order and wording."""
    if isinstance(reply, Text):
        return f'<div class="bubble">{to_html(reply.markdown)}</div>'
    if isinstance(reply, Code):
        return code_block(reply.source, reply.language)
    if isinstance(reply, Notice):
        return f'<div class="bubble notice {escape(reply.kind)}">{to_html(reply.text)}</div>'
    if isinstance(reply, Buttons):
        labels = "".join(f'<span class="chat-button">{escape(b.label)}</span>' for b in reply.buttons)
        return f'<div class="chat-buttons">{labels}</div>'
    if isinstance(reply, QuizPrompt):
        return _quiz_html(reply)
    if isinstance(reply, RunOutput):  # pragma: no cover - steps never show a run's output
        return f"<pre>{escape(reply.headline)}</pre>"
    return ""  # pragma: no cover - every kind of reply is handled above


def _quiz_html(prompt: QuizPrompt) -> str:
    items = "".join(
        f'<li class="{"correct" if i == prompt.correct_option else ""}">{inline(option)}</li>'
        for i, option in enumerate(prompt.options)
    )
    code = code_block(prompt.code) if prompt.code else ""
    return (
        f'<div class="bubble">{to_html(prompt.question)}{code}<ol class="options">{items}</ol>'
        f'<p class="hint">{inline(prompt.instruction)}</p></div>'
    )


def _admin_notes(step: StepModel, wording: Wording) -> list[str]:
    """Return what only admins see: option explanations, the numeric answer, the model solution."""
    notes: list[str] = []
    if isinstance(step, QuizStep):
        for number, option in enumerate(step.quiz.options, start=1):
            if option.explain:
                notes.append(f"<li>{number}. {inline(wording.pick(option.explain))}</li>")
        if step.quiz.explain:
            notes.append(f"<li>{inline(wording.pick(step.quiz.explain))}</li>")
    elif isinstance(step, NumericStep):
        answer = wording.t("dashboard.preview.answer", answer=f"{step.numeric.answer:g}")
        notes.append(f"<li>{escape(answer)}</li>")
        if step.numeric.explain:
            notes.append(f"<li>{inline(wording.pick(step.numeric.explain))}</li>")
    elif isinstance(step, ExerciseStep):
        notes.append(
            f"<li>{escape(wording.t('dashboard.preview.solution'))}{code_block(step.exercise.solution)}</li>"
        )
        notes += [f"<li>{inline(wording.pick(hint))}</li>" for hint in step.exercise.hints]
    if not notes:
        return []
    title = escape(wording.t("dashboard.preview.admin_notes"))
    return [f'<details class="admin-notes"><summary>{title}</summary><ul>{"".join(notes)}</ul></details>']


def question_steps(lesson: Lesson) -> Sequence[tuple[int, StepModel]]:
    """Return the question steps (quiz and numeric) of a lesson with their indexes."""
    return [(i, step) for i, step in enumerate(lesson.steps) if isinstance(step, QuizStep | NumericStep)]
