"""Finding and moving through lessons: /lessons, /lesson, /next, /back, /progress, /reset."""

from __future__ import annotations

from bot.core import actions
from bot.core.activity import STEP, count_day, learner_zone
from bot.core.calendar import local_day, streaks
from bot.core.commands.quiz import reveal_when_leaving
from bot.core.context import Ctx
from bot.core.course import card_replies, course_card, short_rating
from bot.core.course_cache import CourseCard
from bot.core.errors import UserError
from bot.core.ports import Progress
from bot.core.progress import (
    current_lesson,
    here,
    locate,
    move,
    progress_bar,
    steps_done,
    unmet_requirements,
)
from bot.core.registry import Arg, command
from bot.core.replies import Button, Buttons, Notice, Reply, Text
from bot.core.steps import step_replies
from bot.core.suggest import closest
from bot.curriculum.model import ExerciseStep, Lesson, NumericStep, QuizStep


async def lessons(ctx: Ctx) -> list[Reply]:
    """List the lessons by chapter, with your progress in each."""
    if not ctx.catalog.lessons:
        return [Notice(ctx.t("lessons.empty"))]
    progress = {p.lesson_id: p for p in await ctx.session.progress.all(ctx.learner.id)}
    completed = {p.lesson_id for p in progress.values() if p.completed_at is not None}
    card = await course_card(ctx)
    chapters: dict[int, list[Lesson]] = {}
    for lesson in ctx.catalog.lessons:
        chapters.setdefault(lesson.chapter, []).append(lesson)
    lines = [f"**{ctx.t('lessons.title')}**"]
    for chapter in sorted(chapters):
        heading = ctx.t("lessons.chapter", chapter=chapter)
        title = ctx.catalog.chapter_title(chapter)
        lines.append(f"\n**{heading} · {ctx.pick(title)}**" if title else f"\n**{heading}**")
        lines += [
            _lesson_line(ctx, lesson, progress.get(lesson.id), completed, card)
            for lesson in chapters[chapter]
        ]
    lines.append("\n" + ctx.t("lessons.footer"))
    return [*card_replies(ctx, card, reviews=False), Text("\n".join(lines))]


def _lesson_line(
    ctx: Ctx, lesson: Lesson, progress: Progress | None, completed: set[str], card: CourseCard
) -> str:
    parts = [f"- **{ctx.pick(lesson.title)}** `{lesson.id}`"]
    tally = card.tally(lesson.id)
    facts = [ctx.t("lessons.minutes", minutes=lesson.minutes)] if lesson.minutes else []
    if tally is not None and tally.started:
        facts.append(ctx.t("lessons.learned", count=tally.started))
    rating = short_rating(tally)
    if rating:
        facts.append(rating)
    if facts:
        parts.append(" · ".join(facts))
    if progress is None:
        parts.append(ctx.t("lessons.not_started"))
    else:
        parts.append(progress_bar(steps_done(lesson, progress), len(lesson.steps)))
        if progress.completed_at is not None:
            parts.append(ctx.t("lessons.done"))
    if lesson.id == ctx.learner.current_lesson:
        parts.append(ctx.t("lessons.current"))
    unmet = unmet_requirements(ctx, lesson, completed)
    if unmet:
        parts.append(ctx.t("lessons.needs", lessons=", ".join(f"`{req}`" for req in unmet)))
    return " · ".join(parts)


async def lesson(ctx: Ctx, lesson: str | None = None) -> list[Reply]:
    """Start or resume a lesson: /lesson tensor-basics.

    Without a lesson id, shows where you are in your current lesson.
    """
    target = find_lesson(ctx, lesson) if lesson else _current_or_ask(ctx)
    if ctx.learner.current_lesson != target.id:
        await ctx.session.learners.set_current_lesson(ctx.learner.id, target.id)
    position = await locate(ctx, target)
    replies: list[Reply] = list(position.notices)
    index = position.index
    if position.progress.completed_at is not None and index == len(target.steps) - 1:
        index = (await move(ctx, target, 0, position.progress)).index
        replies.append(Notice(ctx.t("lesson.review")))
    if index == 0:
        replies.append(Text(_intro(ctx, target)))
        completed = {p.lesson_id for p in await ctx.session.progress.all(ctx.learner.id) if p.completed_at}
        unmet = unmet_requirements(ctx, target, completed)
        if unmet:
            names = ", ".join(f"/lesson {req}" for req in unmet)
            replies.append(Notice(ctx.t("lesson.unmet", lessons=names), "warning"))
    else:
        replies.append(Notice(ctx.t("lesson.resumed", title=ctx.pick(target.title))))
    return replies + step_replies(ctx, target, index)


def _current_or_ask(ctx: Ctx) -> Lesson:
    if ctx.learner.current_lesson is None:
        raise UserError("lesson.which")
    return current_lesson(ctx)


def find_lesson(ctx: Ctx, lesson_id: str) -> Lesson:
    """Return the lesson with this id; raise ``UserError`` naming the closest ids if there is none."""
    found = ctx.catalog.get(lesson_id)
    if found is not None:
        return found
    suggestions = closest(lesson_id, ctx.catalog.ids())
    if suggestions:
        raise UserError(
            "lesson.unknown_suggest",
            lesson=lesson_id,
            suggestions=", ".join(f"/lesson {s}" for s in suggestions),
        )
    raise UserError("lesson.unknown", lesson=lesson_id)


def _intro(ctx: Ctx, lesson: Lesson) -> str:
    lines: list[str] = []  # the step header that follows names the lesson
    if lesson.summary:
        lines.append(ctx.pick(lesson.summary))
    facts: list[str] = []
    if lesson.syllabus:
        facts.append(ctx.t("lesson.syllabus", sections=", ".join(lesson.syllabus)))
    if lesson.minutes:
        facts.append(ctx.t("lesson.minutes", minutes=lesson.minutes))
    facts.append(ctx.t("lesson.steps", count=len(lesson.steps)))
    lines.append("_" + " · ".join(facts) + "_")
    return "\n\n".join(lines)


async def next_step(ctx: Ctx) -> list[Reply]:
    """Go to the next step of your current lesson."""
    position = await here(ctx)
    target = position.lesson
    leaving = await reveal_when_leaving(ctx, target, position.index)
    await count_day(ctx, STEP, target.id, target.step_key(position.index))
    if position.index + 1 < len(target.steps):
        moved = await move(ctx, target, position.index + 1, position.progress)
        return [*position.notices, *leaving, *step_replies(ctx, target, moved.index)]
    await move(ctx, target, position.index, position.progress, completed=True)
    return [*position.notices, *leaving, *await _completion(ctx, target)]


async def _completion(ctx: Ctx, finished: Lesson) -> list[Reply]:
    replies: list[Reply] = [Notice(ctx.t("lesson.completed", title=ctx.pick(finished.title)), "success")]
    replies += rating_offer(ctx, finished)
    completed = {p.lesson_id for p in await ctx.session.progress.all(ctx.learner.id) if p.completed_at}
    following = _next_lesson(ctx, finished, completed)
    if following is None:
        replies.append(Text(ctx.t("lesson.all_done")))
        return replies
    title = ctx.pick(following.title)
    replies.append(Text(ctx.t("lesson.up_next", title=title, lesson=following.id)))
    button = Button(
        ctx.t("button.start_lesson"), actions.lesson_action(following.id), f"/lesson {following.id}"
    )
    replies.append(Buttons((button,)))
    return replies


def rating_offer(ctx: Ctx, lesson: Lesson) -> list[Reply]:
    """Offer to rate a lesson just completed, one to five stars, and to review it."""
    buttons = tuple(
        Button(ctx.t("button.stars", count=n), actions.rate_action(lesson.id, n), f"/rate {lesson.id} {n}")
        for n in range(1, 6)
    )
    return [Text(ctx.t("rate.offer", lesson=lesson.id)), Buttons(buttons)]


def _next_lesson(ctx: Ctx, finished: Lesson, completed: set[str]) -> Lesson | None:
    """Pick what to learn next: the first unfinished lesson after this one whose prerequisites are met."""
    ordered = list(ctx.catalog.lessons)
    at = ordered.index(finished) if finished in ordered else len(ordered)
    rest = [candidate for candidate in ordered[at + 1 :] + ordered[:at] if candidate.id not in completed]
    ready = [candidate for candidate in rest if not unmet_requirements(ctx, candidate, completed)]
    return (ready or rest)[0] if rest else None


async def back(ctx: Ctx) -> list[Reply]:
    """Go back one step in your current lesson."""
    position = await here(ctx)
    if position.index == 0:
        return [*position.notices, Notice(ctx.t("step.first")), *step_replies(ctx, position.lesson, 0)]
    moved = await move(ctx, position.lesson, position.index - 1, position.progress)
    return [*position.notices, *step_replies(ctx, position.lesson, moved.index)]


async def progress(ctx: Ctx) -> list[Reply]:
    """Show your progress in every lesson you have started, your streak and your practice questions due."""
    started = {p.lesson_id: p for p in await ctx.session.progress.all(ctx.learner.id)}
    if not started:
        return [Notice(ctx.t("progress.none"))]
    habits = await _habit_lines(ctx)
    order = [lesson_id for lesson_id in ctx.catalog.ids() if lesson_id in started]
    order += sorted(set(started) - set(order))
    lines = [f"**{ctx.t('progress.title')}**"]
    for lesson_id in order:
        found = ctx.catalog.get(lesson_id)
        if found is None:
            lines.append(f"- `{lesson_id}` · {ctx.t('progress.gone')}")
            continue
        lines += await _progress_lines(ctx, found, started[lesson_id])
    return [Text("\n".join(lines)), Text("\n".join(habits))]


async def _habit_lines(ctx: Ctx) -> list[str]:
    """Return the learner's streak and practice deck, as /progress shows them under the lessons."""
    now = ctx.now()
    today = local_day(now, await learner_zone(ctx))
    current, longest = streaks(await ctx.session.activity.days(ctx.learner.id), today)
    deck = ctx.session.practice
    due, size = await deck.due_count(ctx.learner.id, now), await deck.size(ctx.learner.id)
    lines = [ctx.t("progress.streak", count=current, longest=longest)]
    if size:
        lines.append(ctx.t("progress.practice", count=due, size=size))
    return lines


async def _progress_lines(ctx: Ctx, target: Lesson, progress: Progress) -> list[str]:
    bar = progress_bar(steps_done(target, progress), len(target.steps))
    head = f"- **{ctx.pick(target.title)}** `{target.id}` {bar}"
    if progress.completed_at is not None:
        head += " · " + ctx.t("lessons.done")
    lines = [head]
    questions = {step.id for step in target.steps if isinstance(step, QuizStep | NumericStep)}
    if questions:
        attempts = [
            a
            for a in await ctx.session.progress.attempts(ctx.learner.id, target.id)
            if a.question_id in questions
        ]
        right = {a.question_id for a in attempts if a.correct}
        lines.append(
            "  - "
            + ctx.t("progress.questions", right=len(right), total=len(questions), answers=len(attempts))
        )
    exercises = [step.id for step in target.steps if isinstance(step, ExerciseStep)]
    if exercises:
        passed = submitted = 0
        for exercise_id in exercises:
            submissions = await ctx.session.progress.submissions(ctx.learner.id, target.id, exercise_id)
            submitted += len(submissions)
            passed += any(s.passed for s in submissions)
        lines.append(
            "  - " + ctx.t("progress.exercises", passed=passed, total=len(exercises), submissions=submitted)
        )
    return lines


async def reset(ctx: Ctx, lesson: str, confirm: str | None = None) -> list[Reply]:
    """Start a lesson over: forget its progress, answers and submissions."""
    target = find_lesson(ctx, lesson)
    title = ctx.pick(target.title)
    if confirm != "confirm":
        button = Button(ctx.t("button.reset"), actions.reset_action(target.id), f"/reset {target.id} confirm")
        return [Notice(ctx.t("reset.confirm", title=title, lesson=target.id), "warning"), Buttons((button,))]
    await ctx.session.progress.reset_lesson(ctx.learner.id, target.id)
    start = Button(ctx.t("button.start_lesson"), actions.lesson_action(target.id), f"/lesson {target.id}")
    return [Notice(ctx.t("reset.done", title=title), "success"), Buttons((start,))]


_LESSON_ARG = Arg("lesson", "lesson", "the lesson's id, as /lessons shows it")

COMMANDS = (
    command(lessons, in_groups=True, writes=False),
    command(
        lesson,
        args=(Arg("lesson", "lesson", "the lesson's id, as /lessons shows it", required=False),),
        lesson_flow=True,
    ),
    command(next_step, name="next", lesson_flow=True),
    command(back, lesson_flow=True),
    command(progress, writes=False),
    command(
        reset,
        args=(_LESSON_ARG, Arg("confirm", "choice", "type confirm to really reset", False, ("confirm",))),
    ),
)
