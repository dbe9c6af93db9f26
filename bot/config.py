"""One settings object for every process, read from ``TUTOR_*`` environment variables (and ``.env``).

Plain top-level keys hold what every process needs (``TUTOR_DATABASE_URL``, ``TUTOR_LESSONS_DIRS``,
``TUTOR_LOG_FORMAT``); each part has a nested group reached with ``__`` (``TUTOR_SANDBOX__TIME_LIMIT``,
``TUTOR_DISCORD__TOKEN``). Built once in the entry point and passed down; nothing reads it at import.

This module imports nothing of the bot, so every part may import it. What needs the bot's own knowledge is
checked where it is used: the languages must be ones the tutor speaks, and empty ones mean every one of
them (``bot.languages.configured``); an empty ``lessons_dirs`` means the lessons shipped with the tutor,
and ``extra_lessons_dirs`` are served besides them (``bot.resources.lesson_dirs``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///tutor.db"


def _split_list(value: object) -> object:
    """Accept a list, or a string of items separated by commas."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _split_paths(value: object) -> object:
    """Accept a list, or a string of paths separated by commas or the OS path separator."""
    if isinstance(value, str):
        return _split_list(value.replace(os.pathsep, ","))
    return value


class SandboxSettings(BaseModel):
    """Where learners' code runs and within which limits."""

    url: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="sandbox service URL(s); empty means the embedded local warm pool",
    )
    time_limit: float = Field(default=5.0, gt=0, le=60, description="wall-clock seconds per run")
    cpu_limit: int = Field(default=10, gt=0, le=120, description="CPU seconds per run")
    memory_mib: int = Field(default=512, gt=0, description="address-space budget per run, MiB")
    output_bytes: int = Field(default=64 * 1024, gt=0, description="captured output per run, bytes")
    concurrency: int | None = Field(default=None, gt=0, description="parallel runs; default: the core count")
    queue_size: int = Field(default=32, ge=0, description="runs waiting beyond the concurrency")
    insecure_dev: bool = Field(default=False, description="run without the syscall filter (development only)")
    token: SecretStr | None = Field(
        default=None, description="shared secret of the sandbox service (its TUTOR_SANDBOX__TOKEN)"
    )

    _split_url = field_validator("url", mode="before")(classmethod(lambda cls, v: _split_list(v)))


class NotebookSettings(BaseModel):
    """How much of a learner's notebook (the cells their free runs keep) is replayed before each run."""

    max_cells: int = Field(default=20, gt=0, le=20, description="cells kept; the sandbox replays at most 20")
    replay_budget: float = Field(
        default=2.0,
        gt=0,
        description="CPU seconds the kept cells took together; keep within the sandbox's replay_s (2 s)",
    )
    idle_minutes: float = Field(default=60, gt=0, description="a notebook unused this long starts over")


class RateLimitSettings(BaseModel):
    """Per-learner limits on commands, stricter for code runs."""

    commands_per_minute: int = Field(default=30, gt=0)
    runs_per_minute: int = Field(default=8, gt=0)


class DiscordSettings(BaseModel):
    """The Discord front end."""

    token: SecretStr | None = None
    shard_count: int | None = Field(default=None, gt=0)
    shard_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    lesson_admins: Annotated[list[int], NoDecode] = Field(default_factory=list)
    drain_timeout: float | None = Field(
        default=None,
        gt=0,
        description="seconds a stop waits for interactions in flight; default: the sandbox time limit + 10",
    )

    _split = field_validator("shard_ids", "lesson_admins", mode="before")(
        classmethod(lambda cls, v: _split_list(v))
    )


class TelegramSettings(BaseModel):
    """The Telegram front end."""

    token: SecretStr | None = None
    base_url: str | None = Field(default=None, description="Bot API base URL (tests point it at a fake)")


class MetricsSettings(BaseModel):
    """The observability endpoint of ``tutor serve``: ``/metrics``, ``/healthz`` and ``/readyz``."""

    host: str = Field(default="127.0.0.1", description="address to listen on (0.0.0.0 inside a container)")
    port: int | None = Field(default=9108, ge=0, le=65535, description="TCP port; 0 (or None) disables it")

    @property
    def enabled(self) -> bool:
        """Return whether the endpoint is served."""
        return bool(self.port)


class DashboardSettings(BaseModel):
    """The web dashboard for course admins, served by ``tutor serve`` and ``tutor dashboard``."""

    host: str = Field(default="127.0.0.1", description="address to listen on (0.0.0.0 inside a container)")
    port: int | None = Field(default=8070, ge=0, le=65535, description="TCP port; 0 (or None) disables it")
    public_url: str | None = Field(
        default=None,
        description="the address admins open (behind a TLS proxy, its https:// URL); default http://host:port",
    )
    link_minutes: float = Field(default=10, gt=0, le=60, description="how long a login link from chat works")
    session_hours: float = Field(default=12, gt=0, le=24, description="how long a dashboard session lasts")
    logins_per_minute: int = Field(
        default=10, gt=0, description="login link redemptions per minute from one address"
    )

    @property
    def enabled(self) -> bool:
        """Return whether the dashboard is served."""
        return bool(self.port)

    @property
    def base_url(self) -> str:
        """Return the address links point to, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class Settings(BaseSettings):
    """Everything a Torch Tutor process is configured with."""

    model_config = SettingsConfigDict(
        env_prefix="TUTOR_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
    )

    database_url: SecretStr = Field(default=SecretStr(DEFAULT_DATABASE_URL))
    lessons_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="lesson folders; empty means the lessons shipped with the tutor"
    )
    extra_lessons_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="lesson folders served besides those of lessons_dirs (by default the shipped lessons)",
    )
    languages: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="content languages every lesson must carry; empty means every language the tutor speaks",
    )
    default_locale: str | None = Field(
        default=None, description="reply language when nothing else decides; empty means English"
    )
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="platform:user_id pairs allowed to run admin commands"
    )
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)
    notebook: NotebookSettings = Field(default_factory=NotebookSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    dashboard: DashboardSettings = Field(default_factory=DashboardSettings)

    _split = field_validator("languages", "admins", mode="before")(classmethod(lambda cls, v: _split_list(v)))
    _split_dirs = field_validator("lessons_dirs", "extra_lessons_dirs", mode="before")(
        classmethod(lambda cls, v: _split_paths(v))
    )
