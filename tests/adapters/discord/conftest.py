"""The real bot, driven offline through SimCord, over the real store and fakes of catalog, sandbox, clock.

SimCord runs discord.py's own machinery (command tree, interactions, views, webhooks) against an
in-memory Discord. Each test gets a fresh tutor and bot; ``world`` holds a server, a channel, a learner
and an admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord
import pytest
import simcord
from simcord import interactions as simcord_interactions

from bot.adapters.discord.client import TutorBot
from bot.adapters.discord.frontend import DiscordFrontend
from bot.core.context import TutorSettings
from bot.core.tutor import Tutor
from bot.store import SqlStore
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox

LESSON_ADMIN_NAME = "teacher"
PNG = b"\x89PNG\r\n\x1a\nfake"  # what the graph renderer makes of any graph here


@pytest.fixture
def catalog() -> FakeCatalogSource:
    return FakeCatalogSource([tensor_lesson(), autograd_lesson()])


@pytest.fixture
def settings() -> TutorSettings:
    return TutorSettings(commands_per_minute=1000, runs_per_minute=3, default_locale="en")


@pytest.fixture
def tutor(
    store: SqlStore,
    catalog: FakeCatalogSource,
    sandbox: FakeSandbox,
    settings: TutorSettings,
    clock: FakeClock,
) -> Tutor:
    return Tutor(store, catalog, sandbox, settings=settings, clock=clock, render_graph=lambda graph: PNG)


@pytest.fixture
def lesson_admins() -> set[int]:
    """Filled in by ``world`` once the lesson admin's id is known (SimCord makes ids)."""
    return set()


def make_bot(tutor: Tutor, lesson_admins: set[int]) -> TutorBot:
    frontend = DiscordFrontend(tutor)
    bot = TutorBot(tutor.registry, frontend, shard_count=1)
    # The set is shared, so admins added after the bot is built count too.
    frontend.lesson_admins = lesson_admins  # type: ignore[assignment]
    return bot


@pytest.fixture
def simcord_bot(tutor: Tutor, lesson_admins: set[int]) -> TutorBot:
    return make_bot(tutor, lesson_admins)


@dataclass
class World:
    env: simcord.Env
    guild: Any
    channel: Any
    learner: Any  # a MemberActor in the guild
    admin: Any  # a member with Manage Server, also a lesson admin
    user: Any  # the learner's UserHandle, for DMs


@pytest.fixture
async def world(simcord_env: simcord.Env, lesson_admins: set[int]) -> World:
    env = simcord_env
    await env.bot.tree.sync()  # as `tutor discord sync` does; SimCord refuses unsynced commands
    guild = env.create_guild(name="PyTorch study group")
    channel = guild.create_text_channel("general")
    user = env.create_user("ada")
    learner = guild.add_member(user)
    managers = guild.create_role("Managers", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user(LESSON_ADMIN_NAME), roles=[managers])
    lesson_admins.add(admin.id)
    return World(env, guild, channel, learner, admin, user)


@pytest.fixture
def client_locale(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Let a test choose the Discord client's locale.

    SimCord sends every interaction with ``locale: "en-US"`` and has no option for it, so this patches
    exactly that field of the payload it builds (``simcord.interactions.base_payload``).
    """
    chosen = {"locale": "en-US"}
    original = simcord_interactions.base_payload

    def with_locale(*args: Any, **kwargs: Any) -> Any:
        record, payload = original(*args, **kwargs)
        payload["locale"] = chosen["locale"]
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", with_locale)

    def choose(locale: str) -> None:
        chosen["locale"] = locale

    return choose


def all_text(message: Any) -> str:
    """Return a message's content and its embeds' text, for assertions."""
    parts = [message.content or ""]
    for embed in message.embeds:
        parts += [embed.title or "", embed.description or ""]
        parts += [f"{field.name}\n{field.value}" for field in embed.fields]
        if embed.footer and embed.footer.text:
            parts.append(embed.footer.text)
    return "\n".join(part for part in parts if part)


def messages_of(result: Any) -> list[Any]:
    """Return the messages an interaction produced: its response, then its follow-ups."""
    found = [result.response] if result.response is not None else []
    return found + [m for m in result.followups if all(m.id != f.id for f in found)]


def text_of(result: Any) -> str:
    return "\n".join(all_text(message) for message in messages_of(result))
