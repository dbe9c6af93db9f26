"""What a command works with: the learner, their language, one store session and the tutor's services."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.core.course_cache import CourseCardCache
from bot.core.i18n import pick, translate
from bot.core.memory import NameMemory
from bot.core.observer import CommandObserver, NoObserver
from bot.core.ports import CatalogSource, Learner, PlatformUser, ServerSettings, StoreSession
from bot.core.registry import Registry
from bot.curriculum.catalog import Catalog
from bot.languages import FALLBACK, LANGUAGES
from sandbox.client import SandboxClient
from sandbox.result import MAX_CELLS, Graph

GraphRenderer = Callable[[Graph], bytes | None]
"""Renders an autograd graph to PNG bytes (None where it cannot); it may block, so it runs in a thread."""

DEFAULT_SOURCE_URL = "https://github.com/torch-tutor/torch-tutor"


@dataclass(frozen=True, slots=True)
class NotebookLimits:
    """How much of a learner's notebook is kept and replayed before each of their free runs."""

    max_cells: int = MAX_CELLS
    replay_budget_s: float = 2.0  # the kept cells' CPU time together, as each first ran
    idle: timedelta = timedelta(hours=1)  # a notebook unused this long starts over
    # The cells' code, JSON-escaped, stays within half the sandbox service's 512 KiB request body.
    max_code_bytes: int = 256 * 1024


@dataclass(frozen=True, slots=True)
class TutorSettings:
    """The few knobs the tutor core needs, taken from ``bot.config.Settings`` by the composition root."""

    commands_per_minute: int = 30
    runs_per_minute: int = 8
    admins: frozenset[str] = frozenset()  # "platform:user_id"
    default_locale: str = FALLBACK
    languages: tuple[str, ...] = LANGUAGES
    version: str = "dev"
    source_url: str = DEFAULT_SOURCE_URL
    run_claim_seconds: float = 90.0  # how long a learner's run claim lasts if its process never ends it
    dashboard_url: str | None = None  # where the web dashboard is served; None: not served by this tutor
    dashboard_link_seconds: float = 600.0  # how long a dashboard login link works
    notebook: NotebookLimits = field(default_factory=NotebookLimits)


@dataclass(frozen=True, slots=True)
class Services:
    """The tutor-wide objects every command may use."""

    catalog: CatalogSource
    sandbox: SandboxClient
    settings: TutorSettings
    registry: Registry
    clock: Callable[[], datetime]
    render_graph: GraphRenderer | None = None
    names: NameMemory = field(default_factory=NameMemory)
    observer: CommandObserver = field(default_factory=NoObserver)
    course_cards: CourseCardCache = field(default_factory=CourseCardCache)


@dataclass(slots=True)
class Effects:
    """What a command changed that its caller needs besides the replies; filled in while it runs."""

    locale: str | None = None  # a language the learner chose during the command
    ends_chat: bool = False  # the learner asked to leave (the console's /quit)


@dataclass(frozen=True, slots=True)
class Ctx:
    """One command's world; built per command and never shared between commands."""

    user: PlatformUser
    learner: Learner
    locale: str
    session: StoreSession
    services: Services
    catalog: Catalog  # the catalog in force when the command started, for a consistent view
    is_admin: bool = False
    server: ServerSettings | None = None
    channel_id: str | None = None  # where in ``server`` the command came from, if the platform has channels
    effects: Effects = field(default_factory=Effects)

    def t(self, key: str, **params: object) -> str:
        """Return the message ``key`` in the learner's language."""
        return translate(self.locale, key, **params)

    def pick(self, text: Mapping[Any, str] | None) -> str:
        """Return lesson text in the learner's language (else English, else any)."""
        return pick(text, self.locale)

    @property
    def commands(self) -> Registry:
        """Return the commands that exist on the learner's platform."""
        return self.services.registry.on(self.user.platform)

    def now(self) -> datetime:
        """Return the current time from the tutor's clock."""
        return self.services.clock()
