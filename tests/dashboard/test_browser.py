"""The dashboard in a real browser: Debian's headless Chromium, driven by Playwright.

Every page is screenshotted (desktop and phone widths) into ``$TUTOR_TEST_ARTIFACTS/dashboard-screenshots``,
by default under the system's temporary folder (``/tmp/torch-tutor-artifacts``), never into the repository;
each run replaces the last one's. (pytest's own temporary folders are pruned by any later run.)
Chromium runs as the machine's user (root in CI), so its own sandbox is off (``--no-sandbox``); the page
under test is ours.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from bot.dashboard.pages import ROUTES
from tests.dashboard.conftest import LESSON_ADMIN, SERVER_ADMIN, Site
from tests.dashboard.test_access import concrete
from tests.dashboard.test_pages import BROKEN

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)",
)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    root = os.environ.get("TUTOR_TEST_ARTIFACTS") or str(
        Path(tempfile.gettempdir()) / "torch-tutor-artifacts"
    )
    folder = Path(root) / "dashboard-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            await launched.close()


async def signed_in(
    browser: Browser, site: Site, grant: object, **options: object
) -> tuple[BrowserContext, Page]:
    """Open a browser context, follow a fresh login link and press Sign in, as an admin would."""
    context = await browser.new_context(viewport=DESKTOP, **options)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(site.url + await site.link(grant))  # type: ignore[arg-type]
    await page.click("#sign-in")
    await page.wait_for_load_state()
    return context, page


async def test_a_login_link_signs_in_once_and_then_never_again(
    browser: Browser, site: Site, screenshots: Path
) -> None:
    await site.seed()
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    link = site.url + await site.link(SERVER_ADMIN)

    first = await page.goto(link)
    assert first is not None and first.status == 200
    await page.screenshot(path=screenshots / "login.png")
    await page.click("#sign-in")

    assert page.url == site.url + "/s/discord:111/"
    assert await page.inner_text("h1") == "Overview"
    [cookie] = await context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    other = await browser.new_context()
    again = await (await other.new_page()).goto(link)
    assert again is not None and again.status == 410
    reused = await page.goto(link)
    assert reused is not None and reused.status == 410
    assert "already been used" in await page.inner_text("#message")
    await page.screenshot(path=screenshots / "link-used.png")


async def test_an_expired_link_is_refused(browser: Browser, site: Site, screenshots: Path) -> None:
    page = await (await browser.new_context(viewport=DESKTOP)).new_page()
    link = site.url + await site.link(SERVER_ADMIN, minutes=10)
    site.clock.advance(10 * 60 + 1)

    answer = await page.goto(link)

    assert answer is not None and answer.status == 410
    assert "expired" in await page.inner_text("#message")
    assert await page.query_selector("#sign-in") is None
    await page.screenshot(path=screenshots / "link-expired.png")


async def test_a_server_admin_cannot_reach_another_servers_data_by_editing_addresses(
    browser: Browser, site: Site
) -> None:
    await site.seed()
    context, page = await signed_in(browser, site, SERVER_ADMIN)
    csrf = await page.get_attribute("input[name=csrf]", "value")
    assert csrf

    for method, path in [(m, p) for m, p, _ in ROUTES]:
        for scope in ("discord:222", "all", "telegram:111"):
            address = f"{site.url}/s/{scope}/{concrete(path, site)}"
            if method == "get":
                answer = await page.goto(address)
                assert answer is not None
                body = await page.content()
            else:
                answer = await context.request.post(address, form={"csrf": csrf, "action": "hide"})
                body = await answer.text()
            assert answer.status == 404, (method, address, answer.status)
            assert "Cy" not in body and "secret" not in body, address

    for learner in ("Cy",):
        answer = await page.goto(f"{site.url}/s/discord:111/learners/{site.learners[learner]}")
        assert answer is not None and answer.status == 404
    answer = await page.goto(f"{site.url}/s/discord:111/learners")
    assert answer is not None and answer.status == 200
    assert "Ada" in await page.content() and "Cy" not in await page.content()


async def test_forms_posted_without_their_csrf_token_are_refused(browser: Browser, site: Site) -> None:
    await site.seed()
    _, page = await signed_in(browser, site, LESSON_ADMIN, bypass_csp=True)
    stripped = "document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())"

    for address, button in (
        ("/s/all/reviews", "button[value=hide]"),
        ("/s/all/preview", "#preview-button"),
        ("/s/all/", "footer button:has-text('Sign out')"),
    ):
        await page.goto(site.url + address)
        await page.evaluate(stripped)
        async with page.expect_navigation() as navigation:
            await page.click(button)
        answer = await navigation.value
        assert answer is not None and answer.status == 403, address
        assert "did not come from this dashboard" in await page.inner_text("#message")

    async with site.store.session() as session:
        assert not any(r.hidden for r in (await session.insights.reviews(LESSON_ADMIN.scope, 0, 10)).reviews)
    still = await page.goto(site.url + "/s/all/")  # the refused sign-out left the session open
    assert still is not None and still.status == 200


async def test_the_preview_shows_a_broken_files_problems_at_their_lines(
    browser: Browser, site: Site, screenshots: Path
) -> None:
    _, page = await signed_in(browser, site, SERVER_ADMIN)
    await page.goto(site.url + "/s/discord:111/preview")

    await page.fill("#source", BROKEN)
    await page.click("#preview-button")

    problems = await page.locator("#problems li").all_inner_texts()
    assert problems == [
        "pasted.yaml:9:7: a quiz needs exactly one option with 'correct: true', found 0",
        "pasted.yaml:13:25: question is missing the 'zh' text",
    ]
    marked = await page.locator(".source .line.bad").evaluate_all("lines => lines.map(l => l.id)")
    assert marked == ["line-9", "line-13"]
    assert "options:" in await page.inner_text("#line-9")
    assert await page.input_value("#source") == BROKEN  # kept, to fix and try again
    await page.screenshot(path=screenshots / "preview-broken.png", full_page=True)


async def test_the_preview_shows_a_valid_lessons_steps_and_checks_them_in_the_sandbox(
    browser: Browser, site: Site, screenshots: Path
) -> None:
    _, page = await signed_in(browser, site, SERVER_ADMIN)
    await page.goto(site.url + "/s/discord:111/preview?lesson=e2e-basics")

    assert "End to end" in await page.inner_text("#valid")
    zh = await page.locator("#steps-zh .step h3").all_inner_texts()
    en = await page.locator("#steps-en .step h3").all_inner_texts()
    assert en == [
        "1. Text: Hello, tensors.",
        "2. Code: Run it",
        "3. Quiz: What is the shape of x?",
        "4. Exercise: Make z, a tensor of three zeros.",
    ]
    assert zh[2] == "3. 选择题：x 的形状是？"
    assert await page.locator("#steps-en .options li.correct").inner_text() == "(2, 2)"

    await page.click("#check-lesson")

    assert "all 3 runs did what the lesson says" in await page.inner_text("#check-result")
    assert len(site.sandbox.requests) == 3
    await page.screenshot(path=screenshots / "preview-checked.png", full_page=True)


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
async def test_every_page_renders_and_is_screenshotted(
    browser: Browser, site: Site, screenshots: Path, name: str, viewport: dict[str, int]
) -> None:
    await site.seed()
    _, page = await signed_in(browser, site, LESSON_ADMIN)
    await page.set_viewport_size(viewport)  # type: ignore[arg-type]
    pages = {
        "overview": "",
        "lessons": "lessons",
        "funnel": "lessons/e2e-basics",
        "questions": "questions?lesson=e2e-basics",
        "reviews": "reviews",
        "learners": "learners",
        "learner": f"learners/{site.learners['Ada']}",
        "preview": "preview?lesson=e2e-basics",
        "exports": "exports",
    }
    for title, path in pages.items():
        answer = await page.goto(f"{site.url}/s/all/{path}")
        assert answer is not None and answer.status == 200, path
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (title, overflow)  # nothing wider than the screen, on a phone too
        await page.screenshot(path=screenshots / f"{name}-{title}.png", full_page=True)
    assert len(list(screenshots.glob(f"{name}-*.png"))) == len(pages)
