"""Answering questions: /answer, the option buttons, and a bare answer typed while a question is open."""

from __future__ import annotations

from bot.core import actions
from bot.core.activity import ANSWER, count_day
from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.parsing import looks_like_choice, parse_choice, parse_number
from bot.core.ports import QuizAttempt
from bot.core.practice import missed
from bot.core.progress import here
from bot.core.registry import Arg, command
from bot.core.replies import Button, Buttons, Notice, Reply, Text
from bot.curriculum.model import Lesson, NumericStep, QuizStep


async def answer(ctx: Ctx, answer: str) -> list[Reply]:
    """Answer the current question: /answer 2, /answer b, or a number.

    Options are numbered from 1 as shown; letters a, b, c work too. Numeric questions take a number
    (fractions such as 1/3 are fine). You may answer again after a wrong answer.
    """
    if ctx.learner.current_lesson is None:
        raise UserError("answer.no_question")
    position = await here(ctx)
    if not isinstance(position.lesson.steps[position.index], QuizStep | NumericStep):
        raise UserError("answer.no_question")
    return [*position.notices, *await answer_step(ctx, position.lesson, position.index, answer)]


async def answer_button(ctx: Ctx, lesson_id: str, step_ref: str, option: str) -> list[Reply]:
    """Answer one quiz question with an option button."""
    lesson = ctx.catalog.get(lesson_id)
    index = actions.step_index(lesson, step_ref) if lesson else None
    if lesson is None or index is None or not isinstance(lesson.steps[index], QuizStep):
        raise UserError("action.stale")
    return await answer_step(ctx, lesson, index, option)


async def plain_message(ctx: Ctx, text: str) -> list[Reply]:
    """Take a message that is not a command as an answer when a question is open, else explain commands."""
    if ctx.learner.current_lesson is not None and ctx.catalog.get(ctx.learner.current_lesson):
        position = await here(ctx)
        step = position.lesson.steps[position.index]
        if (isinstance(step, QuizStep) and looks_like_choice(text)) or (
            isinstance(step, NumericStep) and parse_number(text) is not None
        ):
            return [*position.notices, *await answer_step(ctx, position.lesson, position.index, text)]
    return [Notice(ctx.t("not_a_command"))]


async def answer_step(ctx: Ctx, lesson: Lesson, index: int, raw: str) -> list[Reply]:
    """Check, record and explain an answer to question ``index`` of ``lesson``.

    A wrong answer gets only what is wrong with it (the option's own explanation), so that the learner
    can try again; the question's explanation comes with the right answer, or when they move on.
    """
    step = lesson.steps[index]
    explanations: list[str] = []
    if isinstance(step, QuizStep):
        count = len(step.quiz.options)
        choice = parse_choice(raw, count)
        if choice is None:
            raise UserError("answer.bad_choice", last=count, last_letter=chr(ord("a") + count - 1))
        correct = choice == step.quiz.correct_index
        given = str(choice + 1)
        picked = step.quiz.options[choice]
        if picked.explain:
            explanations.append(ctx.pick(picked.explain))
        if correct and step.quiz.explain:
            explanations.append(ctx.pick(step.quiz.explain))
        verdict = ctx.t("answer.right") if correct else ctx.t("answer.wrong_option", n=given)
    elif isinstance(step, NumericStep):
        value = parse_number(raw)
        if value is None:
            raise UserError("answer.not_a_number")
        correct = abs(value - step.numeric.answer) <= step.numeric.tolerance
        given = format(value, "g")
        if correct and step.numeric.explain:
            explanations.append(ctx.pick(step.numeric.explain))
        verdict = ctx.t("answer.right") if correct else ctx.t("answer.wrong_number", value=given)
    else:
        raise UserError("answer.no_question")
    await _record(ctx, lesson, step.id, given, correct)
    replies: list[Reply] = [Notice(verdict, "success" if correct else "warning")]
    if explanations:
        replies.append(Text("\n\n".join(explanations)))
    if not correct:
        replies.append(Text(ctx.t("answer.try_again")))
    if lesson.id == ctx.learner.current_lesson:
        replies.append(Buttons((Button(ctx.t("button.next"), actions.NEXT, "/next"),)))
    return replies


async def reveal_when_leaving(ctx: Ctx, lesson: Lesson, index: int) -> list[Reply]:
    """Return the answer and explanation of question ``index`` for a learner moving on without it."""
    step = lesson.steps[index]
    if not isinstance(step, QuizStep | NumericStep):
        return []
    attempts = await ctx.session.progress.attempts(ctx.learner.id, lesson.id)
    if any(attempt.question_id == step.id and attempt.correct for attempt in attempts):
        return []
    if isinstance(step, QuizStep):
        right = step.quiz.correct_index
        shown = f"{right + 1}. {ctx.pick(step.quiz.options[right].text)}"
        explain = step.quiz.explain
    else:
        shown, explain = format(step.numeric.answer, "g"), step.numeric.explain
    parts = [ctx.t("answer.reveal", answer=shown)]
    if explain:
        parts.append(ctx.pick(explain))
    return [Text("\n\n".join(parts))]


async def _record(ctx: Ctx, lesson: Lesson, question_id: str, given: str, correct: bool) -> None:
    """Record an answer, count the day, give first-try points, and put a miss into the practice deck."""
    learner_id, now = ctx.learner.id, ctx.now()
    earlier = await ctx.session.progress.attempts(learner_id, lesson.id)
    first_try = not any(attempt.question_id == question_id for attempt in earlier)
    await ctx.session.progress.add_attempt(
        learner_id, QuizAttempt(lesson.id, question_id, given, correct, now)
    )
    await count_day(ctx, ANSWER if correct and first_try else None, lesson.id, question_id)
    if not correct:
        await ctx.session.practice.add(learner_id, missed(lesson.id, question_id, now))


COMMANDS = (
    command(
        answer, args=(Arg("answer", "text", "an option's number or letter, or a number"),), lesson_flow=True
    ),
)
