"""The dashboard's aiohttp application: signing in and out, and the pages of a scope.

Every page lives under ``/s/{scope}/`` (``all``, or ``platform:server_id``). A request is answered only
for a signed-in session whose scope covers the one in its address; any other scope is "not found", so
changing an id in an address shows nothing of another server. Every POST must carry the session's CSRF
token. Responses forbid framing, scripts and referrers, and say how long the server took
(``Server-Timing``), which the benchmark reads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from jinja2 import Environment

from bot.core.i18n import translate
from bot.core.logins import token_hash, token_valid
from bot.core.ports.dashboard import Scope
from bot.dashboard import pages
from bot.dashboard.access import (
    CSRF_FIELD,
    LoginGate,
    SigningKey,
    Viewer,
    clear_cookie,
    form_token,
    new_session,
    same_token,
    set_cookie,
    viewer_of,
)
from bot.dashboard.deps import Dashboard
from bot.dashboard.page import Page, environment, render
from bot.dashboard.pages.preview import CHECKS, CheckGate
from bot.languages import FALLBACK, NAMES, normalize_locale

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_FORM_BYTES = 512 * 1024  # a pasted or uploaded lesson (256 KiB at most) and the form around it
PageHandler = Callable[[Page], Awaitable[web.StreamResponse]]
_DEPS = web.AppKey("deps", Dashboard)
_ENV = web.AppKey("env", Environment)
_KEY = web.AppKey("key", SigningKey)
_GATE = web.AppKey("gate", LoginGate)
_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


def build_dashboard(deps: Dashboard) -> web.Application:
    """Build the dashboard's application over the tutor's store, lessons and sandbox."""
    app = web.Application(middlewares=[_headers], client_max_size=MAX_FORM_BYTES)
    app[_DEPS] = deps
    app[_ENV] = environment()
    app[_KEY] = SigningKey()
    app[_GATE] = LoginGate(deps.config.logins_per_minute)
    app[CHECKS] = CheckGate()
    app.add_routes(
        [
            web.get("/", _home),
            web.get("/login/{token}", _login_form),
            web.post("/login/{token}", _login),
            web.post("/logout", _logout),
            web.post("/language", _language),
            web.get("/static/dashboard.css", _stylesheet),
            web.get("/s/{scope}", _to_overview),
            *(
                getattr(web, method)(f"/s/{{scope}}/{path}", _scoped(handler))
                for method, path, handler in pages.ROUTES
            ),
        ]
    )
    return app


@web.middleware
async def _headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    started = time.perf_counter()
    try:
        response = await handler(request)
    except web.HTTPException as error:
        _protect(error, started)
        raise
    _protect(response, started)
    return response


def _protect(response: web.StreamResponse, started: float) -> None:
    """Forbid framing, scripts, referrers and caching; say how long the server took."""
    response.headers.setdefault("Content-Security-Policy", _POLICY)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"


def _scoped(handler: PageHandler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Answer a page only for a session that may see the scope in its address, and a POST only with CSRF."""

    async def answer(request: web.Request) -> web.StreamResponse:
        deps, env = request.app[_DEPS], request.app[_ENV]
        now = deps.clock()
        viewer = await _viewer(request)
        if viewer is None:
            return _plain(env, request, "signed_out.html", 401, "dashboard.sign_in_first")
        scope = Scope.parse(request.match_info["scope"])
        if scope is None or not viewer.may_see(scope):
            return _plain(
                env, request, "message.html", 404, "dashboard.not_found", locale=viewer.grant.locale
            )
        if request.method == "POST" and not await _csrf_ok(request, viewer):
            return _plain(env, request, "message.html", 403, "dashboard.csrf", locale=viewer.grant.locale)
        return await handler(Page(request, deps, env, viewer, scope, now))

    return answer


async def _viewer(request: web.Request) -> Viewer | None:
    deps = request.app[_DEPS]
    key = await request.app[_KEY].get(deps)
    return await viewer_of(request, deps, key, deps.clock())


async def _csrf_ok(request: web.Request, viewer: Viewer) -> bool:
    form = await request.post()
    return same_token(form.get(CSRF_FIELD), viewer.csrf)


def _browser_locale(request: web.Request, deps: Dashboard) -> str:
    """Return the language a visitor with no session reads: the first of theirs the dashboard speaks."""
    for part in request.headers.get("Accept-Language", "").split(","):
        found = normalize_locale(part.split(";")[0].strip())
        if found in deps.config.languages:
            return found
    return FALLBACK if FALLBACK in deps.config.languages else deps.config.languages[0]


def _plain(
    env: Environment, request: web.Request, template: str, status: int, key: str, *, locale: str | None = None
) -> web.Response:
    """Render a page outside any scope: a message and a way forward."""
    chosen = locale or _browser_locale(request, request.app[_DEPS])
    context = {
        "t": lambda k, **p: translate(chosen, k, **p),
        "message": translate(chosen, key),
        "locale": chosen,
        "languages": [(code, NAMES.get(code, code)) for code in request.app[_DEPS].config.languages],
    }
    return render(env, template, context, status, chosen)


async def _home(request: web.Request) -> web.StreamResponse:
    viewer = await _viewer(request)
    if viewer is None:
        return _plain(request.app[_ENV], request, "signed_out.html", 200, "dashboard.sign_in_first")
    raise web.HTTPSeeOther(f"/s/{viewer.grant.scope.key}/")


async def _to_overview(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther(f"/s/{request.match_info['scope']}/")


def _limited(request: web.Request) -> web.Response | None:
    deps = request.app[_DEPS]
    wait = request.app[_GATE].wait(request.remote or "?", deps.clock())
    if wait is None:
        return None
    response = _plain(request.app[_ENV], request, "message.html", 429, "dashboard.login_rate")
    response.headers["Retry-After"] = str(wait)
    return response


async def _login_form(request: web.Request) -> web.StreamResponse:
    """Show who the link signs in and where; only the button's POST uses the link up.

    Chat apps fetch links to preview them: a GET must never spend a one-time link.
    """
    limited = _limited(request)
    if limited is not None:
        return limited
    deps, env = request.app[_DEPS], request.app[_ENV]
    token = request.match_info["token"]
    key = await request.app[_KEY].get(deps)
    now = deps.clock()
    if not token_valid(key, token, now):
        return _plain(env, request, "message.html", 410, "dashboard.link_invalid")
    async with deps.store.session() as session:
        login = await session.dashboard.login(token_hash(token))
    if login is None or login.used_at is not None or login.expires_at <= now:
        return _plain(env, request, "message.html", 410, "dashboard.link_invalid")
    locale = login.grant.locale
    context = {
        "t": lambda k, **p: translate(locale, k, **p),
        "locale": locale,
        "admin_name": login.grant.admin_name,
        "scope": (
            translate(locale, "dashboard.scope.everyone")
            if login.grant.scope.everyone
            else translate(
                locale,
                "dashboard.scope.server",
                platform=str(login.grant.scope.platform).title(),
                server=login.grant.scope.server_id,
            )
        ),
        "csrf_field": CSRF_FIELD,
        "csrf": form_token(key, "login", token_hash(token)),
        "languages": [],
    }
    return render(env, "login.html", context, 200, locale)


async def _login(request: web.Request) -> web.StreamResponse:
    """Spend the link: open a session, set its cookie, and go to the scope's overview."""
    limited = _limited(request)
    if limited is not None:
        return limited
    deps, env = request.app[_DEPS], request.app[_ENV]
    token = request.match_info["token"]
    key = await request.app[_KEY].get(deps)
    form = await request.post()
    hashed = token_hash(token)
    if not same_token(form.get(CSRF_FIELD), form_token(key, "login", hashed)):
        return _plain(env, request, "message.html", 403, "dashboard.csrf")
    now = deps.clock()
    if not token_valid(key, token, now):
        return _plain(env, request, "message.html", 410, "dashboard.link_invalid")
    async with deps.store.session() as session:
        login = await session.dashboard.redeem_login(hashed, now)
    if login is None:
        return _plain(env, request, "message.html", 410, "dashboard.link_invalid")
    cookie, _ = await new_session(deps, login.grant, now)
    log.info("dashboard session opened for %s (%s)", login.grant.admin, login.grant.scope.key)
    response = web.Response(status=303, headers={"Location": f"/s/{login.grant.scope.key}/"})
    set_cookie(response, request, deps, cookie)
    return response


async def _logout(request: web.Request) -> web.StreamResponse:
    deps, env = request.app[_DEPS], request.app[_ENV]
    viewer = await _viewer(request)
    if viewer is None:
        return _plain(env, request, "signed_out.html", 401, "dashboard.sign_in_first")
    if not await _csrf_ok(request, viewer):
        return _plain(env, request, "message.html", 403, "dashboard.csrf", locale=viewer.grant.locale)
    async with deps.store.session() as session:
        await session.dashboard.close_session(viewer.session_hash)
    response = _plain(
        env, request, "signed_out.html", 200, "dashboard.signed_out", locale=viewer.grant.locale
    )
    clear_cookie(response, request, deps)
    return response


async def _language(request: web.Request) -> web.StreamResponse:
    deps, env = request.app[_DEPS], request.app[_ENV]
    viewer = await _viewer(request)
    if viewer is None:
        return _plain(env, request, "signed_out.html", 401, "dashboard.sign_in_first")
    form = await request.post()
    if not same_token(form.get(CSRF_FIELD), viewer.csrf):
        return _plain(env, request, "message.html", 403, "dashboard.csrf", locale=viewer.grant.locale)
    locale = form.get("locale")
    if isinstance(locale, str) and locale in deps.config.languages:
        async with deps.store.session() as session:
            await session.dashboard.set_session_locale(viewer.session_hash, locale)
    back = form.get("next")
    # Only back to a page of this dashboard: never an address someone else chose.
    target = back if isinstance(back, str) and back.startswith("/s/") and "//" not in back else "/"
    raise web.HTTPSeeOther(target)


async def _stylesheet(request: web.Request) -> web.StreamResponse:
    response = web.FileResponse(STATIC / "dashboard.css")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
