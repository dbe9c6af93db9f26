"""What one bot pod of a Kubernetes StatefulSet serves: its Discord shards, and Telegram or not.

A StatefulSet names its pods ``<name>-0``, ``<name>-1``, ... ``deploy/kubernetes`` gives each bot pod its
own name (``TUTOR_POD_NAME``, from the downward API) and the StatefulSet's replica count
(``TUTOR_POD_REPLICAS``, which the overlays keep equal to ``spec.replicas``). From these, ``tutor serve``
derives what would otherwise be set by hand for each process (README "Deploy"):

- Discord: of ``count`` shards (``TUTOR_DISCORD__SHARD_COUNT``, default one shard per pod), pod ``i`` of
  ``n`` runs the contiguous range ``i * count // n`` up to ``(i + 1) * count // n``, so together the pods
  run every shard exactly once. A single pod with no shard count is left alone: Discord's recommendation
  decides, as outside Kubernetes.
- Telegram: only pod 0 keeps ``TUTOR_TELEGRAM__TOKEN``; long polling allows one consumer per token.

Without ``TUTOR_POD_NAME`` nothing changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import Settings

POD_NAME_ENV = "TUTOR_POD_NAME"
POD_REPLICAS_ENV = "TUTOR_POD_REPLICAS"
ENV_NAMES = (POD_NAME_ENV, POD_REPLICAS_ENV)
TELEGRAM_POD = 0

_ORDINAL = re.compile(r"-(0|[1-9][0-9]*)$")


class ShardingError(ValueError):
    """The pod's name, replica count and shard settings do not add up; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class PodRole:
    """What one pod serves; ``shard_count`` None leaves Discord's sharding to its recommendation."""

    pod_name: str
    ordinal: int
    replicas: int
    shard_count: int | None
    shard_ids: tuple[int, ...]

    @property
    def runs_telegram(self) -> bool:
        """Return whether this pod runs the Telegram front end."""
        return self.ordinal == TELEGRAM_POD

    def apply(self, settings: Settings) -> Settings:
        """Return ``settings`` with this pod's shards, and without Telegram unless this pod runs it."""
        discord = settings.discord.model_copy(
            update={"shard_count": self.shard_count, "shard_ids": list(self.shard_ids)}
        )
        telegram = settings.telegram
        if not self.runs_telegram:
            telegram = telegram.model_copy(update={"token": None})
        return settings.model_copy(update={"discord": discord, "telegram": telegram})

    def describe(self) -> str:
        """Say in one line what this pod serves."""
        if self.shard_count is None:
            shards = "Discord: the shards Discord recommends"
        else:
            shards = f"Discord shards {','.join(map(str, self.shard_ids))} of {self.shard_count}"
        telegram = "Telegram" if self.runs_telegram else f"no Telegram (pod {TELEGRAM_POD} runs it)"
        return f"pod {self.pod_name} ({self.ordinal + 1} of {self.replicas}): {shards}; {telegram}"


def pod_ordinal(pod_name: str) -> int:
    """Return the ordinal at the end of a StatefulSet pod's name (``tutor-bot-2`` → 2)."""
    match = _ORDINAL.search(pod_name)
    if match is None:
        raise ShardingError(
            f"{POD_NAME_ENV}={pod_name!r} does not end in '-<ordinal>' as a StatefulSet pod's name does; "
            "set it from the downward API (fieldRef: metadata.name)"
        )
    return int(match[1])


def shard_range(ordinal: int, replicas: int, shard_count: int) -> tuple[int, ...]:
    """Return the contiguous shards that pod ``ordinal`` of ``replicas`` runs, out of ``shard_count``."""
    return tuple(range(ordinal * shard_count // replicas, (ordinal + 1) * shard_count // replicas))


def pod_role(pod_name: str, replicas: int, shard_count: int | None) -> PodRole:
    """Return what the pod called ``pod_name`` serves in a StatefulSet of ``replicas`` pods."""
    if replicas < 1:
        raise ShardingError(f"{POD_REPLICAS_ENV}={replicas} must be at least 1")
    ordinal = pod_ordinal(pod_name)
    if ordinal >= replicas:
        raise ShardingError(
            f"pod {pod_name} has ordinal {ordinal}, but {POD_REPLICAS_ENV}={replicas}: set it to the "
            "StatefulSet's replica count (scale through the overlay, not `kubectl scale`)"
        )
    if shard_count is None and replicas == 1:
        return PodRole(pod_name, ordinal, replicas, None, ())
    count = replicas if shard_count is None else shard_count
    if count < replicas:
        raise ShardingError(
            f"TUTOR_DISCORD__SHARD_COUNT={count} leaves some of the {replicas} pods without a shard: "
            "use at least as many shards as pods"
        )
    return PodRole(pod_name, ordinal, replicas, count, shard_range(ordinal, replicas, count))


def pod_role_from_env(environ: Mapping[str, str], settings: Settings) -> PodRole | None:
    """Return this pod's role from ``TUTOR_POD_NAME`` and ``TUTOR_POD_REPLICAS``, or None outside a pod."""
    pod_name = environ.get(POD_NAME_ENV, "").strip()
    if not pod_name:
        return None
    raw_replicas = environ.get(POD_REPLICAS_ENV, "").strip()
    try:
        replicas = int(raw_replicas)
    except ValueError:
        raise ShardingError(
            f"{POD_REPLICAS_ENV}={raw_replicas!r} is not a number: with {POD_NAME_ENV} set, it must be "
            "the StatefulSet's replica count"
        ) from None
    if settings.discord.shard_ids:
        raise ShardingError(
            f"TUTOR_DISCORD__SHARD_IDS is set, but with {POD_NAME_ENV} each pod derives its own shards: "
            "remove it (set TUTOR_DISCORD__SHARD_COUNT only)"
        )
    role = pod_role(pod_name, replicas, settings.discord.shard_count)
    if not role.runs_telegram and settings.discord.token is None:
        raise ShardingError(
            f"pod {pod_name} has nothing to serve: Telegram runs on pod {TELEGRAM_POD} only and "
            "TUTOR_DISCORD__TOKEN is not set; run one replica for Telegram alone"
        )
    return role
