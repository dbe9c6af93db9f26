"""A StatefulSet bot pod derives its Discord shards and its Telegram role from its name and replica count."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.app import serve as serve_module
from bot.app.sharding import (
    POD_NAME_ENV,
    POD_REPLICAS_ENV,
    ShardingError,
    pod_ordinal,
    pod_role,
    pod_role_from_env,
    shard_range,
)
from bot.cli import serve as serve_cli
from bot.config import DiscordSettings, Settings, TelegramSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    for name in list(os.environ):
        if name.startswith("TUTOR_"):
            monkeypatch.delenv(name)


def _settings(
    *,
    discord: bool = True,
    telegram: bool = True,
    shard_count: int | None = None,
    shard_ids: Sequence[int] = (),
) -> Settings:
    return Settings(
        discord=DiscordSettings(
            token=SecretStr("discord-token") if discord else None,
            shard_count=shard_count,
            shard_ids=list(shard_ids),
        ),
        telegram=TelegramSettings(token=SecretStr("telegram-token") if telegram else None),
    )


def _env(pod_name: str, replicas: str) -> dict[str, str]:
    return {POD_NAME_ENV: pod_name, POD_REPLICAS_ENV: replicas}


@pytest.mark.parametrize(("name", "ordinal"), [("tutor-bot-0", 0), ("tutor-bot-7", 7), ("bot-12", 12)])
def test_ordinal_is_the_number_at_the_end_of_the_pod_name(name: str, ordinal: int) -> None:
    assert pod_ordinal(name) == ordinal


@pytest.mark.parametrize("name", ["tutor-bot", "tutor-bot-", "tutor-bot-x1", "tutor-bot-01", "tutor-bot-1a"])
def test_a_name_without_a_statefulset_ordinal_is_refused_with_the_fix(name: str) -> None:
    with pytest.raises(ShardingError, match=r"fieldRef: metadata\.name"):
        pod_ordinal(name)


@pytest.mark.parametrize(
    ("replicas", "count"), [(1, 1), (1, 4), (2, 2), (2, 4), (2, 5), (3, 8), (4, 4), (5, 16), (7, 64)]
)
def test_pods_together_run_every_shard_exactly_once_in_contiguous_ranges(replicas: int, count: int) -> None:
    ranges = [shard_range(ordinal, replicas, count) for ordinal in range(replicas)]
    assert [shard for shards in ranges for shard in shards] == list(range(count))
    assert all(shards == tuple(range(shards[0], shards[-1] + 1)) for shards in ranges)
    assert max(map(len, ranges)) - min(map(len, ranges)) <= 1


def test_three_pods_split_eight_shards_as_documented() -> None:
    assert [shard_range(i, 3, 8) for i in range(3)] == [(0, 1), (2, 3, 4), (5, 6, 7)]


def test_without_a_shard_count_each_pod_runs_one_shard() -> None:
    roles = [pod_role(f"tutor-bot-{i}", 3, None) for i in range(3)]
    assert [(role.shard_count, role.shard_ids) for role in roles] == [(3, (0,)), (3, (1,)), (3, (2,))]


def test_a_single_pod_without_a_shard_count_leaves_sharding_to_discord() -> None:
    role = pod_role("tutor-bot-0", 1, None)
    assert (role.shard_count, role.shard_ids) == (None, ())


def test_a_single_pod_with_a_shard_count_runs_them_all() -> None:
    assert pod_role("tutor-bot-0", 1, 4).shard_ids == (0, 1, 2, 3)


def test_a_pod_beyond_the_replica_count_is_refused() -> None:
    with pytest.raises(ShardingError, match=r"ordinal 3, but TUTOR_POD_REPLICAS=2"):
        pod_role("tutor-bot-3", 2, 4)


def test_fewer_shards_than_pods_is_refused() -> None:
    with pytest.raises(ShardingError, match="at least as many shards as pods"):
        pod_role("tutor-bot-0", 3, 2)


def test_only_pod_zero_runs_telegram() -> None:
    settings = _settings(shard_count=4)
    first = pod_role("tutor-bot-0", 2, 4).apply(settings)
    second = pod_role("tutor-bot-1", 2, 4).apply(settings)
    assert first.telegram.token is not None
    assert second.telegram.token is None


def test_apply_sets_the_shards_and_keeps_everything_else() -> None:
    settings = _settings(shard_count=4)
    applied = pod_role("tutor-bot-1", 2, 4).apply(settings)
    assert (applied.discord.shard_count, applied.discord.shard_ids) == (4, [2, 3])
    assert applied.discord.token == settings.discord.token
    assert applied.model_dump(exclude={"discord", "telegram"}) == settings.model_dump(
        exclude={"discord", "telegram"}
    )
    assert settings.discord.shard_ids == []  # the original is untouched


def test_no_pod_name_means_no_role() -> None:
    assert pod_role_from_env({POD_REPLICAS_ENV: "3"}, _settings()) is None


def test_role_comes_from_the_pod_name_and_replica_count_in_the_environment() -> None:
    role = pod_role_from_env(_env("tutor-bot-1", "2"), _settings(shard_count=6))
    assert role is not None
    assert (role.ordinal, role.replicas, role.shard_ids) == (1, 2, (3, 4, 5))


@pytest.mark.parametrize("replicas", ["", "two", "2.0"])
def test_a_missing_or_malformed_replica_count_is_refused(replicas: str) -> None:
    with pytest.raises(ShardingError, match=r"TUTOR_POD_REPLICAS=.* is not a number"):
        pod_role_from_env(_env("tutor-bot-0", replicas), _settings())


def test_a_zero_replica_count_is_refused() -> None:
    with pytest.raises(ShardingError, match="must be at least 1"):
        pod_role_from_env(_env("tutor-bot-0", "0"), _settings())


def test_hand_set_shard_ids_conflict_with_the_derived_ones() -> None:
    with pytest.raises(ShardingError, match="remove it"):
        pod_role_from_env(_env("tutor-bot-0", "2"), _settings(shard_count=4, shard_ids=[0, 1]))


def test_a_pod_other_than_zero_without_discord_has_nothing_to_serve() -> None:
    with pytest.raises(ShardingError, match="nothing to serve"):
        pod_role_from_env(_env("tutor-bot-1", "2"), _settings(discord=False))


def test_describe_names_the_shards_and_the_telegram_role() -> None:
    assert pod_role("tutor-bot-1", 2, 4).describe() == (
        "pod tutor-bot-1 (2 of 2): Discord shards 2,3 of 4; no Telegram (pod 0 runs it)"
    )


def test_tutor_serve_runs_with_the_pod_s_derived_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Settings, list[str]]] = []

    async def fake_serve(settings: Settings, platforms: list[str]) -> int:
        seen.append((settings, platforms))
        return 0

    monkeypatch.setattr(serve_module, "serve", fake_serve)
    for name, value in _env("tutor-bot-1", "2").items():
        monkeypatch.setenv(name, value)
    assert serve_cli.run(argparse.Namespace(), _settings(shard_count=4)) == 0
    ((settings, platforms),) = seen
    assert settings.discord.shard_ids == [2, 3]
    assert platforms == ["discord"]


def test_tutor_serve_stops_with_the_reason_when_the_pod_settings_do_not_add_up(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in _env("tutor-bot-2", "2").items():
        monkeypatch.setenv(name, value)
    assert serve_cli.run(argparse.Namespace(), _settings()) == 2
    assert "tutor: pod tutor-bot-2 has ordinal 2, but TUTOR_POD_REPLICAS=2" in capsys.readouterr().err
