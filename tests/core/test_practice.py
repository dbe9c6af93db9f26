"""/practice: missed questions enter the deck, come back when FSRS says, are graded and rescheduled."""

from __future__ import annotations

from bot.core.replies import Buttons, Notice, QuizPrompt
from tests.core.conftest import USER, Say, of_type, text_of
from tests.fakes import FakeClock


async def to_quiz(say: Say) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    await say("/next")  # the shape quiz: option 2 is right


async def test_an_empty_deck_says_where_questions_come_from(say: Say) -> None:
    assert "Your practice deck is empty" in text_of(await say("/practice"))


async def test_a_right_answer_leaves_the_deck_empty(say: Say) -> None:
    await to_quiz(say)
    await say("/answer 2")
    assert "Your practice deck is empty" in text_of(await say("/practice"))


async def test_a_missed_question_is_due_a_minute_later_and_asked_with_buttons(
    say: Say, clock: FakeClock
) -> None:
    await to_quiz(say)
    await say("/answer 1")
    assert "Nothing is due: your deck has 1 question, the next due in 1 minute" in text_of(
        await say("/practice")
    )

    clock.advance(60)
    replies = await say("/practice")

    prompt = of_type(replies, QuizPrompt)[0]
    assert prompt.question == "What is x's shape?"
    assert prompt.actions[1] == "prac:tensor-basics:shape-quiz:2"
    assert prompt.correct_option is None  # a poll must not give the answer away
    assert "1 question due" in text_of(replies)


async def test_a_right_practice_answer_pushes_the_question_out_by_fsrs(say: Say, clock: FakeClock) -> None:
    await to_quiz(say)
    await say("/answer 1")
    clock.advance(60)
    await say("/practice")

    replies = await say("/practice 2")

    assert of_type(replies, Notice)[0].kind == "success"
    assert "again in 10 minutes" in text_of(replies)  # FSRS's second learning step
    assert "Nothing is due" in text_of(await say("/practice"))


async def test_a_wrong_practice_answer_shows_the_right_one_and_comes_back_soon(
    say: Say, clock: FakeClock
) -> None:
    await to_quiz(say)
    await say("/answer 3")
    clock.advance(60)
    await say("/practice")

    replies = await say("/practice c")

    assert "The answer is option 2" in text_of(replies)
    assert "again in 1 minute" in text_of(replies)


async def test_a_practice_button_grades_once(say: Say, tutor, clock: FakeClock) -> None:
    await to_quiz(say)
    await say("/answer 1")
    clock.advance(60)
    await say("/practice")

    first = await tutor.action(USER, "prac:tensor-basics:shape-quiz:2")
    again = await tutor.action(USER, "prac:tensor-basics:shape-quiz:2")

    assert of_type(first, Notice)[0].kind == "success"
    assert "You've answered that one already" in text_of(again)


async def test_numeric_questions_are_practised_by_typing_a_number(say: Say, clock: FakeClock) -> None:
    await to_quiz(say)
    await say("/next")
    await say("/answer 5")  # the sum is 4
    clock.advance(60)

    asked = await say("/practice")
    assert "What is x.sum()?" in text_of(asked)
    assert not of_type(asked, Buttons)
    wrong = await say("/practice 3")
    assert "The answer is 4." in text_of(wrong)


async def test_answering_with_nothing_asked_says_how_to_start(say: Say) -> None:
    assert "There's no practice question open" in text_of(await say("/practice 2"))


async def test_progress_counts_due_questions(say: Say, clock: FakeClock) -> None:
    await to_quiz(say)
    await say("/answer 1")
    clock.advance(120)

    assert "Practice: 1 question due of 1 in your deck" in text_of(await say("/progress"))


async def test_a_question_removed_from_the_lessons_leaves_the_deck(
    say: Say, clock: FakeClock, catalog
) -> None:
    from tests.core.conftest import autograd_lesson, tensor_lesson

    await to_quiz(say)
    await say("/answer 1")
    lesson = tensor_lesson()
    catalog.replace([lesson.model_copy(update={"steps": lesson.steps[:2]}), autograd_lesson()])
    clock.advance(60)

    assert "Your practice deck is empty" in text_of(await say("/practice"))
    assert "Practice:" not in text_of(await say("/progress"))
