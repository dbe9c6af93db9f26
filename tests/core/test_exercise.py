import pytest

from bot.core.replies import Buttons, Code, Notice, RunOutput
from bot.core.tutor import Tutor
from bot.curriculum.model import Lesson
from bot.store import SqlStore
from sandbox.result import CheckResult, RunError, RunResult, Status
from tests.core.conftest import USER, Say, of_type, tensor_lesson, text_of
from tests.fakes import FakeCatalogSource, FakeSandbox, ok
from tests.store_view import submissions

FAIL = ok(check=CheckResult(passed=False, message="z should be all zeros"))


@pytest.fixture
async def at_exercise(say: Say) -> Say:
    await say("/lesson tensor-basics")
    for _ in range(4):
        await say("/next")
    return say


async def test_exercise_step_shows_prompt_starter_and_how_to_submit(say: Say) -> None:
    await say("/lesson tensor-basics")
    for _ in range(3):
        await say("/next")
    replies = await say("/next")
    assert "Make a tensor z of zeros." in text_of(replies)
    assert of_type(replies, Code)[0].source == "z = ...\n"
    assert "/submit" in text_of(replies)
    assert [b.action for b in of_type(replies, Buttons)[0].buttons] == ["hint", "next"]


async def test_submit_runs_code_with_the_trusted_check_and_setup(
    at_exercise: Say, sandbox: FakeSandbox
) -> None:
    await at_exercise("/submit z = torch.zeros(2)")
    (request,) = sandbox.requests
    assert request.code == "z = torch.zeros(2)"
    assert request.check == "assert z.sum() == 0, 'z should be all zeros'"


async def test_passing_submission_is_recorded_and_offers_next(at_exercise: Say, store: SqlStore) -> None:
    replies = await at_exercise("/submit z = torch.zeros(2)")
    assert Notice("Passed! Your solution does what the exercise asks.", "success") in replies
    assert of_type(replies, Buttons)[-1].buttons[-1].action == "next"
    assert await submissions(store) == [("make-zeros", True)]


async def test_failing_submission_shows_the_checks_message_and_hints(
    at_exercise: Say, sandbox: FakeSandbox, store: SqlStore
) -> None:
    sandbox.will_return(FAIL)
    text = text_of(await at_exercise("/submit z = torch.ones(2)"))
    assert "Not yet: z should be all zeros" in text
    assert "/hint" in text and "(2 in all)" in text
    assert "Failed tries so far: 1" in text
    assert (await submissions(store))[-1] == ("make-zeros", False)


async def test_submission_that_crashes_is_not_checked(at_exercise: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(RunResult(status=Status.ERROR, error=RunError("TypeError", "bad", 1)))
    assert "has to run to the end" in text_of(await at_exercise("/submit z = 1 + 'a'"))


async def test_internal_failure_does_not_count_as_a_submission(
    at_exercise: Say, sandbox: FakeSandbox, store: SqlStore
) -> None:
    sandbox.will_return(RunResult(status=Status.INTERNAL))
    assert "Sorry" in text_of(await at_exercise("/submit z = 0"))
    assert await submissions(store) == []


async def test_solution_refused_before_three_failures(at_exercise: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(FAIL, FAIL)
    await at_exercise("/submit z = 1")
    await at_exercise("/submit z = 2")
    replies = await at_exercise("/solution")
    assert "after 1 more" in text_of(replies)
    assert not of_type(replies, Code)


async def test_solution_shown_after_three_failures(at_exercise: Say, sandbox: FakeSandbox) -> None:
    sandbox.will_return(FAIL, FAIL, FAIL)
    for n in range(3):
        replies = await at_exercise(f"/submit z = {n}")
    assert "/solution shows a model solution" in text_of(replies)
    assert of_type(await at_exercise("/solution"), Code)[0].source == "z = torch.zeros(2)\n"


async def test_hint_gives_the_next_hint_then_repeats_the_last(at_exercise: Say, tutor: Tutor) -> None:
    assert "Hint 1/2: Try torch.zeros." in text_of(await at_exercise("/hint"))
    assert "Hint 2/2: torch.zeros(2)" in text_of(await tutor.action(USER, "hint"))
    assert "last hint" in text_of(await at_exercise("/hint"))


@pytest.mark.parametrize("command", ["/submit z = 1", "/hint", "/solution"])
async def test_exercise_commands_without_an_exercise_say_what_to_do(say: Say, command: str) -> None:
    await say("/lesson tensor-basics")
    text = text_of(await say(command))
    assert "no exercise open" in text
    assert "/next" in text


def lesson_with_messages() -> Lesson:
    lesson = tensor_lesson()
    steps = [step.model_dump(exclude_none=True) for step in lesson.steps]
    steps[4]["exercise"].update(
        starter={"zh": "z = ...  # 在这里创建全零张量\n", "en": "z = ...  # make the zeros here\n"},
        check="if z.sum() != 0:\n    fail('not-zeros', total=float(z.sum()))",
        messages={
            "not-zeros": {
                "zh": "z 的元素之和是 {total:.1f}，应全为 0。",
                "en": "z sums to {total:.1f}; every element should be 0.",
            }
        },
    )
    return tensor_lesson(steps=steps)


@pytest.fixture
async def at_localized_exercise(say: Say, catalog: FakeCatalogSource) -> Say:
    catalog.replace([lesson_with_messages()])
    await say("/lesson tensor-basics")
    for _ in range(4):
        await say("/next")
    return say


NOT_ZEROS = ok(
    check=CheckResult(
        passed=False, message="not-zeros (total=2.0)", message_id="not-zeros", params={"total": 2.0}
    )
)


async def test_check_message_id_is_shown_as_the_lessons_text(
    at_localized_exercise: Say, sandbox: FakeSandbox
) -> None:
    sandbox.will_return(NOT_ZEROS)
    replies = await at_localized_exercise("/submit z = torch.ones(2)")
    assert "Not yet: z sums to 2.0; every element should be 0." in text_of(replies)
    (output,) = of_type(replies, RunOutput)
    assert output.result.check is not None
    assert output.result.check.message == "z sums to 2.0; every element should be 0."


async def test_check_message_follows_the_learners_language(
    at_localized_exercise: Say, sandbox: FakeSandbox
) -> None:
    await at_localized_exercise("/lang zh")
    sandbox.will_return(NOT_ZEROS)
    text = text_of(await at_localized_exercise("/submit z = torch.ones(2)"))
    assert "z 的元素之和是 2.0，应全为 0。" in text
    assert "every element" not in text


async def test_unknown_check_message_id_shows_the_readable_text(
    at_localized_exercise: Say, sandbox: FakeSandbox
) -> None:
    sandbox.will_return(
        ok(check=CheckResult(passed=False, message="gone (x=1)", message_id="gone", params={"x": 1}))
    )
    assert "Not yet: gone (x=1)" in text_of(await at_localized_exercise("/submit z = 1"))


async def test_starter_follows_the_learners_language(say: Say, catalog: FakeCatalogSource) -> None:
    catalog.replace([lesson_with_messages()])
    await say("/lang zh")
    await say("/lesson tensor-basics")
    for _ in range(3):
        await say("/next")
    replies = await say("/next")
    assert of_type(replies, Code)[0].source == "z = ...  # 在这里创建全零张量\n"
