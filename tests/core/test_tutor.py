import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import actions
from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser
from bot.core.replies import MAX_ACTION_BYTES, Button, Notice, Text
from bot.core.tutor import Incoming, Tutor
from bot.curriculum.model import Lesson
from bot.curriculum.problems import Problem
from bot.store import SqlStore
from bot.store.models import LearnerRow, RunClaimRow
from sandbox.result import RunRequest, RunResult
from tests.core.conftest import USER, Say, of_type, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox
from tests.store_view import CountingStore, count, current_lesson


async def test_unknown_command_suggests_closest(say: Say) -> None:
    text = text_of(await say("/nxt"))
    assert "There's no /nxt command" in text
    assert "/next" in text


async def test_unknown_command_without_lookalike_points_to_help(say: Say) -> None:
    assert "/help" in text_of(await say("/zzzzzz"))


@pytest.mark.parametrize("typed", ["/stop", "/e", "/xt"])
async def test_unknown_command_suggests_only_what_is_plausibly_meant(say: Say, typed: str) -> None:
    text = text_of(await say(typed))
    assert "Did you mean" not in text and "/help lists them all" in text


async def test_help_lists_commands_with_usage(say: Say) -> None:
    text = text_of(await say("/help"))
    assert "`/run [code]` — Run Python code in the sandbox, continuing your notebook." in text
    assert "`/reset <lesson> [confirm]`" in text


async def test_help_for_one_command_shows_details_and_arguments(say: Say) -> None:
    text = text_of(await say("/help /answer"))
    assert "letters a, b, c work too" in text
    assert "`answer`" in text


async def test_help_in_chinese(say: Say) -> None:
    await say("/lang zh")
    assert "在沙箱中运行 Python 代码" in text_of(await say("/help"))


async def test_about_credits_the_handbook(say: Say) -> None:
    text = text_of(await say("/about"))
    assert "PyTorch Handbook" in text and "zergtant" in text and "CC BY-NC-SA" in text


async def test_user_error_becomes_a_reply_and_changes_before_it_are_kept(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    replies = await say("/answer 1")  # not at a question: a UserError after the learner was loaded
    assert isinstance(replies[0], Notice)
    assert await current_lesson(store, USER) == "tensor-basics"


async def test_bugs_propagate_and_roll_back_the_session(store: SqlStore, clock: FakeClock) -> None:
    class BrokenCatalog(FakeCatalogSource):
        def reload(self) -> list[Problem]:
            raise RuntimeError("bug")

    tutor = Tutor(store, BrokenCatalog(), FakeSandbox(), clock=clock)
    with pytest.raises(RuntimeError, match="bug"):
        await tutor.handle(Incoming(USER, "/admin reload", is_admin=True))
    assert await count(store, LearnerRow) == 0  # the learner created on first contact was rolled back


async def test_a_sandbox_bug_propagates_and_releases_the_run_claim(
    store: SqlStore, catalog: FakeCatalogSource, clock: FakeClock
) -> None:
    class BrokenSandbox(FakeSandbox):
        async def run(self, request: RunRequest) -> RunResult:
            raise RuntimeError("bug")

    tutor = Tutor(store, catalog, BrokenSandbox(), clock=clock)
    with pytest.raises(RuntimeError, match="bug"):
        await tutor.handle(Incoming(USER, "/run 1"))
    assert await count(store, RunClaimRow) == 0
    assert "Ran in" in text_of(
        await Tutor(store, catalog, FakeSandbox(), clock=clock).handle(Incoming(USER, "/run 1"))
    )


async def test_one_store_session_per_command(store: SqlStore, catalog: FakeCatalogSource) -> None:
    counting = CountingStore(store)
    tutor = Tutor(counting, catalog, FakeSandbox())
    await tutor.handle(Incoming(USER, "/lesson tensor-basics"))
    await tutor.handle(Incoming(USER, "/next"))
    assert counting.opened == 2


async def test_command_rate_limit_replies_retry_after(
    store: SqlStore, catalog: FakeCatalogSource, clock: FakeClock
) -> None:
    tutor = Tutor(store, catalog, FakeSandbox(), settings=TutorSettings(commands_per_minute=2), clock=clock)
    await tutor.handle(Incoming(USER, "/help"))
    clock.advance(20)
    await tutor.handle(Incoming(USER, "/help"))
    replies = await tutor.handle(Incoming(USER, "/help"))
    assert "try again in 40 s" in text_of(replies)
    other = PlatformUser("console", "grace", "Grace")
    assert "Commands" in text_of(await tutor.handle(Incoming(other, "/help")))


async def test_platform_locale_hint_chooses_chinese(say: Say) -> None:
    user = PlatformUser("telegram", "7", "Li", locale_hint="zh-TW")
    assert "命令一览" in text_of(await say("/help", user=user))


async def test_explicit_locale_wins_over_lang_choice(say: Say) -> None:
    await say("/lang zh")
    assert "Commands" in text_of(await say("/help", locale="en"))


async def test_invoke_runs_a_command_with_typed_options(tutor: Tutor) -> None:
    replies = await tutor.invoke(USER, "lesson", {"lesson": "tensor-basics"})
    assert "step 1/6" in text_of(replies)


async def test_invoke_grouped_command_by_flat_name(tutor: Tutor) -> None:
    replies = await tutor.invoke(USER, "admin_validate", {}, is_admin=True)
    assert "valid" in text_of(replies)


async def test_invoke_missing_required_option_shows_usage(tutor: Tutor) -> None:
    assert "Usage: `/submit <code>`" in text_of(await tutor.invoke(USER, "submit", {}))


async def test_malformed_action_is_explained(tutor: Tutor) -> None:
    assert of_type(await tutor.action(USER, "frobnicate:1:2:3:4"), Notice)


async def test_plain_text_reply_is_a_notice_not_an_error(say: Say) -> None:
    (reply,) = await say("what is a tensor?")
    assert isinstance(reply, Notice) and reply.kind == "info"


async def test_help_replies_are_text(say: Say) -> None:
    assert isinstance((await say("/help"))[0], Text)


def test_button_refuses_an_action_id_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64"):
        Button("x", "a" * 65)


_ID = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}", fullmatch=True)  # at most 32 chars


@given(lesson_id=_ID, step_id=_ID, options=st.integers(2, 10))
def test_step_actions_fit_in_64_bytes_and_find_their_step(lesson_id: str, step_id: str, options: int) -> None:
    quiz = {
        "question": {"zh": "q", "en": "q"},
        "options": [{"text": {"zh": "o", "en": "o"}, "correct": i == 0} for i in range(options)],
    }
    lesson = Lesson.model_validate(
        {
            "id": lesson_id,
            "chapter": 1,
            "title": {"zh": "t", "en": "t"},
            "steps": [{"id": step_id, "code": "1"}, {"id": "q" + step_id[1:], "quiz": quiz}]
            if not step_id.startswith("q")
            else [{"id": step_id, "code": "1"}, {"id": "z" + step_id[1:], "quiz": quiz}],
        }
    )
    run = actions.run_action(lesson, 0)
    answer = actions.answer_action(lesson, 1, options - 1)
    for action in (run, answer):
        assert len(action.encode()) <= MAX_ACTION_BYTES
    assert actions.step_index(lesson, actions.parse_action(run).parts[1]) == 0
    parsed = actions.parse_action(answer)
    assert actions.step_index(lesson, parsed.parts[1]) == 1
    assert parsed.parts[2] == str(options)


def test_longest_ids_fall_back_to_the_step_index() -> None:
    long_id = "a" * 32
    lesson = Lesson.model_validate(
        {
            "id": long_id,
            "chapter": 1,
            "title": {"zh": "t", "en": "t"},
            "steps": [{"id": "b" * 32, "code": "1"}],
        }
    )
    assert actions.run_action(lesson, 0) == f"run:{long_id}:#0"
    assert actions.step_index(lesson, "#0") == 0
    assert actions.step_index(lesson, "#5") is None
