"""End to end against the fake Bot API: the real python-telegram-bot, the real tutor, fakes behind it."""

from __future__ import annotations

import asyncio
import re

from bot.adapters.telegram.app import TelegramFrontend
from bot.core.i18n import translate
from bot.core.tutor import Tutor
from bot.store import SqlStore
from sandbox.result import Graph, GraphNode, RunError, RunResult, Status
from tests import store_view
from tests.adapters.telegram.conftest import PNG
from tests.adapters.telegram.fake_api import Call, FakeBotApi
from tests.fakes import FakeSandbox, figure, ok, png


def button(call: Call, label: str) -> str:
    """Return the callback data of the button labelled ``label`` in a sent message."""
    for row in call.params["reply_markup"]["inline_keyboard"]:
        for key in row:
            if key["text"] == label:
                return str(key["callback_data"])
    raise AssertionError(f"no {label!r} button in {call.params.get('reply_markup')}")


def with_keyboard(api: FakeBotApi) -> Call:
    """Return the last sent message or poll that carries a keyboard."""
    return next(
        c
        for c in reversed(api.calls)
        if c.method in ("sendMessage", "sendPoll") and c.params.get("reply_markup")
    )


async def test_whole_lesson_is_taken_through_buttons(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text("/lesson tensor-basics")
    await api.wait_for("sendMessage", text="step 1/6")
    for step in range(2, 7):
        await api.press(with_keyboard(api), button(with_keyboard(api), "Next"))
        await api.wait_for("answerCallbackQuery", count=step - 1)
        if step == 3:
            await api.wait_for("sendPoll")
        else:
            await api.wait_for("sendMessage", text=f"step {step}/6")
    await api.press(with_keyboard(api), button(with_keyboard(api), "Finish lesson"))

    await api.wait_for("sendMessage", text="You've completed")
    assert len(api.sent("editMessageText")) >= 5  # each pressed message keeps a note of the choice


async def test_quiz_poll_answer_is_recorded(api: FakeBotApi, bot: TelegramFrontend, store: SqlStore) -> None:
    await api.push_text("/lesson tensor-basics")
    await api.wait_for("sendMessage", text="step 1/6")
    await api.push_text("/next")
    await api.wait_for("sendMessage", text="step 2/6")
    await api.push_text("/next")
    [poll] = await api.wait_for("sendPoll")

    await api.answer_poll(poll, 1)

    await api.wait_for("sendMessage", text="Correct!")
    assert poll.params["type"] == "quiz"
    assert poll.params["correct_option_ids"] == [1]
    assert [(question, correct) for question, _, correct in await store_view.attempts(store)] == [
        ("shape-quiz", True)
    ]


async def test_run_sends_the_autograd_graph_as_a_photo(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    graph = Graph(root="y", nodes=(GraphNode(id=0, label="AddBackward0", kind="root", name="y"),), edges=())
    sandbox.will_return(ok(graph=graph, graph_text="y  AddBackward0"))

    await api.push_text("/run y = x + 2")

    [photo] = await api.wait_for("sendPhoto")
    assert photo.files["photo"] == PNG


async def test_output_flood_is_attached_as_a_document(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    flood = "".join(f"line {n} <tag> & more\n" for n in range(20_000))
    sandbox.will_return(ok(stdout=flood))

    await api.push_text("/run for i in range(20000): print(i)")

    [document] = await api.wait_for("sendDocument")
    assert flood.rstrip("\n") in document.files["document"].decode()
    for call in api.sent():
        text = str(call.params["text"])
        assert len(text) <= 4096
        assert text.count("<pre>") == text.count("</pre>")


async def test_html_in_output_is_shown_as_literal_text(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    sandbox.will_return(ok(stdout='<b>bold</b> <a href="https://evil.example">click</a>\n'))

    await api.push_text("/run print('<b>bold</b>')")

    [message] = await api.wait_for("sendMessage", text="&lt;b&gt;bold")
    text = str(message.params["text"])
    assert "<a " not in text and "<b>bold" not in text
    assert '&lt;a href="https://evil.example"&gt;' in text
    assert message.params["link_preview_options"] == {"is_disabled": True}


async def test_too_many_requests_is_retried_after_the_wait(api: FakeBotApi, bot: TelegramFrontend) -> None:
    api.fail_next("sendMessage", retry_after=1)

    await api.push_text("/about")

    [delivered] = await api.wait_for("sendMessage", text="Torch Tutor")
    [refused] = api.refused()
    assert delivered.at - refused.at >= 1.0


async def test_handler_bug_is_answered_politely_and_the_next_update_served(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    sandbox.will_return(RuntimeError("a bug in the sandbox client"))

    await api.push_text("/run print(1)")
    await api.wait_for("sendMessage", text=translate("en", "error.internal")[:20])
    await api.push_text("/about")

    await api.wait_for("sendMessage", text="Torch Tutor")


async def test_run_takes_the_code_of_the_message_replied_to(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    replied = api.message("print(6 * 7)", user_id=8)

    await api.push_text("/run", reply_to=replied)

    await api.wait_for("sendMessage", text="Ran in")
    assert [request.code for request in sandbox.requests] == ["print(6 * 7)"]


async def test_lesson_in_a_group_points_to_the_private_chat(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text("/lesson tensor-basics", group=True)

    [message] = await api.wait_for("sendMessage", text="private chat")
    url = message.params["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url == "https://t.me/torch_tutor_bot?start=tensor-basics"


async def test_the_private_chat_link_opens_the_lesson(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text("/start tensor-basics")

    await api.wait_for("sendMessage", text="step 1/6")


async def test_group_admin_turns_run_off_in_the_group(
    api: FakeBotApi, bot: TelegramFrontend, store: SqlStore
) -> None:
    api.admins.add(7)

    await api.push_text("/admin_sandbox off", group=True)

    await api.wait_for("sendMessage")
    assert [c.params["user_id"] for c in api.sent("getChatMember")] == [7]
    assert not (await store_view.server(store, "telegram", "-100")).sandbox_enabled


async def test_group_admin_cannot_reload_the_lessons_of_every_group(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    api.admins.add(7)

    await api.push_text("/admin_reload", group=True)

    await api.wait_for("sendMessage", text=translate("en", "admin.only"))
    assert api.sent("getChatMember") == []


async def test_run_in_a_group_is_refused_where_its_admins_turned_it_off(
    api: FakeBotApi, bot: TelegramFrontend, store: SqlStore, sandbox: FakeSandbox
) -> None:
    from bot.core.ports import ServerSettings

    await store_view.save_server(store, ServerSettings("telegram", "-100", sandbox_enabled=False))

    await api.push_text("/run print(1)", group=True)

    await api.wait_for("sendMessage", text=translate("en", "run.disabled"))
    assert sandbox.requests == []


async def test_discord_only_admin_commands_are_absent_in_a_group(
    api: FakeBotApi, bot: TelegramFrontend, store: SqlStore, sandbox: FakeSandbox
) -> None:
    api.admins.add(7)

    await api.push_text("/admin_channels add 123", group=True)  # not a Telegram command: not answered
    await api.push_text("/run print(1)", group=True)

    await api.wait_for("sendMessage", text="Ran in")
    assert not any("123" in text or "channel" in text for text in api.texts())
    assert (await store_view.server(store, "telegram", "-100")).allowed_channels == frozenset()
    assert len(sandbox.requests) == 1


async def test_admin_dm_is_absent_on_telegram(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text("/admin_dm on")

    await api.wait_for("sendMessage", text="no /admin_dm command")


async def test_commands_are_published_in_chinese_and_english(api: FakeBotApi, bot: TelegramFrontend) -> None:
    calls = await api.wait_for("setMyCommands", count=3)

    by_language = {c.params.get("language_code"): c.params["commands"] for c in calls}
    assert set(by_language) == {None, "zh", "en"}
    zh = {c["command"]: c["description"] for c in by_language["zh"]}
    assert re.search(r"[\u4e00-\u9fff]", zh["run"])
    assert "admin_reload" not in zh


async def test_reply_follows_the_telegram_language(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text("/about", language="zh")

    await api.wait_for("sendMessage", text="源代码")


async def test_own_strings_follow_the_language_chosen_with_lang(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    graph = Graph(root="y", nodes=(GraphNode(id=0, label="AddBackward0", kind="root", name="y"),), edges=())
    sandbox.will_return(ok(graph=graph, graph_text="y  AddBackward0"))
    await api.push_text("/lang zh", language="en")
    await api.wait_for("sendMessage")

    await api.push_text("/run y = x + 2", language="en")

    [photo] = await api.wait_for("sendPhoto")
    assert photo.params["caption"] == "计算结果的自动求导图"


async def test_stop_finishes_the_run_in_flight(
    api: FakeBotApi, tutor: object, sandbox: FakeSandbox, store: SqlStore
) -> None:
    from tests.adapters.telegram.conftest import telegram_settings

    started, release = asyncio.Event(), asyncio.Event()

    async def slow_run(request: object) -> object:
        started.set()
        await release.wait()
        return ok(stdout="done\n")

    sandbox.run = slow_run  # type: ignore[method-assign,assignment]
    frontend = TelegramFrontend(tutor, telegram_settings(api), poll_timeout=1)  # type: ignore[arg-type]
    task = asyncio.create_task(frontend.run())
    await api.push_text("/run print('done')")
    await asyncio.wait_for(started.wait(), 10)

    await frontend.stop()
    asyncio.get_running_loop().call_later(0.2, release.set)
    await asyncio.wait_for(task, 10)

    assert any("done" in text for text in api.texts())


async def test_one_figure_is_sent_as_a_photo(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    image = png(marker=b"only")
    sandbox.will_return(ok(figures=(figure(image),)))

    await api.push_text("/run plt.imshow(img.squeeze(), cmap='gray')")

    [photo] = await api.wait_for("sendPhoto")
    assert photo.files["photo"] == image
    assert api.sent("sendMediaGroup") == []


async def test_several_figures_are_sent_as_one_media_group(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    images = [png(marker=f"figure {n}".encode()) for n in range(3)]
    sandbox.will_return(ok(figures=tuple(figure(image) for image in images)))

    await api.push_text("/run for n in range(3): plt.figure(); plt.plot([n])")

    [album] = await api.wait_for("sendMediaGroup")
    media = album.params["media"]
    assert [item["type"] for item in media] == ["photo"] * 3
    attached = [album.files[item["media"].removeprefix("attach://")] for item in media]
    assert attached == images


async def test_a_figure_too_elongated_for_a_photo_is_sent_as_a_file(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    strip = png(1600, 40, b"strip")
    sandbox.will_return(ok(figures=(figure(strip),)))

    await api.push_text("/run plt.figure(figsize=(40, 1))")

    [document] = await api.wait_for("sendDocument")
    assert document.files["document"] == strip
    assert api.sent("sendPhoto") == []


async def test_notebook_continues_from_earlier_runs_and_lists_them(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    await api.push_text("/run x = torch.randn(3)")
    await api.wait_for("sendMessage", text="Ran in")
    await api.push_text("/run y = x * 2")
    await api.wait_for("sendMessage", text="Ran in", count=2)
    await api.push_text("/notebook")

    [listing] = await api.wait_for("sendMessage", text="Your notebook: 2 cells")
    assert "1. x = torch.randn(3)" in api.message_of(listing)["text"]
    assert [cell.code for cell in sandbox.requests[1].cells] == ["x = torch.randn(3)"]


async def test_a_fence_inside_a_string_literal_is_run_as_code(
    api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox
) -> None:
    await api.push_text("/run print('```\\n**bold** @here')")

    await api.wait_for("sendMessage", text="Ran in")
    assert [request.code for request in sandbox.requests] == ["print('```\\n**bold** @here')"]


async def test_a_limit_is_stated_once(api: FakeBotApi, bot: TelegramFrontend, sandbox: FakeSandbox) -> None:
    message = "Time limit of 5 s reached"
    sandbox.will_return(
        RunResult(status=Status.TIMEOUT, stdout=f"tick\n{message}\n", error=RunError("timeout", message))
    )

    await api.push_text("/run while True: print('tick')")

    [sent] = await api.wait_for("sendMessage", text="tick")
    assert str(sent.params["text"]).count(message) == 1


async def test_backticks_named_in_a_sentence_never_open_a_code_block(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    await api.push_text("/help run")

    [sent] = await api.wait_for("sendMessage", text="block on the same")
    text = str(sent.params["text"])
    assert "in a ``` block" in text and "<pre>" not in text and "<code>`" not in text


async def test_a_wrong_poll_answer_explains_that_option_and_moving_on_shows_the_answer(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    await api.push_text("/lesson tensor-basics")
    await api.wait_for("sendMessage", text="step 1/6")
    await api.push_text("/next")
    await api.wait_for("sendMessage", text="step 2/6")
    await api.push_text("/next")
    [poll] = await api.wait_for("sendPoll")

    await api.answer_poll(poll, 0)
    [wrong] = await api.wait_for("sendMessage", text="isn't it")
    await api.push_text("/next")
    [moved_on] = await api.wait_for("sendMessage", text="The answer")

    assert "that's numel" in str(wrong.params["text"]) and "2 by 2" not in str(wrong.params["text"])
    assert "<b>2. (2, 2)</b>" in str(moved_on.params["text"]) and "2 by 2" in str(moved_on.params["text"])


async def test_an_unknown_command_gets_no_far_fetched_suggestion(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    await api.push_text("/exit")

    [sent] = await api.wait_for("sendMessage", text="no /exit command")
    assert "/next" not in str(sent.params["text"])


async def test_a_poll_answered_after_a_restart_gets_a_reply(
    api: FakeBotApi, tutor: Tutor, store: SqlStore
) -> None:
    from tests.adapters.telegram.conftest import telegram_settings

    first = TelegramFrontend(tutor, telegram_settings(api), poll_timeout=1)
    running = asyncio.create_task(first.run())
    await api.push_text("/lesson tensor-basics")
    await api.wait_for("sendMessage", text="step 1/6")
    await api.push_text("/next")
    await api.wait_for("sendMessage", text="step 2/6")
    await api.push_text("/next")
    [poll] = await api.wait_for("sendPoll")
    await first.stop()
    await asyncio.wait_for(running, 10)

    restarted = TelegramFrontend(tutor, telegram_settings(api), poll_timeout=1)
    running = asyncio.create_task(restarted.run())
    try:
        await api.answer_poll(poll, 1)
        await api.wait_for("sendMessage", text="Correct!")
    finally:
        await restarted.stop()
        await asyncio.wait_for(running, 10)
    assert [(question, correct) for question, _, correct in await store_view.attempts(store)] == [
        ("shape-quiz", True)
    ]


async def test_marking_a_pressed_button_keeps_the_code_blocks_language(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    await api.push_text("/lesson tensor-basics")
    await api.wait_for("sendMessage", text="step 1/6")
    await api.push_text("/next")
    [step] = await api.wait_for("sendMessage", text="step 2/6")
    assert '<pre><code class="language-python">' in str(step.params["text"])

    await api.press(with_keyboard(api), button(with_keyboard(api), "Next"))

    [edit] = await api.wait_for("editMessageText")
    text = str(edit.params["text"])
    assert '<pre><code class="language-python">x = torch.ones(2, 2)' in text and 'class="python"' not in text
    assert text.endswith("<i>› Next</i>")


STICKER = {
    "file_id": "s1",
    "file_unique_id": "s1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}


async def test_a_sticker_in_a_private_chat_is_told_to_send_a_command(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    message = api.message("", language="zh")
    del message["text"]
    await api.push(message={**message, "sticker": STICKER})

    [sent] = await api.wait_for("sendMessage")
    assert "/next" in str(sent.params["text"]) and "/help" in str(sent.params["text"])
    assert "只能读文字" in str(sent.params["text"])


async def test_a_sticker_in_a_group_is_left_alone(api: FakeBotApi, bot: TelegramFrontend) -> None:
    message = api.message("", group=True)
    del message["text"]
    await api.push(message={**message, "sticker": STICKER})
    await api.push_text("/about", group=True)

    await api.wait_for("sendMessage", text="Torch Tutor")
    await asyncio.sleep(0.3)  # updates are handled concurrently: give a reply to the sticker its chance
    assert not any("only read text" in text for text in api.texts())
