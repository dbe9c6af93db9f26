"""/admin dashboard on Discord: a private (ephemeral) link of the server's scope, or of everyone's."""

from __future__ import annotations

import re

import pytest

from bot.core.context import TutorSettings
from bot.core.logins import token_hash
from bot.core.ports.dashboard import Scope
from bot.store import SqlStore
from tests.adapters.discord.conftest import World, messages_of, text_of

URL = "https://tutor.example.org"
LINK = re.compile(re.escape(URL) + r"/login/[0-9a-f]{32}\.[0-9]+\.[0-9a-f]{32}")


@pytest.fixture
def settings() -> TutorSettings:
    return TutorSettings(commands_per_minute=1000, default_locale="en", dashboard_url=URL)


async def scope_of(store: SqlStore, link: str) -> Scope:
    async with store.session() as session:
        login = await session.dashboard.login(token_hash(link.rsplit("/", 1)[1]))
    assert login is not None
    return login.grant.scope


async def test_a_server_manager_gets_a_private_link_to_the_servers_learners(
    world: World, store: SqlStore
) -> None:
    result = await world.admin.slash(world.channel, "admin dashboard")

    assert result.ephemeral and all(m.flags.ephemeral for m in messages_of(result))
    text = text_of(result)
    found = LINK.search(text)
    assert found is not None and "this server's learners" in text
    assert await scope_of(store, found[0]) == Scope("discord", str(world.guild.id))


async def test_a_lesson_admin_gets_a_link_to_every_learner(
    world: World, store: SqlStore, settings: TutorSettings, tutor: object
) -> None:
    from dataclasses import replace

    tutor.settings = replace(settings, admins=frozenset({f"discord:{world.admin.id}"}))  # type: ignore[attr-defined]
    tutor.services = replace(tutor.services, settings=tutor.settings)  # type: ignore[attr-defined]

    found = LINK.search(text_of(await world.admin.slash(world.channel, "admin dashboard")))

    assert found is not None and await scope_of(store, found[0]) == Scope()


async def test_the_command_is_not_offered_to_members_without_manage_server(world: World) -> None:
    assert "admin dashboard" not in world.learner.available_commands(world.channel)
    assert "admin dashboard" in world.admin.available_commands(world.channel)
