"""Show one lesson step as replies: text, code with a Run button, a quiz, a numeric question, an exercise.

Steps are shown in a ``Wording`` (a command's ``Ctx``, or a ``Voice`` for a preview with no learner).
"""

from __future__ import annotations

from bot.core import actions
from bot.core.i18n import Wording
from bot.core.replies import Button, Buttons, Code, QuizPrompt, Reply, Text
from bot.curriculum.model import CodeStep, ExerciseStep, Lesson, NumericStep, QuizStep, TextStep


def step_replies(ctx: Wording, lesson: Lesson, index: int) -> list[Reply]:
    """Return the replies that present step ``index`` of ``lesson``."""
    step = lesson.steps[index]
    header = ctx.t("step.header", title=ctx.pick(lesson.title), n=index + 1, total=len(lesson.steps))
    last = index == len(lesson.steps) - 1
    next_button = Button(ctx.t("button.finish" if last else "button.next"), actions.NEXT, "/next")
    if isinstance(step, TextStep):
        return [Text(f"{header}\n\n{ctx.pick(step.text)}"), Buttons((next_button,))]
    if isinstance(step, CodeStep):
        caption = f"{header}\n\n{ctx.pick(step.text)}" if step.text else header
        run = Button(ctx.t("button.run"), actions.run_action(lesson, index), "/run")
        return [Text(caption), Code(step.code), Buttons((run, next_button))]
    if isinstance(step, QuizStep):
        return [Text(header), quiz_prompt(ctx, lesson, index, step), Buttons((next_button,))]
    if isinstance(step, NumericStep):
        replies: list[Reply] = [Text(f"{header}\n\n{ctx.pick(step.numeric.question)}")]
        if step.numeric.code:
            replies.append(Code(step.numeric.code))
        replies += [Text(ctx.t("numeric.instruction")), Buttons((next_button,))]
        return replies
    return exercise_replies(ctx, header, step, next_button)


def quiz_prompt(ctx: Wording, lesson: Lesson, index: int, step: QuizStep) -> QuizPrompt:
    """Return a quiz step as a prompt with one answer action per option."""
    quiz = step.quiz
    count = len(quiz.options)
    return QuizPrompt(
        lesson_id=lesson.id,
        question_id=step.id,
        question=ctx.pick(quiz.question),
        options=tuple(ctx.pick(option.text) for option in quiz.options),
        actions=tuple(actions.answer_action(lesson, index, i) for i in range(count)),
        instruction=ctx.t("quiz.instruction", last=count, last_letter=chr(ord("a") + count - 1)),
        code=quiz.code,
        correct_option=quiz.correct_index,
        explanation=ctx.pick(quiz.explain) if quiz.explain else None,
    )


def exercise_replies(ctx: Wording, header: str, step: ExerciseStep, next_button: Button) -> list[Reply]:
    """Return an exercise's prompt, starter code and how to submit."""
    exercise = step.exercise
    replies: list[Reply] = [Text(f"{header}\n\n{ctx.pick(exercise.prompt)}")]
    starter = exercise.starter if isinstance(exercise.starter, str) else ctx.pick(exercise.starter)
    if starter.strip():
        replies.append(Code(starter))
    instruction = ctx.t("exercise.instruction")
    if exercise.hints:
        instruction += " " + ctx.t("exercise.hints", count=len(exercise.hints))
    replies.append(Text(instruction))
    buttons = [Button(ctx.t("button.hint"), actions.HINT, "/hint")] if exercise.hints else []
    replies.append(Buttons((*buttons, next_button)))
    return replies
