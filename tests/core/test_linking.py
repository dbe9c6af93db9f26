"""/link and /unlink through the tutor: one learner across platforms."""

from __future__ import annotations

import re

import pytest

from bot.core.ports import PlatformUser
from bot.core.replies import Reply
from bot.store import SqlStore
from tests.core.conftest import Say, text_of
from tests.fakes import FakeClock
from tests.store_view import learner_id

DISCORD = PlatformUser("discord", "d1", "Ada")
TELEGRAM = PlatformUser("telegram", "t1", "Ada")


def code_in(replies: list[Reply]) -> str:
    match = re.search(r"\*\*([A-Z0-9]{4}-[A-Z0-9]{4})\*\*", text_of(replies))
    assert match, text_of(replies)
    return match[1]


async def test_link_gives_a_one_time_code(say: Say) -> None:
    code = code_in(await say("/link", DISCORD))

    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)


async def test_code_typed_on_the_other_platform_joins_the_accounts(say: Say, store: SqlStore) -> None:
    await say("/lesson tensor-basics", DISCORD)
    code = code_in(await say("/link", DISCORD))

    replies = await say(f"/link {code.lower()}", TELEGRAM)

    assert "Linked!" in text_of(replies)
    assert await learner_id(store, TELEGRAM) == await learner_id(store, DISCORD)
    assert "Tensors" in text_of(await say("/progress", TELEGRAM))


async def test_expired_code_is_refused(say: Say, clock: FakeClock, store: SqlStore) -> None:
    code = code_in(await say("/link", DISCORD))
    clock.advance(10 * 60)

    replies = await say(f"/link {code}", TELEGRAM)

    assert "expired" in text_of(replies)
    assert await learner_id(store, TELEGRAM) != await learner_id(store, DISCORD)


async def test_used_code_is_refused(say: Say) -> None:
    code = code_in(await say("/link", DISCORD))
    await say(f"/link {code}", TELEGRAM)

    replies = await say(f"/link {code}", PlatformUser("telegram", "t2", "Eve"))

    assert "used already" in text_of(replies)


async def test_code_from_the_same_platform_is_refused(say: Say, store: SqlStore) -> None:
    code = code_in(await say("/link", DISCORD))

    replies = await say(f"/link {code}", PlatformUser("discord", "d2", "Eve"))

    assert "made on Discord" in text_of(replies)
    assert await learner_id(store, DISCORD) != await learner_id(store, PlatformUser("discord", "d2", "Eve"))


async def test_unknown_code_is_refused(say: Say) -> None:
    assert "don't know that code" in text_of(await say("/link ZZZZ-ZZZZ", TELEGRAM))


async def test_code_of_an_already_linked_learner_says_so(say: Say) -> None:
    await say(f"/link {code_in(await say('/link', DISCORD))}", TELEGRAM)

    replies = await say(f"/link {code_in(await say('/link', DISCORD))}", TELEGRAM)

    assert "already linked" in text_of(replies)


async def test_unlink_detaches_this_account_with_a_copy_of_the_progress(say: Say, store: SqlStore) -> None:
    await say(f"/link {code_in(await say('/link', DISCORD))}", TELEGRAM)
    await say("/lesson tensor-basics", DISCORD)

    replies = await say("/unlink", TELEGRAM)

    assert "Unlinked" in text_of(replies)
    assert await learner_id(store, TELEGRAM) != await learner_id(store, DISCORD)
    assert "Tensors" in text_of(await say("/progress", TELEGRAM))
    assert "Tensors" in text_of(await say("/progress", DISCORD))


@pytest.mark.parametrize("user", [DISCORD, TELEGRAM])
async def test_unlink_of_a_lone_account_explains_link(say: Say, user: PlatformUser) -> None:
    assert "/link" in text_of(await say("/unlink", user))
