"""Server admins' commands in the core: channels, sandbox, lessons in DMs, stats, uploads."""

from __future__ import annotations

from bot.core.ports import PlatformUser
from bot.core.registry import Upload
from bot.core.tutor import Incoming, ServerRef, Tutor
from bot.store import SqlStore
from tests import store_view
from tests.core.conftest import Say, text_of
from tests.fakes import FakeCatalogSource, FakeSandbox

BO = PlatformUser("discord", "42", "Bo")
HERE = ServerRef("discord", "g1", "c1")
ELSEWHERE = ServerRef("discord", "g1", "c2")
LESSON = (
    "id: extra\nchapter: 3\ntitle: {zh: 额外, en: Extra}\nrequires: [tensor-basics]\n"
    'steps:\n  - text: {zh: "文本", en: "Text"}\n'
)


async def admin(tutor: Tutor, command: str, args: dict[str, object], server: ServerRef | None = HERE) -> str:
    return text_of(await tutor.invoke(BO, command, args, server=server, is_admin=True))


async def test_run_is_refused_outside_the_allowed_channels(
    tutor: Tutor, say: Say, sandbox: FakeSandbox
) -> None:
    await admin(tutor, "admin channels", {"action": "add"})
    assert "doesn't run in this channel" in text_of(await say("/run 1", server=ELSEWHERE))
    assert "Ran in" in text_of(await say("/run 1", server=HERE))
    assert len(sandbox.requests) == 1


async def test_runs_anywhere_in_dms_whatever_the_servers_choose(tutor: Tutor, say: Say) -> None:
    await admin(tutor, "admin channels", {"action": "add", "channel": "<#99>"})
    assert "Ran in" in text_of(await say("/run 1"))


async def test_channels_clear_allows_every_channel_again(tutor: Tutor, say: Say) -> None:
    await admin(tutor, "admin channels", {"action": "add"})
    assert "every channel" in await admin(tutor, "admin channels", {"action": "clear"})
    assert "Ran in" in text_of(await say("/run 1", server=ELSEWHERE))


async def test_sandbox_off_refuses_submit_too(tutor: Tutor, say: Say, sandbox: FakeSandbox) -> None:
    await admin(tutor, "admin sandbox", {"state": "off"})
    await say("/lesson tensor-basics", server=HERE)
    for _ in range(4):
        await say("/next", server=HERE)
    assert "turned off" in text_of(await say("/submit z = 1", server=HERE))
    assert sandbox.requests == []


async def test_server_commands_need_a_server(tutor: Tutor) -> None:
    assert "in a server only" in await admin(tutor, "admin stats", {}, server=None)


async def test_dm_setting_is_saved_for_the_server(tutor: Tutor, store: SqlStore) -> None:
    await admin(tutor, "admin dm", {"state": "on"})
    assert (await store_view.server(store, "discord", "g1")).lessons_in_dm


async def test_upload_installs_a_valid_lesson_and_stores_it(
    tutor: Tutor, store: SqlStore, catalog: FakeCatalogSource
) -> None:
    text = await admin(tutor, "admin upload", {"file": Upload("extra.yaml", LESSON.encode())})
    assert "Installed **Extra**" in text
    assert catalog.current().get("extra") is not None
    assert (await store_view.uploads(store))["extra"].uploaded_by == "discord:42"


async def test_upload_by_chat_line_asks_for_an_attachment(tutor: Tutor) -> None:
    replies = await tutor.handle(Incoming(BO, "/admin upload extra.yaml", is_admin=True))
    assert "Attach the file" in text_of(replies)


async def test_upload_refuses_a_file_that_is_not_utf8(tutor: Tutor) -> None:
    assert "isn't UTF-8" in await admin(tutor, "admin upload", {"file": Upload("x.yaml", b"\xff\xfe")})


async def test_disabling_an_upload_takes_it_out_of_the_catalog(
    tutor: Tutor, catalog: FakeCatalogSource
) -> None:
    await admin(tutor, "admin upload", {"file": Upload("extra.yaml", LESSON.encode())})
    assert "is disabled" in await admin(tutor, "admin lessons", {"action": "disable", "lesson": "extra"})
    assert catalog.current().get("extra") is None
    assert "disabled" in await admin(tutor, "admin lessons", {})


async def test_removing_an_unknown_upload_is_explained(tutor: Tutor) -> None:
    assert "no uploaded lesson" in await admin(tutor, "admin lessons", {"action": "remove", "lesson": "nope"})


async def test_refresh_uploads_serves_what_another_process_stored(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox
) -> None:
    first, second = (
        Tutor(store, catalog, sandbox),
        Tutor(store, FakeCatalogSource(catalog.base.lessons), sandbox),
    )
    await admin(first, "admin upload", {"file": Upload("extra.yaml", LESSON.encode())})
    await second.refresh_uploads()
    assert second.services.catalog.current().get("extra") is not None


async def test_lesson_choices_show_progress_and_filter(tutor: Tutor, say: Say) -> None:
    await say("/lesson tensor-basics")
    choices = await tutor.lesson_choices(PlatformUser("console", "ada", "Ada"), "")
    assert [c.label for c in choices] == [
        "Tensors · 0/6 · tensor-basics",
        "Autograd · not started · autograd-basics",
    ]


async def test_channels_are_referred_to_neutrally_for_the_front_end_to_show(tutor: Tutor) -> None:
    added = await admin(tutor, "admin channels", {"action": "add"})

    assert "Code may now run in <channel:c1>." in added
    assert "<#" not in added


def test_a_front_end_shows_channel_references_its_own_way() -> None:
    from bot.core.replies import channel_ref, show_channels

    assert show_channels(f"in {channel_ref('42')} only", lambda channel: f"#{channel}") == "in #42 only"


async def test_stats_show_ratings_where_learners_stop_and_miss_rates(tutor: Tutor, say: Say) -> None:
    cy = PlatformUser("discord", "43", "Cy")
    for user in (BO, cy):
        await say("/lesson tensor-basics", user=user, server=HERE)
        await say("/next", user=user, server=HERE)
        await say("/next", user=user, server=HERE)
    await say("/answer 1", user=BO, server=HERE)
    await say("/answer 2", user=BO, server=HERE)
    await say("/answer 2", user=cy, server=HERE)
    await say("/rate tensor-basics 4", user=BO, server=HERE)
    await say("/rate tensor-basics 3", user=cy, server=HERE)

    stats = await admin(tutor, "admin stats", {})

    assert "**Tensors**: ★ 3.5/5 (7.0/10), 2 ratings" in stats
    assert "**Tensors**, step 3/6: 2 learners" in stats
    assert "missed 33% (1 of 3 answers)" in stats
