"""What the dashboard is built from: its settings and the tutor's parts it reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core.ports import CatalogSource, Store
from bot.languages import LANGUAGES
from sandbox.client import SandboxClient


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DashboardConfig:
    """The dashboard's knobs, taken from ``bot.config.DashboardSettings`` by the composition root."""

    base_url: str = "http://127.0.0.1:8070"
    session_seconds: float = 12 * 3600
    logins_per_minute: int = 10
    languages: tuple[str, ...] = LANGUAGES
    page_size: int = 50

    @property
    def tls(self) -> bool:
        """Return whether admins reach the dashboard over TLS (its cookie is then ``Secure``)."""
        return self.base_url.startswith("https://")


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The parts the dashboard reads; ``sandbox`` None means the preview has no sandbox check."""

    store: Store
    catalog: CatalogSource
    sandbox: SandboxClient | None = None
    config: DashboardConfig = field(default_factory=DashboardConfig)
    clock: Callable[[], datetime] = utc_now
