"""Who is looking: session cookies, CSRF tokens, and the rate limit on redeeming login links.

The cookie holds 32 random bytes; the store keeps their SHA-256, so a copy of the database opens no
session. Every form carries a CSRF token, an HMAC of the session under the dashboard's signing key, and a
POST without the right one is refused (``SameSite=Strict`` already keeps other sites' requests cookieless;
the token is the second lock). A login form's token is bound to its link the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiohttp import web

from bot.core.ports.dashboard import DashboardGrant, DashboardSession, Scope
from bot.core.ratelimit import SlidingWindow
from bot.dashboard.deps import Dashboard

COOKIE = "tutor_dashboard"
CSRF_FIELD = "csrf"
_COOKIE_VALUE = re.compile(r"[0-9a-f]{64}")
_GLOBAL_FACTOR = 20  # behind a proxy every admin shares one address; this caps all of them together


@dataclass(frozen=True, slots=True)
class Viewer:
    """A signed-in browser: its session, what it may see, and its forms' CSRF token."""

    session_hash: str
    grant: DashboardGrant
    csrf: str
    expires_at: datetime

    def may_see(self, scope: Scope) -> bool:
        """Return whether the session may look at ``scope`` (everyone's sessions may look at any server)."""
        return self.grant.scope.everyone or self.grant.scope == scope


def digest(secret: str) -> str:
    """Return the SHA-256 of a secret, in hex: what the store keeps of cookies and tokens."""
    return hashlib.sha256(secret.encode()).hexdigest()


def form_token(key: bytes, purpose: str, subject: str) -> str:
    """Return the CSRF token of forms for ``purpose`` bound to ``subject`` (a session's or link's hash)."""
    return hmac.new(key, f"{purpose}:{subject}".encode(), hashlib.sha256).hexdigest()[:40]


def same_token(given: object, expected: str) -> bool:
    """Compare a posted token with the expected one in constant time."""
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


class SigningKey:
    """The dashboard's signing key, read from the store once per process (it never changes)."""

    def __init__(self) -> None:
        self._key: bytes | None = None

    async def get(self, deps: Dashboard) -> bytes:
        """Return the key, reading (or making) it on first use."""
        if self._key is None:
            async with deps.store.session() as session:
                self._key = await session.dashboard.signing_key()
        return self._key


class LoginGate:
    """Limits login link redemptions per client address, and in all."""

    def __init__(self, per_minute: int) -> None:
        self._per_address = SlidingWindow(per_minute, timedelta(minutes=1))
        self._everyone = SlidingWindow(per_minute * _GLOBAL_FACTOR, timedelta(minutes=1))

    def wait(self, address: str, now: datetime) -> int | None:
        """Count one attempt; return None, or the seconds to wait when over a limit."""
        return self._per_address.hit(address, now) or self._everyone.hit("*", now)


async def new_session(deps: Dashboard, grant: DashboardGrant, now: datetime) -> tuple[str, DashboardSession]:
    """Open a session for a redeemed link; return its cookie value and record."""
    cookie = secrets.token_hex(32)
    expires = now + timedelta(seconds=deps.config.session_seconds)
    record = DashboardSession(digest(cookie), grant, now, expires)
    async with deps.store.session() as session:
        await session.dashboard.open_session(record)
        await session.dashboard.purge(now)  # links and sessions past their time go as new ones come
    return cookie, record


async def viewer_of(request: web.Request, deps: Dashboard, key: bytes, now: datetime) -> Viewer | None:
    """Return the signed-in session of a request, if its cookie names one that is still open."""
    cookie = request.cookies.get(COOKIE, "")
    if not _COOKIE_VALUE.fullmatch(cookie):
        return None
    session_hash = digest(cookie)
    async with deps.store.session() as session:
        found = await session.dashboard.session(session_hash, now)
    if found is None:
        return None
    csrf = form_token(key, "session", session_hash)
    return Viewer(session_hash, found.grant, csrf, found.expires_at)


def set_cookie(response: web.StreamResponse, request: web.Request, deps: Dashboard, cookie: str) -> None:
    """Give the browser its session cookie: HttpOnly, SameSite=Strict, Secure behind TLS, 12 h by default."""
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(deps.config.session_seconds),
        path="/",
        httponly=True,
        samesite="Strict",
        secure=secure(request, deps),
    )


def clear_cookie(response: web.StreamResponse, request: web.Request, deps: Dashboard) -> None:
    """Make the browser forget its session cookie."""
    response.del_cookie(COOKIE, path="/", httponly=True, samesite="Strict", secure=secure(request, deps))


def secure(request: web.Request, deps: Dashboard) -> bool:
    """Return whether the browser reaches us over TLS (directly, or through a proxy that says so)."""
    return deps.config.tls or request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
