"""One page being answered: who looks, at which scope, in which language; and how it is rendered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.core.i18n import pick, translate
from bot.core.ports.dashboard import Scope
from bot.dashboard.access import CSRF_FIELD, Viewer
from bot.dashboard.deps import Dashboard
from bot.languages import NAMES

TEMPLATES = Path(__file__).parent / "templates"
SECTIONS = ("overview", "lessons", "questions", "reviews", "learners", "preview", "exports")


def environment() -> Environment:
    """Return the Jinja2 environment of the dashboard's templates (autoescaped, strict)."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(
    env: Environment, template: str, context: Mapping[str, Any], status: int = 200, locale: str = "en"
) -> web.Response:
    """Render a template into an HTML response."""
    body = env.get_template(template).render(**context)
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    response.headers["Content-Language"] = locale
    return response


@dataclass(frozen=True, slots=True)
class Page:
    """A signed-in request for a page of one scope."""

    request: web.Request
    deps: Dashboard
    env: Environment
    viewer: Viewer
    scope: Scope
    now: datetime

    @property
    def locale(self) -> str:
        """Return the language the page is shown in."""
        return self.viewer.grant.locale

    def t(self, key: str, **params: object) -> str:
        """Return an interface message in the page's language."""
        return translate(self.locale, key, **params)

    def pick(self, text: Mapping[Any, str] | None) -> str:
        """Return lesson text in the page's language."""
        return pick(text, self.locale)

    def url(self, *parts: str, **query: object) -> str:
        """Return the address of a page of this scope, its parts and query escaped."""
        path = "/".join(quote(part, safe="") for part in parts)
        found = f"/s/{quote(self.scope.key, safe=':')}/{path}"
        shown = {name: value for name, value in query.items() if value not in (None, "")}
        return f"{found}?{urlencode(shown)}" if shown else found

    def scope_label(self, scope: Scope | None = None) -> str:
        """Return how the page names a scope: everyone, or a platform's server."""
        chosen = scope or self.scope
        if chosen.everyone:
            return self.t("dashboard.scope.everyone")
        return self.t(
            "dashboard.scope.server", platform=str(chosen.platform).title(), server=chosen.server_id
        )

    def render(self, template: str, section: str, status: int = 200, **context: Any) -> web.Response:
        """Render a page of the dashboard with the frame every page shares."""
        frame = {
            "t": self.t,
            "url": self.url,
            "section": section,
            "sections": SECTIONS,
            "scope_label": self.scope_label(),
            "admin_name": self.viewer.grant.admin_name,
            "csrf_field": CSRF_FIELD,
            "csrf": self.viewer.csrf,
            "locale": self.locale,
            "languages": [(code, NAMES.get(code, code)) for code in self.deps.config.languages],
            "here": self.request.path_qs,
            "may_moderate": self.viewer.grant.moderate,
        }
        return render(self.env, template, {**frame, **context}, status, self.locale)
