from bot.core.replies import Buttons, Notice
from bot.core.tutor import Tutor
from bot.store import SqlStore
from bot.store.models import LearnerRow, ProgressRow, RunRow
from tests.core.conftest import USER, Say, of_type, text_of
from tests.store_view import count


async def test_lang_switches_every_reply_to_chinese(say: Say) -> None:
    assert text_of(await say("/lang zh")) == "好的，接下来我会用中文和你交流。"
    assert "没有 /nope 这个命令" in text_of(await say("/nope"))


async def test_lang_without_argument_shows_the_choices(say: Say) -> None:
    text = text_of(await say("/lang"))
    assert "English" in text and "`zh`" in text


async def test_lang_rejects_unknown_language(say: Say) -> None:
    assert "must be one of: zh, en" in text_of(await say("/lang fr"))


async def test_forget_asks_for_confirmation_first(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    replies = await say("/forget")
    assert of_type(replies, Buttons)[0].buttons[0].action == "forget:yes"
    assert await count(store, ProgressRow) == 1


async def test_forget_confirmed_deletes_the_learners_data(say: Say, tutor: Tutor, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    await say("/run 1")
    replies = await tutor.action(USER, "forget:yes")
    assert of_type(replies, Notice)[0].kind == "success"
    assert [await count(store, model) for model in (ProgressRow, RunRow, LearnerRow)] == [0, 0, 0]


async def test_forget_confirm_typed(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics")
    await say("/forget confirm")
    assert await count(store, ProgressRow) == 0
