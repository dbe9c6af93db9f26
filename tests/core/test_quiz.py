import pytest

from bot.core.replies import Buttons, Notice
from bot.core.tutor import Tutor
from bot.store import SqlStore
from tests.core.conftest import USER, Say, of_type, text_of
from tests.store_view import attempts


@pytest.fixture
async def at_quiz(say: Say) -> Say:
    await say("/lesson tensor-basics")
    await say("/next")
    await say("/next")
    return say


@pytest.mark.parametrize("answer", ["2", "b", "B", "(b)"])
async def test_answer_accepts_numbers_and_letters(at_quiz: Say, answer: str) -> None:
    replies = await at_quiz(f"/answer {answer}")
    assert of_type(replies, Notice)[0] == Notice("Correct!", "success")


async def test_wrong_answer_explains_that_option_only(at_quiz: Say) -> None:
    text = text_of(await at_quiz("/answer 1"))
    assert "option 1 isn't it" in text
    assert "that's numel" in text
    assert "ones(2, 2) is 2 by 2." not in text and "(2, 2)" not in text
    assert "/answer" in text  # may try again


async def test_moving_on_unsolved_shows_the_answer_and_the_explanation(at_quiz: Say) -> None:
    await at_quiz("/answer 3")

    text = text_of(await at_quiz("/next"))

    assert "The answer: **2. (2, 2)**" in text and "ones(2, 2) is 2 by 2." in text
    assert "step 4/6" in text


async def test_moving_on_after_the_right_answer_reveals_nothing_again(at_quiz: Say) -> None:
    await at_quiz("/answer 1")
    await at_quiz("/answer 2")

    assert "The answer" not in text_of(await at_quiz("/next"))


async def test_moving_on_from_an_unsolved_numeric_question_shows_its_answer(at_quiz: Say) -> None:
    await at_quiz("/next")
    await at_quiz("/answer 5")

    assert "The answer: **4**" in text_of(await at_quiz("/next"))


async def test_right_answer_explains_and_offers_next(at_quiz: Say) -> None:
    replies = await at_quiz("/answer 2")
    assert "ones(2, 2) is 2 by 2." in text_of(replies)
    assert of_type(replies, Buttons)[-1].buttons[0].action == "next"


async def test_answer_records_every_attempt(at_quiz: Say, store: SqlStore) -> None:
    await at_quiz("/answer a")
    await at_quiz("/answer b")
    assert await attempts(store) == [("shape-quiz", "1", False), ("shape-quiz", "2", True)]


async def test_answer_out_of_range_says_what_is_valid(at_quiz: Say, store: SqlStore) -> None:
    assert "1–3" in text_of(await at_quiz("/answer 7"))
    assert await attempts(store) == []


async def test_bare_number_answers_an_open_quiz(at_quiz: Say) -> None:
    assert "Correct!" in text_of(await at_quiz("2"))


async def test_bare_text_without_a_question_explains_commands(say: Say) -> None:
    assert "Commands start with" in text_of(await say("hello"))


async def test_answer_button_answers_that_question(at_quiz: Say, tutor: Tutor) -> None:
    replies = await tutor.action(USER, "ans:tensor-basics:shape-quiz:2")
    assert "Correct!" in text_of(replies)


async def test_numeric_answer_within_tolerance_is_right(at_quiz: Say) -> None:
    await at_quiz("/next")
    assert "Correct!" in text_of(await at_quiz("/answer 4.005"))


async def test_numeric_answer_outside_tolerance_is_wrong(at_quiz: Say, store: SqlStore) -> None:
    await at_quiz("/next")
    assert "4.5 isn't it" in text_of(await at_quiz("/answer 4.5"))
    assert (await attempts(store))[-1][2] is False


async def test_numeric_answer_must_be_a_number(at_quiz: Say) -> None:
    await at_quiz("/next")
    assert "takes a number" in text_of(await at_quiz("/answer four"))


async def test_answer_without_an_open_question_says_so(say: Say) -> None:
    await say("/lesson tensor-basics")
    text = text_of(await say("/answer 2"))
    assert "no question open" in text
    assert "/next" in text


async def test_answer_needs_an_argument(at_quiz: Say) -> None:
    assert "Usage: `/answer <answer>`" in text_of(await at_quiz("/answer"))
