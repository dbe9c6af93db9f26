"""The course's loops in the console, scripted on stdin: every command, buttons shown as commands."""

from __future__ import annotations

import io

import pytest

from bot.adapters.console.app import ConsoleChat
from bot.adapters.console.reader import code_commands
from bot.adapters.console.views import BackgroundReader, PlainView, plain_lines
from bot.core.commands import build_registry
from bot.core.context import TutorSettings
from bot.core.ports import PlatformUser
from bot.core.tutor import Tutor
from bot.store import SqlStore
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox

USER = PlatformUser("console", "ada", "ada", locale_hint="en_US.UTF-8")
CODE = code_commands(build_registry().on("console"))
FINISH = "/lesson tensor-basics\n" + "/next\n" * 6


@pytest.fixture
def tutor(store: SqlStore, clock: FakeClock) -> Tutor:
    settings = TutorSettings(admins=frozenset({"console:ada"}), commands_per_minute=1000)
    catalog = FakeCatalogSource([tensor_lesson(), autograd_lesson()])
    return Tutor(store, catalog, FakeSandbox(), settings=settings, clock=clock)


async def chat(script: str, tutor: Tutor) -> str:
    out = io.StringIO()
    reader = BackgroundReader(plain_lines(io.StringIO(script), CODE))
    assert await ConsoleChat(tutor, reader, PlainView(out), USER).run() == 0
    return out.getvalue()


async def test_finishing_shows_the_star_commands_and_rate_review_and_course_follow(tutor: Tutor) -> None:
    out = await chat(FINISH + "/rate tensor-basics 5\n/review tensor-basics **Great** @you\n/course\n", tutor)

    assert "[1 ★] /rate tensor-basics 1" in out and "[5 ★] /rate tensor-basics 5" in out
    assert "You rated **Tensors** ★★★★★" in out
    assert "“**Great** @\u200byou” — ada" in out  # the words as typed, defanged, never rendered
    assert "★ 5.0/5 (10.0/10) from 1 rating" in out
    assert "1 learner started · 1 completed every lesson" not in out  # two lessons: not the whole course
    assert "1 learner started · 0 completed every lesson" in out


async def test_bad_input_gets_clear_messages(tutor: Tutor) -> None:
    out = await chat(
        "/review autograd-basics Nice\n/lesson tensor-basics\n/rate tensor-basics 0\n"
        f"/review tensor-basics {'z' * 301}\n/timezone Atlantis/Capital\n/remind on 19:00\n",
        tutor,
    )

    assert "You haven't started **Autograd** yet" in out
    assert "A rating is 1 to 5 stars, not 0" in out
    assert "301/300 characters" in out
    assert "There's no time zone `Atlantis/Capital`" in out
    assert "There's no /remind command" in out  # a terminal can't be reached while closed


async def test_practice_timezone_leaderboard_and_progress(tutor: Tutor, clock: FakeClock) -> None:
    await chat("/lesson tensor-basics\n/next\n/next\n/answer 3\n/timezone Asia/Tokyo\n", tutor)
    clock.advance(90)

    out = await chat("/practice\n/practice 2\n/leaderboard\n/progress\n", tutor)

    assert "**Practice** · Tensors · 1 question due" in out
    assert "  2. (2, 2)" in out
    assert "✓ Correct!" in out
    assert "This week you're **#1**" in out
    assert "Streak: 1 day (longest 1)" in out


async def test_admin_reviews_from_the_console(tutor: Tutor) -> None:
    out = await chat(
        "/lesson tensor-basics\n/review tensor-basics Fine\n/admin reviews\n"
        "/admin_reviews feature 1\n/course\n",
        tutor,
    )

    assert "`#1` · `tensor-basics`" in out
    assert "Review #1 is featured" in out
    assert "Featured reviews" in out and "“Fine” — ada" in out


def test_the_rich_view_shows_a_quote_as_plain_text() -> None:
    from rich.console import Console

    from bot.adapters.console import rich_view
    from bot.core.replies import Quote

    console = Console(record=True, width=100, color_system=None)
    rich_view.show(console, [Quote("[bold]hi[/bold] **x**", "[red]eve[/red]", "_Tensors_")], "en")

    shown = console.export_text()
    assert "[bold]hi[/bold] **x**" in shown
    assert "[red]eve[/red]" in shown
