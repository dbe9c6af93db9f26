"""Admin commands on Discord: uploads by lesson admins only, a server's stats."""

from __future__ import annotations

from tests.adapters.discord.conftest import World, text_of
from tests.fakes import FakeCatalogSource

VALID = """\
id: broadcasting
chapter: 2
title: {zh: 广播, en: Broadcasting}
requires: [tensor-basics]
steps:
  - text: {zh: "广播。", en: "Broadcasting."}
"""
BROKEN = VALID.replace("requires: [tensor-basics]", "requires: [tensor-basic]")


async def test_upload_of_a_broken_then_a_valid_lesson_file(world: World, catalog: FakeCatalogSource) -> None:
    broken = await world.admin.slash(
        world.channel, "admin upload", file=("broadcasting.yaml", BROKEN.encode())
    )
    text = text_of(broken)
    assert "Nothing was installed" in text
    assert "broadcasting.yaml:4:12: 'requires' names unknown lesson 'tensor-basic'" in text
    assert "did you mean 'tensor-basics'" in text
    assert catalog.current().get("broadcasting") is None
    valid = await world.admin.slash(world.channel, "admin upload", file=("broadcasting.yaml", VALID.encode()))
    assert "Installed **Broadcasting**" in text_of(valid)
    assert catalog.current().get("broadcasting") is not None
    listed = await world.admin.slash(world.channel, "admin lessons")
    assert "`broadcasting` · broadcasting.yaml" in text_of(listed)


async def test_upload_is_refused_to_a_server_manager_who_is_no_lesson_admin(
    world: World, lesson_admins: set[int], catalog: FakeCatalogSource
) -> None:
    lesson_admins.clear()
    refused = await world.admin.slash(
        world.channel, "admin upload", file=("broadcasting.yaml", VALID.encode())
    )
    assert "Only admins" in text_of(refused)
    assert catalog.current().get("broadcasting") is None


async def test_admin_group_is_hidden_from_members_without_manage_server(world: World) -> None:
    # default_permissions(manage_guild=True): Discord does not offer the group to them at all.
    assert "admin sandbox" not in world.learner.available_commands(world.channel)
    assert "admin sandbox" in world.admin.available_commands(world.channel)


async def test_admin_stats_shows_learners_per_lesson_and_missed_questions(world: World) -> None:
    await world.learner.slash(world.channel, "lesson", lesson="tensor-basics")
    for _ in range(2):
        await world.learner.slash(world.channel, "next")
    await world.learner.slash(world.channel, "answer", answer="1")
    stats = text_of(await world.admin.slash(world.channel, "admin stats"))
    assert "2 learners" in stats  # the learner and the admin who asked
    assert "**Tensors**: 1 started, 0 completed" in stats
    assert "What is x's shape?: missed 100% (1 of 1 answers)" in stats


async def test_admin_channels_names_the_channel_the_discord_way(world: World) -> None:
    added = text_of(await world.admin.slash(world.channel, "admin channels", action="add"))

    assert f"<#{world.channel.id}>" in added
    assert "<channel:" not in added


async def test_the_admin_group_offers_channels_and_dm(world: World) -> None:
    offered = world.admin.available_commands(world.channel)

    assert "admin channels" in offered and "admin dm" in offered
