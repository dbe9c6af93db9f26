"""/practice: ask the missed questions that are due, grade the answers and reschedule them with FSRS."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from bot.core import actions
from bot.core.activity import count_day
from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.parsing import parse_choice, parse_number
from bot.core.ports import PracticeCard
from bot.core.practice import review
from bot.core.registry import Arg, command
from bot.core.replies import Button, Buttons, Code, Notice, QuizPrompt, Reply, Text
from bot.curriculum.model import Lesson, NumericStep, QuizStep

_GONE_LIMIT = 20  # cards whose question left the lessons, dropped per /practice at most


async def practice(ctx: Ctx, answer: str | None = None) -> list[Reply]:
    """Practise the questions you missed, when each is due: /practice, then answer.

    Quiz questions have buttons; or type /practice 2 (or b) for an option, /practice 4.5 for a number.
    """
    if answer is not None:
        card = await ctx.session.practice.asked(ctx.learner.id)
        if card is None:
            raise UserError("practice.nothing_asked")
        return await _grade(ctx, card, answer)
    return await ask_next(ctx)


async def practice_button(ctx: Ctx, lesson_id: str, step_ref: str, option: str) -> list[Reply]:
    """Answer a practice question with an option button."""
    lesson = ctx.catalog.get(lesson_id)
    index = actions.step_index(lesson, step_ref) if lesson else None
    if lesson is None or index is None:
        raise UserError("action.stale")
    card = await ctx.session.practice.get(ctx.learner.id, lesson.id, lesson.step_key(index))
    if card is None or card.asked_at is None:
        raise UserError("practice.already_answered")
    return await _grade(ctx, card, option)


async def ask_next(ctx: Ctx) -> list[Reply]:
    """Ask the learner's longest-overdue practice question, or say when the next one is due."""
    deck, now = ctx.session.practice, ctx.now()
    for _ in range(_GONE_LIMIT):
        due = await deck.due(ctx.learner.id, now)
        if not due:
            return await _nothing_due(ctx, now)
        card = due[0]
        found = _question(ctx, card)
        if found is None:
            await deck.remove(ctx.learner.id, card.lesson_id, card.question_id)
            continue
        lesson, index = found
        await deck.save(ctx.learner.id, dataclasses.replace(card, asked_at=now))
        left = await deck.due_count(ctx.learner.id, now)
        return _ask(ctx, lesson, index, left)
    return await _nothing_due(ctx, now)


def _question(ctx: Ctx, card: PracticeCard) -> tuple[Lesson, int] | None:
    """Return the lesson and step of a card's question, None if the lessons no longer have it."""
    lesson = ctx.catalog.get(card.lesson_id)
    index = lesson.find_step(card.question_id) if lesson else None
    if lesson is None or index is None or not isinstance(lesson.steps[index], QuizStep | NumericStep):
        return None
    return lesson, index


def _ask(ctx: Ctx, lesson: Lesson, index: int, due: int) -> list[Reply]:
    step = lesson.steps[index]
    header = ctx.t("practice.header", title=ctx.pick(lesson.title), count=due)
    if isinstance(step, QuizStep):
        quiz = step.quiz
        count = len(quiz.options)
        prompt = QuizPrompt(
            lesson_id=lesson.id,
            question_id=step.id,
            question=ctx.pick(quiz.question),
            options=tuple(ctx.pick(option.text) for option in quiz.options),
            actions=tuple(actions.practice_answer_action(lesson, index, i) for i in range(count)),
            instruction=ctx.t("practice.quiz_instruction", last=count),
            code=quiz.code,
            # Not told up front: a native quiz poll would show the answer before the learner recalls it.
            correct_option=None,
            explanation=None,
        )
        return [Text(header), prompt]
    assert isinstance(step, NumericStep)
    replies: list[Reply] = [Text(f"{header}\n\n{ctx.pick(step.numeric.question)}")]
    if step.numeric.code:
        replies.append(Code(step.numeric.code))
    replies.append(Text(ctx.t("practice.numeric_instruction")))
    return replies


async def _grade(ctx: Ctx, card: PracticeCard, raw: str) -> list[Reply]:
    found = _question(ctx, card)
    if found is None:
        await ctx.session.practice.remove(ctx.learner.id, card.lesson_id, card.question_id)
        raise UserError("practice.question_gone")
    lesson, index = found
    step = lesson.steps[index]
    explanations: list[str] = []
    if isinstance(step, QuizStep):
        count = len(step.quiz.options)
        choice = parse_choice(raw, count)
        if choice is None:
            raise UserError("answer.bad_choice", last=count, last_letter=chr(ord("a") + count - 1))
        correct = choice == step.quiz.correct_index
        picked = step.quiz.options[choice]
        if not correct:
            right = step.quiz.options[step.quiz.correct_index]
            explanations.append(ctx.t("practice.right_option", n=step.quiz.correct_index + 1))
            explanations.append(ctx.pick(right.text))
            if picked.explain:
                explanations.append(ctx.pick(picked.explain))
        if step.quiz.explain:
            explanations.append(ctx.pick(step.quiz.explain))
    else:
        assert isinstance(step, NumericStep)
        value = parse_number(raw)
        if value is None:
            raise UserError("answer.not_a_number")
        correct = abs(value - step.numeric.answer) <= step.numeric.tolerance
        if not correct:
            explanations.append(ctx.t("practice.right_number", value=format(step.numeric.answer, "g")))
        if step.numeric.explain:
            explanations.append(ctx.pick(step.numeric.explain))
    now = ctx.now()
    after = review(card, correct=correct, now=now)
    await ctx.session.practice.save(ctx.learner.id, after)
    await count_day(ctx)
    verdict = ctx.t("answer.right") if correct else ctx.t("practice.wrong")
    replies: list[Reply] = [Notice(verdict, "success" if correct else "warning")]
    if explanations:
        replies.append(Text("\n\n".join(explanations)))
    left = await ctx.session.practice.due_count(ctx.learner.id, now)
    replies.append(Text(ctx.t("practice.next_time", when=until(ctx, after.due - now), count=left)))
    if left:
        replies.append(Buttons((Button(ctx.t("button.practice"), actions.PRACTICE, "/practice"),)))
    return replies


async def _nothing_due(ctx: Ctx, now: datetime) -> list[Reply]:
    deck = ctx.session.practice
    size = await deck.size(ctx.learner.id)
    if not size:
        return [Notice(ctx.t("practice.empty"))]
    upcoming = await deck.next_due(ctx.learner.id)
    when = until(ctx, upcoming - now) if upcoming is not None else "?"
    return [Notice(ctx.t("practice.none_due", count=size, when=when))]


def until(ctx: Ctx, delta: timedelta) -> str:
    """Return a wait in the largest unit that fits: minutes, hours or days (at least a minute)."""
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 60:
        return ctx.t("time.minutes", count=minutes)
    hours = round(minutes / 60)
    if hours < 48:
        return ctx.t("time.hours", count=hours)
    return ctx.t("time.days", count=round(hours / 24))


COMMANDS = (
    command(
        practice,
        args=(Arg("answer", "text", "your answer to the practice question asked", required=False),),
    ),
)
