from datetime import timedelta

from bot.core.ports import Progress
from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Text
from bot.core.tutor import Incoming, Tutor
from bot.store import SqlStore
from bot.store.models import ProgressRow
from tests.core.conftest import USER, Say, autograd_lesson, of_type, tensor_lesson, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox
from tests.store_view import count, learner_id


async def test_start_welcomes_and_points_to_the_first_lesson(say: Say) -> None:
    replies = await say("/start")
    assert "Torch Tutor" in text_of(replies)
    assert "/lesson tensor-basics" in text_of(replies)
    assert of_type(replies, Buttons)[0].buttons[0].action == "lesson:tensor-basics"


async def test_start_offers_to_resume_the_current_lesson(say: Say) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    replies = await say("/start")
    assert "step 2 of 6" in text_of(replies)
    assert of_type(replies, Buttons)[0].buttons[0].label == "Continue"


async def test_lessons_lists_chapters_progress_and_unmet_prerequisites(say: Say) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    listing = text_of(await say("/lessons"))
    assert "Chapter 1" in listing and "Chapter 2" in listing
    assert "▓░░░░░░░ 1/6" in listing
    assert "you are here" in listing
    assert "best after `tensor-basics`" in listing


async def test_lesson_shows_intro_and_first_step(say: Say) -> None:
    replies = await say("/lesson tensor-basics")
    text = text_of(replies)
    assert "**Tensors**" in text
    assert "Handbook § 1.3.1" in text
    assert "step 1/6" in text
    assert "A tensor is an n-dimensional array." in text


async def test_lesson_with_unmet_prerequisite_opens_with_a_note(say: Say) -> None:
    replies = await say("/lesson autograd-basics")
    warnings = [n.text for n in of_type(replies, Notice) if n.kind == "warning"]
    assert warnings and "/lesson tensor-basics" in warnings[0]
    assert "Gradients." in text_of(replies)


async def test_unknown_lesson_suggests_closest(say: Say) -> None:
    replies = await say("/lesson tensor-basic")
    assert "/lesson tensor-basics" in text_of(replies)
    replies = await say("/lesson autograd")
    assert "/lesson autograd-basics" in text_of(replies)


async def test_unknown_lesson_without_lookalike_points_to_lessons(say: Say) -> None:
    assert "/lessons" in text_of(await say("/lesson quantum-chromodynamics"))


async def test_code_step_offers_run_and_next_buttons(say: Say) -> None:
    await say("/lesson tensor-basics")
    replies = await say("/next")
    assert of_type(replies, Code)[0].source == "x = torch.ones(2, 2)\nx"
    buttons = of_type(replies, Buttons)[0].buttons
    assert [b.action for b in buttons] == ["run:tensor-basics:first-tensor", "next"]
    assert [b.command for b in buttons] == ["/run", "/next"]


async def test_quiz_step_is_a_quiz_prompt_with_answer_actions(say: Say) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    prompt = of_type(await say("/next"), QuizPrompt)[0]
    assert prompt.options == ("(4,)", "(2, 2)", "(2,)")
    assert prompt.actions == tuple(f"ans:tensor-basics:shape-quiz:{n}" for n in (1, 2, 3))
    assert prompt.correct_option == 1
    assert "1–3" in prompt.instruction


async def test_next_and_back_move_one_step(say: Say) -> None:
    await say("/lesson tensor-basics")
    assert "step 2/6" in text_of(await say("/next"))
    assert "step 1/6" in text_of(await say("/back"))
    assert "already the first step" in text_of(await say("/back"))


async def test_next_without_a_lesson_says_what_to_type(say: Say) -> None:
    replies = await say("/next")
    assert replies == [Notice(replies[0].text, "warning")]  # type: ignore[union-attr]
    assert "/lessons" in text_of(replies)


async def test_next_step_resumes_after_restart(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, say: Say
) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    restarted = Tutor(store, catalog, sandbox)
    replies = await restarted.handle(Incoming(USER, "/next"))
    assert "step 3/6" in text_of(replies)


async def test_finishing_a_lesson_marks_it_completed_and_suggests_the_next(say: Say) -> None:
    await say("/lesson tensor-basics")
    for _ in range(5):
        await say("/next")
    replies = await say("/next")
    assert of_type(replies, Notice)[0].kind == "success"
    assert "/lesson autograd-basics" in text_of(replies)
    assert of_type(replies, Buttons)[-1].buttons[0].action == "lesson:autograd-basics"
    assert "completed" in text_of(await say("/progress"))


async def test_last_step_offers_finish_button(say: Say) -> None:
    await say("/lesson tensor-basics")
    for _ in range(4):
        await say("/next")
    replies = await say("/next")
    assert of_type(replies, Buttons)[-1].buttons[-1].label == "Finish lesson"


async def test_reopening_a_completed_lesson_starts_from_the_top(say: Say) -> None:
    await say("/lesson tensor-basics")
    for _ in range(6):
        await say("/next")
    replies = await say("/lesson tensor-basics")
    assert "from the top" in text_of(replies)
    assert "step 1/6" in text_of(replies)
    assert "completed" in text_of(await say("/progress"))


async def test_resume_after_lesson_edit_keeps_step_id(say: Say, catalog: FakeCatalogSource) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    await say("/next")  # at shape-quiz, index 2
    edited = tensor_lesson(version=2)
    steps = [edited.steps[0], edited.steps[0].model_copy(), *edited.steps[1:]]  # a step inserted before
    catalog.replace([tensor_lesson(version=2, steps=[s.model_dump(exclude_none=True) for s in steps])])
    replies = await say("/lesson")
    assert of_type(replies, QuizPrompt)[0].question_id == "shape-quiz"
    assert "updated" in text_of(replies)
    assert "step 4/7" in text_of(replies)


async def test_resume_after_lesson_edit_keeps_position_when_step_is_gone(
    say: Say, catalog: FakeCatalogSource
) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    await say("/next")  # at shape-quiz, index 2
    lesson = tensor_lesson()
    steps = [s.model_dump(exclude_none=True) for i, s in enumerate(lesson.steps) if i != 2]
    catalog.replace([tensor_lesson(version=2, steps=steps)])
    replies = await say("/lesson")
    assert "changed" in text_of(replies)
    assert "step 3/5" in text_of(replies)
    assert "What is x.sum()?" in text_of(replies)


async def test_lesson_removed_from_catalog_is_explained(say: Say, catalog: FakeCatalogSource) -> None:
    await say("/lesson tensor-basics")
    catalog.replace([autograd_lesson()])
    assert "no longer available" in text_of(await say("/next"))


async def test_progress_shows_bar_answers_and_submissions(say: Say) -> None:
    await say("/lesson tensor-basics")
    for _ in range(2):
        await say("/next")
    await say("/answer 1")
    await say("/answer 2")
    text = text_of(await say("/progress"))
    assert "▓▓▓░░░░░ 2/6" in text
    assert "questions: 1/2 right (2 answers given)" in text
    assert "exercises: 0/1 passed (0 submissions)" in text


async def test_progress_before_any_lesson_points_to_lessons(say: Say) -> None:
    assert "/lessons" in text_of(await say("/progress"))


async def test_reset_asks_for_confirmation_first(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    replies = await say("/reset tensor-basics")
    assert of_type(replies, Buttons)[0].buttons[0].action == "reset:tensor-basics"
    assert "/reset tensor-basics confirm" in text_of(replies)
    assert await count(store, ProgressRow) == 1


async def test_reset_confirmed_forgets_the_lesson(say: Say, tutor: Tutor, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    await say("/next")
    replies = await tutor.action(USER, "reset:tensor-basics")
    assert of_type(replies, Notice)[0].kind == "success"
    assert await count(store, ProgressRow) == 0


async def test_progress_keeps_started_at_and_updates_updated_at(
    say: Say, store: SqlStore, clock: FakeClock
) -> None:
    await say("/lesson tensor-basics")
    clock.advance(60)
    await say("/next")
    async with store.session() as session:
        progress = await session.progress.get(await learner_id(store, USER) or 0, "tensor-basics")
    assert isinstance(progress, Progress)
    assert progress.updated_at - progress.started_at == timedelta(seconds=60)
    assert progress.step_key == "first-tensor"
    assert progress.lesson_version == 1


async def test_lesson_texts_follow_the_learners_language(say: Say) -> None:
    await say("/lang zh")
    text = text_of(await say("/lesson tensor-basics"))
    assert "张量是多维数组。" in text
    assert "第 1/6 步" in text


async def test_button_next_works_like_the_command(say: Say, tutor: Tutor) -> None:
    await say("/lesson tensor-basics")
    assert "step 2/6" in text_of(await tutor.action(USER, "next"))


async def test_text_step_shows_markdown_and_next(say: Say) -> None:
    replies = await say("/lesson tensor-basics")
    assert isinstance(replies[-1], Buttons)
    assert any(isinstance(r, Text) and "n-dimensional" in r.markdown for r in replies)


async def test_the_lesson_list_names_each_chapter(store: SqlStore, sandbox: FakeSandbox) -> None:
    named = tensor_lesson(chapter_title={"zh": "入门", "en": "Getting started"})
    tutor = Tutor(store, FakeCatalogSource([named, autograd_lesson()]), sandbox)

    english = text_of(await tutor.handle(Incoming(USER, "/lessons", locale="en")))
    chinese = text_of(await tutor.handle(Incoming(USER, "/lessons", locale="zh")))

    assert "**Chapter 1 · Getting started**" in english and "**Chapter 2**" in english
    assert "入门**" in chinese
