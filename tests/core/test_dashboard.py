"""/admin dashboard in the core: a one-time link of the asker's scope, stored only as a hash."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest

from bot.core.context import TutorSettings
from bot.core.logins import make_token, token_hash, token_valid
from bot.core.ports import PlatformUser
from bot.core.ports.dashboard import DashboardLogin, Scope
from bot.core.replies import Text
from bot.core.tutor import Incoming, ServerRef, Tutor
from bot.store import SqlStore
from tests.core.conftest import of_type, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox

BO = PlatformUser("discord", "42", "Bo")
LESSON_ADMIN = PlatformUser("discord", "7", "Lee")
HERE = ServerRef("discord", "g1", "c1")
URL = "https://tutor.example.org"
LINK = re.compile(re.escape(URL) + r"/login/(?P<token>[0-9a-f]{32}\.[0-9]+\.[0-9a-f]{32})")


@pytest.fixture
def settings() -> TutorSettings:
    return TutorSettings(
        commands_per_minute=1000,
        default_locale="en",
        admins=frozenset({"discord:7"}),
        dashboard_url=URL,
        dashboard_link_seconds=600,
    )


async def ask(tutor: Tutor, user: PlatformUser = BO, **kwargs: object) -> tuple[str, str | None]:
    answer = await tutor.handle(Incoming(user, "/admin dashboard", **kwargs))  # type: ignore[arg-type]
    links = [m for reply in of_type(answer, Text) if (m := LINK.fullmatch(reply.markdown))]
    return text_of(answer), links[0]["token"] if links else None


async def stored(store: SqlStore, token: str) -> DashboardLogin:
    async with store.session() as session:
        login = await session.dashboard.login(token_hash(token))
    assert login is not None
    return login


async def test_a_server_admin_gets_a_link_to_that_servers_learners(tutor: Tutor, store: SqlStore) -> None:
    text, token = await ask(tutor, server=HERE, is_admin=True)

    assert "dashboard of this server's learners" in text and "within 10 minutes" in text
    assert token is not None
    login = await stored(store, token)
    assert login.grant.scope == Scope("discord", "g1")
    assert login.grant.admin == "discord:42" and not login.grant.moderate


async def test_a_lesson_admin_gets_a_link_to_every_learner_and_may_moderate(
    tutor: Tutor, store: SqlStore
) -> None:
    text, token = await ask(tutor, LESSON_ADMIN, server=HERE)

    assert "dashboard of every learner" in text
    assert token is not None
    login = await stored(store, token)
    assert login.grant.scope == Scope() and login.grant.moderate


async def test_the_link_expires_with_the_configured_lifetime(
    tutor: Tutor, store: SqlStore, clock: FakeClock
) -> None:
    _, token = await ask(tutor, server=HERE, is_admin=True)
    assert token is not None
    async with store.session() as session:
        key = await session.dashboard.signing_key()
        login = await session.dashboard.login(token_hash(token))

    assert login is not None and login.expires_at == clock.now + timedelta(minutes=10)
    assert token_valid(key, token, clock.now + timedelta(minutes=9))
    assert not token_valid(key, token, clock.now + timedelta(minutes=10, seconds=1))


async def test_each_request_makes_a_new_link(tutor: Tutor) -> None:
    _, first = await ask(tutor, server=HERE, is_admin=True)
    _, second = await ask(tutor, server=HERE, is_admin=True)

    assert first and second and first != second


async def test_a_member_who_is_no_admin_gets_no_link(tutor: Tutor, store: SqlStore) -> None:
    text, token = await ask(tutor, server=HERE)

    assert token is None and "Only admins" in text


async def test_a_learner_in_direct_messages_gets_no_link(tutor: Tutor) -> None:
    text, token = await ask(tutor)

    assert token is None and "Only admins" in text


async def test_the_link_is_refused_when_no_dashboard_is_served(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, settings: TutorSettings
) -> None:
    tutor = Tutor(store, catalog, sandbox, settings=dataclasses.replace(settings, dashboard_url=None))

    text, token = await ask(tutor, server=HERE, is_admin=True)

    assert token is None and "does not serve the web dashboard" in text


def test_a_token_signed_with_another_key_is_not_valid(clock: FakeClock) -> None:
    token = make_token(b"k" * 32, clock.now + timedelta(minutes=1))

    assert token_valid(b"k" * 32, token, clock.now)
    assert not token_valid(b"x" * 32, token, clock.now)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # signature changed
        lambda t: t.replace(".", ".9", 1),  # expiry pushed out
        lambda t: t.upper(),
        lambda t: t + "a",
        lambda t: "",
    ],
)
def test_a_mangled_token_is_not_valid(clock: FakeClock, mangle: object) -> None:
    token = make_token(b"k" * 32, clock.now + timedelta(minutes=1))

    assert not token_valid(b"k" * 32, mangle(token), clock.now)  # type: ignore[operator]
