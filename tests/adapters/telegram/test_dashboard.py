"""/admin_dashboard on Telegram: in a group, the link goes to the admin's private chat, never the group."""

from __future__ import annotations

import re

import pytest

from bot.adapters.telegram.app import TelegramFrontend
from bot.core.context import TutorSettings
from bot.core.logins import token_hash
from bot.core.ports.dashboard import Scope
from bot.core.tutor import Tutor
from bot.store import SqlStore
from tests.adapters.telegram.fake_api import FakeBotApi
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeSandbox

URL = "https://tutor.example.org"
LINK = re.compile(re.escape(URL) + r"/login/[0-9a-f]{32}\.[0-9]+\.[0-9a-f]{32}")


@pytest.fixture
def tutor(store: SqlStore, sandbox: FakeSandbox) -> Tutor:
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    settings = TutorSettings(commands_per_minute=1000, admins=frozenset({"telegram:5"}), dashboard_url=URL)
    return Tutor(store, catalog, sandbox, settings=settings)


async def scope_of(store: SqlStore, text: str) -> Scope:
    found = LINK.search(text)
    assert found is not None, text
    async with store.session() as session:
        login = await session.dashboard.login(token_hash(found[0].rsplit("/", 1)[1]))
    assert login is not None
    return login.grant.scope


async def test_a_group_admins_link_goes_to_their_private_chat(
    api: FakeBotApi, bot: TelegramFrontend, store: SqlStore
) -> None:
    api.admins.add(7)

    await api.push_text("/admin_dashboard", group=True)

    [note] = await api.wait_for("sendMessage", text="private chat", chat_id=-100)
    [private] = await api.wait_for("sendMessage", text="/login/", chat_id=7)
    assert not LINK.search(str(note.params["text"]))
    assert all(
        not LINK.search(str(c.params.get("text", ""))) for c in api.sent() if c.params["chat_id"] == -100
    )
    assert await scope_of(store, str(private.params["text"])) == Scope("telegram", "-100")
    assert private.params["link_preview_options"] == {"is_disabled": True}


async def test_a_group_admin_who_never_opened_a_private_chat_is_told_how(
    api: FakeBotApi, bot: TelegramFrontend
) -> None:
    api.admins.add(7)
    api.blocked.add(7)

    await api.push_text("/admin_dashboard", group=True)

    [told] = await api.wait_for("sendMessage", text="open our private chat", chat_id=-100)
    assert told.params["reply_markup"]["inline_keyboard"][0][0]["url"] == "https://t.me/torch_tutor_bot"
    assert not any(LINK.search(str(c.params.get("text", ""))) for c in api.sent())


async def test_a_group_member_who_is_no_admin_gets_no_link(api: FakeBotApi, bot: TelegramFrontend) -> None:
    await api.push_text("/admin_dashboard", group=True)

    [refusal] = await api.wait_for("sendMessage", text="Only admins", chat_id=7)
    await api.wait_for("sendMessage", text="private chat", chat_id=-100)
    assert not any(LINK.search(str(c.params.get("text", ""))) for c in api.sent())
    assert refusal


async def test_a_lesson_admin_in_the_private_chat_gets_a_link_to_every_learner(
    api: FakeBotApi, bot: TelegramFrontend, store: SqlStore
) -> None:
    await api.push_text("/admin_dashboard", user_id=5)

    [private] = await api.wait_for("sendMessage", text="/login/", chat_id=5)
    assert await scope_of(store, str(private.params["text"])) == Scope()
