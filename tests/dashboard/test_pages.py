"""What each page shows of a scope: counts, funnels, questions, reviews, learners, exports, previews."""

from __future__ import annotations

import csv
import io

from aiohttp import FormData

from tests.dashboard.conftest import LESSON_ADMIN, SERVER_ADMIN, Site

BROKEN = """\
id: broken-one
chapter: 1
title: {zh: 坏的, en: Broken}
steps:
  - text: {zh: 你好, en: Hello}
  - id: q
    quiz:
      question: {zh: 问题, en: Question}
      options:
        - {text: {zh: 一, en: One}}
        - {text: {zh: 二, en: Two}}
  - id: n
    numeric: {question: {en: "How many?"}, answer: 3}
"""


def form(csrf: str, filename: str, data: bytes, **fields: str) -> FormData:
    """Return a multipart form that uploads a file, as the preview's upload field sends it."""
    found = FormData()
    found.add_field("csrf", csrf)
    for name, value in fields.items():
        found.add_field(name, value)
    found.add_field("file", data, filename=filename, content_type="application/octet-stream")
    return found


async def page(site: Site, path: str, status: int = 200) -> str:
    answer = await site.client.get(path)
    text = await answer.text()
    assert answer.status == status, text[:500]
    return text


async def test_overview_counts_the_servers_learners_runs_and_streaks(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    text = await page(site, "/s/discord:111/")

    assert '<div class="value" id="learners">2</div>' in text
    assert '<div class="value" id="active-today">1</div>' in text  # Ada's day counts; moving alone does not
    assert (
        "<svg" in text
        and "ran: 1" in text
        and "time limit: 1" in text
        and "error" not in text.split("legend")[1][:300]
    )
    assert "Ada — 3 days" in text
    assert "Cy" not in text


async def test_overview_of_everyone_counts_every_server(site: Site) -> None:
    await site.seed()
    await site.sign_in(LESSON_ADMIN)

    text = await page(site, "/s/all/")

    assert '<div class="value" id="learners">3</div>' in text and "error: 1" in text


async def test_funnel_shows_reach_per_step_and_flags_the_biggest_drop(site: Site) -> None:
    await site.seed()
    await site.sign_in(LESSON_ADMIN)

    text = await page(site, "/s/all/lessons/e2e-basics")

    rows = text.split('<table id="funnel">')[1]
    assert 'Started</td><td class="num">3</td>' in rows
    assert 'Completed</td><td class="num">1</td>' in rows
    # Cy stopped at step 2, Ada at step 3: one each, so both are flagged as the biggest drop-off.
    assert rows.count("biggest drop-off") == 2
    assert 'id="drop-off"' in text


async def test_questions_show_the_miss_rate_and_the_explanation_of_the_wrong_answer(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    text = await page(site, "/s/discord:111/questions?lesson=e2e-basics")

    assert "What is the shape of x?" in text
    assert "67%" in text  # Ada 1 wrong + 1 right, Bea 1 wrong: 2 of 3 in server 111
    assert "(4,)" in text and "chosen 2 times" in text
    assert "That is the element count." in text and "Two by two." in text


async def test_an_unknown_lesson_is_not_found(site: Site) -> None:
    await site.sign_in(SERVER_ADMIN)

    await page(site, "/s/discord:111/lessons/nope", 404)
    await page(site, "/s/discord:111/questions?lesson=nope", 404)
    await page(site, "/s/discord:111/preview?lesson=nope", 404)


async def test_learners_are_searched_by_name(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    everyone = await page(site, "/s/discord:111/learners")
    found = await page(site, "/s/discord:111/learners?q=BE")

    assert "Ada" in everyone and "Bea" in everyone and "Cy" not in everyone
    assert "Bea" in found and "Ada" not in found and "1 learner" in found
    assert "End to end ✓" in found


async def test_a_learner_page_shows_only_name_and_progress(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    text = await page(site, f"/s/discord:111/learners/{site.learners['Ada']}")

    assert "Ada" in text and "3/4" in text
    assert "discord:ada" not in text and ">ada<" not in text  # no platform account


async def test_a_forgotten_learner_is_gone_from_every_page(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)
    async with site.store.session() as session:
        await session.learners.forget(site.learners["Bea"])

    learners = await page(site, "/s/discord:111/learners")
    reviews = await page(site, "/s/discord:111/reviews")
    exported = await page(site, "/s/discord:111/exports/progress.csv")

    assert "Bea" not in learners and "Bea" not in reviews and "Bea" not in exported
    await page(site, f"/s/discord:111/learners/{site.learners['Bea']}", 404)


async def test_reviews_are_shown_escaped_with_ratings(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    text = await page(site, "/s/discord:111/reviews")

    assert "Short and &lt;b&gt;clear&lt;/b&gt;" in text and "<b>clear</b>" not in text
    assert "★★★★☆" in text and "8.0" in text
    assert "secret" not in text
    assert 'value="feature"' not in text  # server admins do not moderate


async def test_a_lesson_admin_features_then_hides_a_review(site: Site) -> None:
    await site.seed()
    csrf = await site.sign_in(LESSON_ADMIN)
    async with site.store.session() as session:
        review = (await session.insights.reviews(LESSON_ADMIN.scope, 0, 10)).reviews[-1]

    featured = await site.client.post(f"/s/all/reviews/{review.id}", data={"csrf": csrf, "action": "feature"})
    assert featured.status == 200 and "featured" in await featured.text()
    await site.client.post(f"/s/all/reviews/{review.id}", data={"csrf": csrf, "action": "hide"})

    async with site.store.session() as session:
        found = await session.reviews.get(review.id)
        assert found is not None and found.hidden and found.featured_at is None
        assert await session.reviews.featured() == []


async def test_a_server_admin_cannot_moderate_a_review(site: Site) -> None:
    await site.seed()
    csrf = await site.sign_in(SERVER_ADMIN)
    async with site.store.session() as session:
        review = (await session.insights.reviews(SERVER_ADMIN.scope, 0, 10)).reviews[0]

    answer = await site.client.post(
        f"/s/discord:111/reviews/{review.id}", data={"csrf": csrf, "action": "hide"}
    )

    assert answer.status == 403
    async with site.store.session() as session:
        found = await session.reviews.get(review.id)
        assert found is not None and not found.hidden


async def test_progress_export_lists_the_scopes_learners_per_lesson(site: Site) -> None:
    await site.seed()
    async with site.store.session() as session:
        learner = await session.learners.by_id(site.learners["Ada"])
        assert learner is not None
    await site.sign_in(SERVER_ADMIN)

    answer = await site.client.get("/s/discord:111/exports/progress.csv")
    rows = list(csv.reader(io.StringIO(await answer.text())))

    assert answer.headers["Content-Type"].startswith("text/csv")
    assert 'filename="progress-discord-111.csv"' in answer.headers["Content-Disposition"]
    assert rows[0][:3] == ["learner", "name", "lesson"]
    assert sorted(row[1] for row in rows[1:]) == ["Ada", "Bea"]
    ada = next(row for row in rows if row[1] == "Ada")
    assert ada[2:8] == ["e2e-basics", "End to end", "3", "3", "4", "no"]


async def test_questions_export_gives_miss_rates_of_the_scope(site: Site) -> None:
    await site.seed()
    await site.sign_in(SERVER_ADMIN)

    rows = list(csv.reader(io.StringIO(await page(site, "/s/discord:111/exports/questions.csv"))))

    assert rows[1] == [
        "e2e-basics",
        "pick-shape",
        "What is the shape of x?",
        "3",
        "2",
        "0.667",
        "2",
        "1",
        "2",
    ]


async def test_exports_keep_display_names_from_becoming_formulas(site: Site) -> None:
    from bot.core.ports import PlatformUser

    async with site.store.session() as session:
        learner = await session.learners.get_or_create(PlatformUser("discord", "x", "=HYPERLINK(1)"))
        await session.servers.note_member("discord", "111", learner.id, site.clock.now)
    await site.sign_in(SERVER_ADMIN)

    text = await page(site, "/s/discord:111/exports/progress.csv")

    assert "'=HYPERLINK(1)" in text


async def test_preview_of_a_lesson_shows_its_steps_in_both_languages(site: Site) -> None:
    await site.sign_in(SERVER_ADMIN)

    text = await page(site, "/s/discord:111/preview?lesson=e2e-basics")

    zh, en = text.split('id="steps-zh"')[1].split('id="steps-en"')
    assert "你好，张量。" in zh and "x 的形状是？" in zh and "运行这段代码" in zh
    assert "Hello, tensors." in en and "What is the shape of x?" in en
    assert '<li class="correct">(2, 2)</li>' in en
    assert "4 steps" in text


async def test_preview_of_a_broken_file_shows_its_problems_at_their_lines(site: Site) -> None:
    csrf = await site.sign_in(SERVER_ADMIN)

    answer = await site.client.post("/s/discord:111/preview", data={"csrf": csrf, "source": BROKEN})
    text = await answer.text()

    shown = text.replace("&#39;", "'")
    assert "pasted.yaml:9:7: a quiz needs exactly one option with 'correct: true', found 0" in shown
    assert "pasted.yaml:13:25: question is missing the 'zh' text" in shown
    assert '<div class="line bad" id="line-9">' in text and '<div class="line bad" id="line-13">' in text
    assert '<div class="line" id="line-5">' in text
    assert 'id="steps"' not in text


async def test_preview_of_an_uploaded_file_is_checked_in_the_sandbox(site: Site) -> None:
    from tests.e2e.test_console import LESSON

    csrf = await site.sign_in(SERVER_ADMIN)
    upload = LESSON.replace("id: e2e-basics", "id: e2e-copy")

    answer = await site.client.post(
        "/s/discord:111/preview", data=form(csrf, "copy.yaml", upload.encode(), action="check")
    )
    text = await answer.text()

    assert answer.status == 200
    assert "The sandbox check passed: all 3 runs did what the lesson says." in text
    assert [r.code.split("\n")[0] for r in site.sandbox.requests] == [
        "import torch",
        "import torch",
        "z = ...",
    ]


async def test_the_sandbox_check_shows_what_failed(site: Site) -> None:
    from tests.e2e.test_console import LESSON

    csrf = await site.sign_in(SERVER_ADMIN)
    lazy = LESSON.replace('starter: "z = ...\\n"', 'starter: "import torch\\nz = torch.zeros(3)\\n"')

    text = await (
        await site.client.post(
            "/s/discord:111/preview", data={"csrf": csrf, "action": "check", "source": lazy}
        )
    ).text()

    assert "found 1 problem in 3 runs" in text
    assert "the starter already passes the check" in text


async def test_an_upload_that_is_no_yaml_file_is_refused_with_its_name(site: Site) -> None:
    csrf = await site.sign_in(SERVER_ADMIN)

    answer = await site.client.post("/s/discord:111/preview", data=form(csrf, "notes.txt", b"hello"))

    assert answer.status == 400 and "notes.txt" in await answer.text()
