"""Signing in with a one-time link, sessions, scopes in addresses, CSRF and the redemption rate limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from bot.curriculum.source import LessonLibrary
from bot.dashboard.access import COOKIE
from bot.dashboard.app import build_dashboard
from bot.dashboard.deps import Dashboard, DashboardConfig
from bot.dashboard.pages import ROUTES
from tests.dashboard.conftest import CSRF, G1, G2, LESSON_ADMIN, SERVER_ADMIN, Site


def concrete(path: str, site: Site, learner: str = "Cy") -> str:
    """Fill a route's placeholders with real ids (of server 222's learner, by default)."""
    return (
        path.replace("{lesson}", "e2e-basics")
        .replace("{learner}", str(site.learners.get(learner, 1)))
        .replace("{review}", "1")
    )


async def test_a_login_link_works_once(site: Site) -> None:
    path = await site.link(SERVER_ADMIN)
    form = await (await site.client.get(path)).text()
    assert "Sign in as Grace" in form

    first = await site.client.post(path, data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)
    assert first.status == 303 and first.headers["Location"] == "/s/discord:111/"

    again = await site.client.get(path)
    assert again.status == 410 and "already been used" in await again.text()
    replay = await site.client.post(path, data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)
    assert replay.status == 410


async def test_opening_a_link_does_not_spend_it(site: Site) -> None:
    """Chat apps fetch links to preview them: only the button's POST signs in."""
    path = await site.link(SERVER_ADMIN)
    for _ in range(3):
        assert (await site.client.get(path)).status == 200

    await site.sign_in(SERVER_ADMIN)  # a fresh link; the first one is still good too
    form = await (await site.client.get(path)).text()
    assert (
        await site.client.post(path, data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)
    ).status == 303


async def test_an_expired_link_is_refused(site: Site) -> None:
    path = await site.link(SERVER_ADMIN, minutes=10)
    form = await (await site.client.get(path)).text()
    site.clock.advance(10 * 60 + 1)

    assert (await site.client.get(path)).status == 410
    refused = await site.client.post(path, data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)
    assert refused.status == 410
    assert COOKIE not in refused.cookies


@pytest.mark.parametrize("mangle", [lambda p: p[:-1] + ("0" if p[-1] != "0" else "1"), lambda p: p + "x"])
async def test_a_mangled_link_is_refused(site: Site, mangle: object) -> None:
    path = mangle(await site.link(SERVER_ADMIN))  # type: ignore[operator]

    assert (await site.client.get(path)).status == 410


async def test_the_session_cookie_is_httponly_strict_and_lasts_12_hours(site: Site) -> None:
    path = await site.link(SERVER_ADMIN)
    form = await (await site.client.get(path)).text()
    answer = await site.client.post(path, data={"csrf": CSRF.findall(form)[0]}, allow_redirects=False)

    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=43200" in cookie
    assert "Secure" not in cookie  # plain http on loopback: a Secure cookie would never come back


async def test_the_cookie_is_secure_behind_tls(site: Site) -> None:
    path = await site.link(SERVER_ADMIN)
    form = await (await site.client.get(path)).text()
    answer = await site.client.post(
        path,
        data={"csrf": CSRF.findall(form)[0]},
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
    )

    assert "Secure" in answer.headers["Set-Cookie"]


async def test_the_session_ends_after_12_hours(site: Site) -> None:
    await site.sign_in(SERVER_ADMIN)
    site.clock.advance(12 * 3600)

    assert (await site.client.get("/s/discord:111/")).status == 401


async def test_logout_ends_the_session(site: Site) -> None:
    csrf = await site.sign_in(SERVER_ADMIN)
    cookie = site.client.session.cookie_jar.filter_cookies(site.client.make_url("/"))[COOKIE].value

    answer = await site.client.post("/logout", data={"csrf": csrf})
    assert answer.status == 200 and "signed out" in await answer.text()

    async with ClientSession(cookies={COOKIE: cookie}) as stolen:
        assert (await stolen.get(site.url + "/s/discord:111/")).status == 401


async def test_pages_need_a_session(site: Site) -> None:
    answer = await site.client.get("/s/all/")

    assert answer.status == 401 and "/admin dashboard" in await answer.text()


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES], ids=str)
async def test_a_server_admin_sees_nothing_of_another_server(site: Site, method: str, path: str) -> None:
    await site.seed()
    csrf = await site.sign_in(SERVER_ADMIN)
    for scope in ("discord:222", "all", "telegram:111", "discord", "discord:", "x:y:z"):
        address = f"/s/{scope}/{concrete(path, site)}"
        answer = await site.client.request(method.upper(), address, data={"csrf": csrf, "action": "hide"})
        body = await answer.text()
        assert answer.status == 404, (address, answer.status)
        assert "Cy" not in body and "secret" not in body


@pytest.mark.parametrize("path", ["learners/{learner}"])
async def test_a_learner_of_another_server_is_not_found_in_ones_own_scope(site: Site, path: str) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    outside = await site.client.get(f"/s/discord:111/{concrete(path, site, 'Cy')}")
    inside = await site.client.get(f"/s/discord:111/{concrete(path, site, 'Ada')}")

    assert outside.status == 404 and "Cy" not in await outside.text()
    assert inside.status == 200 and "Ada" in await inside.text()


async def test_a_lesson_admin_may_look_at_any_server(site: Site) -> None:
    await site.seed()
    await site.sign_in(LESSON_ADMIN)

    answer = await site.client.get("/s/discord:222/learners")

    assert answer.status == 200 and "Cy" in (text := await answer.text()) and "Ada" not in text


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in ROUTES if m == "post"], ids=str)
async def test_a_post_without_the_csrf_token_is_refused(site: Site, method: str, path: str) -> None:
    await site.seed()
    csrf = await site.sign_in(LESSON_ADMIN)
    address = f"/s/all/{concrete(path, site)}"

    for data in ({}, {"csrf": "0" * 40}, {"csrf": csrf[:-1]}):
        answer = await site.client.post(address, data={**data, "action": "hide", "source": "id: x"})
        assert answer.status == 403, data
    async with site.store.session() as session:
        assert not any(r.hidden for r in (await session.insights.reviews(G2, 0, 10)).reviews)


@pytest.mark.parametrize("path", ["/logout", "/language"])
async def test_signing_out_and_changing_language_need_the_csrf_token(site: Site, path: str) -> None:
    await site.sign_in(SERVER_ADMIN)

    assert (await site.client.post(path, data={"locale": "zh"})).status == 403
    assert (await site.client.get("/s/discord:111/")).status == 200  # still signed in, still English
    assert "Overview" in await (await site.client.get("/s/discord:111/")).text()


async def test_the_login_form_needs_its_own_token(site: Site) -> None:
    path = await site.link(SERVER_ADMIN)

    refused = await site.client.post(path, data={}, allow_redirects=False)

    assert refused.status == 403
    assert (await site.client.get(path)).status == 200  # the link was not spent


async def test_redeeming_links_is_rate_limited_per_address(site: Site, lessons_dir: Path) -> None:
    limited = Dashboard(
        site.store, LessonLibrary([lessons_dir]), None, DashboardConfig(logins_per_minute=3), site.clock
    )
    async with TestClient(TestServer(build_dashboard(limited))) as client:
        statuses = [(await client.get("/login/" + "0" * 32 + ".1.x")).status for _ in range(4)]
        path = await site.link(SERVER_ADMIN)
        blocked = await client.get(path)
        assert statuses == [410, 410, 410, 429]
        assert blocked.status == 429 and int(blocked.headers["Retry-After"]) > 0
        site.clock.advance(61)
        assert (await client.get(path)).status == 200


async def test_the_language_switch_changes_the_sessions_pages(site: Site) -> None:
    csrf = await site.sign_in(SERVER_ADMIN)

    answer = await site.client.post(
        "/language",
        data={"csrf": csrf, "locale": "zh", "next": "/s/discord:111/learners"},
        allow_redirects=False,
    )

    assert answer.headers["Location"] == "/s/discord:111/learners"
    assert "学习者" in await (await site.client.get("/s/discord:111/learners")).text()


async def test_the_language_switch_goes_back_only_to_the_dashboard(site: Site) -> None:
    csrf = await site.sign_in(SERVER_ADMIN)

    for target in ("https://evil.example/", "//evil.example/s/", "/s//evil.example"):
        answer = await site.client.post(
            "/language", data={"csrf": csrf, "locale": "en", "next": target}, allow_redirects=False
        )
        assert answer.headers["Location"] == "/"


async def test_responses_forbid_scripts_framing_and_referrers(site: Site) -> None:
    await site.sign_in(SERVER_ADMIN)
    answer = await site.client.get("/s/discord:111/")

    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"app;dur=[0-9.]+", answer.headers["Server-Timing"])


async def test_the_login_page_of_a_link_in_zh_speaks_zh(site: Site) -> None:
    from dataclasses import replace

    path = await site.link(replace(SERVER_ADMIN, locale="zh"))

    assert "登录" in await (await site.client.get(path)).text()


def test_scopes_in_the_seed_differ() -> None:
    assert G1 != G2
