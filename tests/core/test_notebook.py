"""Notebook continuity of free runs: cells kept, replayed, bounded, listed, dropped and cleared."""

from __future__ import annotations

import pytest

from bot.core.context import NotebookLimits, TutorSettings
from bot.core.ports import PlatformUser
from bot.core.replies import Notice, Reply, RunOutput
from bot.core.tutor import Incoming, Tutor
from bot.store import SqlStore
from sandbox.result import Cell, FigureImage, RunError, RunResult, Status
from tests.core.conftest import USER, Say, of_type, text_of
from tests.fakes import FakeCatalogSource, FakeClock, FakeSandbox, figure, ok, png

BOB = PlatformUser("console", "bob", "Bob")


def error(kind: str = "ValueError", message: str = "bad") -> RunResult:
    return RunResult(status=Status.ERROR, error=RunError(kind, message, line=1))


def replay_failure(number: int) -> RunResult:
    detail = "NameError: name 'a' is not defined"
    message = f"cell {number} of your notebook failed when it was run again: {detail}"
    return RunResult(status=Status.ERROR, error=RunError("NotebookError", message), failed_cell=number)


def limited(
    store: SqlStore,
    catalog: FakeCatalogSource,
    sandbox: FakeSandbox,
    clock: FakeClock,
    limits: NotebookLimits,
) -> Say:
    """Return ``say`` for a tutor with these notebook limits."""
    settings = TutorSettings(
        commands_per_minute=1000, runs_per_minute=1000, default_locale="en", notebook=limits
    )
    tutor = Tutor(store, catalog, sandbox, settings=settings, clock=clock)

    async def say(text: str, user: PlatformUser = USER) -> list[Reply]:
        return list((await tutor.handle(Incoming(user, text))).replies)

    return say


async def test_the_first_run_sends_no_cells_and_a_seed(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run x = 1")
    (request,) = sandbox.requests
    assert request.cells == ()
    assert isinstance(request.seed, int) and 0 <= request.seed < 2**63


async def test_each_run_gets_a_fresh_seed(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run 1")
    await say("/run 2")
    assert sandbox.requests[0].seed != sandbox.requests[1].seed


async def test_a_cell_that_ran_is_replayed_with_the_seed_the_result_reports(
    say: Say, sandbox: FakeSandbox
) -> None:
    sandbox.will_return(ok(seed=4242))
    await say("/run x = torch.randn(3)")
    await say("/run y = x * 2")
    await say("/run x")
    assert sandbox.requests[1].cells == (Cell("x = torch.randn(3)", 4242),)
    assert sandbox.requests[2].cells == (
        Cell("x = torch.randn(3)", 4242),
        Cell("y = x * 2", sandbox.requests[1].seed or 0),
    )


async def test_a_cell_that_failed_is_not_kept(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run a = 1")
    sandbox.will_return(error())
    await say("/run b = int('x')")
    await say("/run a")
    assert [cell.code for cell in sandbox.requests[2].cells] == ["a = 1"]


@pytest.mark.parametrize("status", [Status.SYNTAX, Status.DENIED, Status.TIMEOUT, Status.INTERNAL])
async def test_a_cell_that_did_not_end_ok_is_not_kept(say: Say, sandbox: FakeSandbox, status: Status) -> None:
    sandbox.will_return(RunResult(status=status))
    await say("/run import os")
    await say("/run 1")
    assert sandbox.requests[1].cells == ()


async def test_more_cells_than_the_limit_drop_the_oldest_and_say_which(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    say = limited(store, catalog, sandbox, clock, NotebookLimits(max_cells=3))
    for number in range(1, 4):
        assert "dropped" not in text_of(await say(f"/run v{number} = {number}"))
    replies = await say("/run v4 = 4")
    notice = text_of(of_type(replies, Notice))
    assert "at most 3 cells" in notice and "oldest cell was dropped" in notice
    assert "1 (`v1 = 1`)" in notice
    await say("/run v4")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["v2 = 2", "v3 = 3", "v4 = 4"]


async def test_a_cell_over_the_replay_budget_drops_the_oldest_and_says_which(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    say = limited(store, catalog, sandbox, clock, NotebookLimits(replay_budget_s=1.0))
    sandbox.will_return(ok(cpu_ms=400.0), ok(cpu_ms=400.0), ok(cpu_ms=100.0), ok(cpu_ms=700.0))
    for code in ("a = 1", "b = 2", "c = 3"):
        await say(f"/run {code}")
    replies = await say("/run d = 4")
    notice = text_of(of_type(replies, Notice))
    assert "more than 1 s of CPU" in notice and "2 oldest cells were dropped" in notice
    assert "1 (`a = 1`), 2 (`b = 2`)" in notice
    await say("/run d")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["c = 3", "d = 4"]


async def test_a_cell_alone_over_the_budget_is_not_kept_and_the_others_stay(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    say = limited(store, catalog, sandbox, clock, NotebookLimits(replay_budget_s=1.0))
    sandbox.will_return(ok(cpu_ms=10.0), ok(cpu_ms=1500.0))
    await say("/run a = 1")
    replies = await say("/run slow = train()")
    assert "took 1.5 s of CPU" in text_of(replies) and "isn't kept" in text_of(replies)
    await say("/run a")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["a = 1"]


async def test_code_past_the_size_bound_drops_the_oldest_and_says_which(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    say = limited(store, catalog, sandbox, clock, NotebookLimits(max_code_bytes=2048))
    for name in ("a", "b", "c"):
        await say(f"/run {name} = '{name * 600}'")
    notice = text_of(of_type(await say(f"/run d = '{'d' * 300}'"), Notice))
    assert "grow past 2 KiB" in notice and "oldest cell was dropped: 1 (`a = 'aaaa" in notice
    await say("/run d")
    assert [cell.code[:1] for cell in sandbox.requests[-1].cells] == ["b", "c", "d"]


async def test_a_cell_alone_over_the_size_bound_is_not_kept(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    say = limited(store, catalog, sandbox, clock, NotebookLimits(max_code_bytes=1024))
    await say("/run a = 1")
    replies = await say("/run big = '" + "汉" * 300 + "'")  # 300 characters, 1.8 KiB escaped
    assert "too long for the notebook to replay (over 1 KiB)" in text_of(replies)
    await say("/run a")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["a = 1"]


async def test_a_replayed_cell_that_fails_is_dropped_and_the_reply_says_so(
    say: Say, sandbox: FakeSandbox
) -> None:
    for code in ("a = 1", "b = a + 1", "c = 3"):
        await say(f"/run {code}")
    sandbox.will_return(replay_failure(2))
    replies = await say("/run c * 2")
    assert of_type(replies, RunOutput) == []
    notice = text_of(replies)
    assert "Cell 2 of your notebook (`b = a + 1`)" in notice
    assert "NameError: name 'a' is not defined" in notice and "send it again" in notice
    await say("/run c * 2")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["a = 1", "c = 3"]


async def test_an_idle_notebook_starts_over_and_says_so(
    say: Say, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    await say("/run a = 1")
    clock.advance(59 * 60)
    assert "starts over" not in text_of(await say("/run b = 2"))
    assert len(sandbox.requests[-1].cells) == 1
    clock.advance(60 * 60)
    replies = await say("/run c = 3")
    assert "unused for more than 60 minutes" in text_of(replies) and "2 cells are gone" in text_of(replies)
    assert sandbox.requests[-1].cells == ()
    assert isinstance(replies[0], Notice)  # said before the run's output


async def test_a_failing_run_keeps_the_notebook_from_going_idle(
    say: Say, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    await say("/run a = 1")
    clock.advance(50 * 60)
    sandbox.will_return(error())
    await say("/run oops")
    clock.advance(50 * 60)
    await say("/run a")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["a = 1"]


async def test_two_learners_notebooks_never_mix(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run mine = 1")
    await say("/run theirs = 2", user=BOB)
    await say("/run mine")
    await say("/run theirs", user=BOB)
    assert [cell.code for cell in sandbox.requests[2].cells] == ["mine = 1"]
    assert [cell.code for cell in sandbox.requests[3].cells] == ["theirs = 2"]


async def test_the_notebook_survives_a_restart(
    store: SqlStore, catalog: FakeCatalogSource, sandbox: FakeSandbox, clock: FakeClock
) -> None:
    await Tutor(store, catalog, sandbox, clock=clock).handle(Incoming(USER, "/run a = 1"))
    restarted = Tutor(store, catalog, sandbox, clock=clock)
    await restarted.handle(Incoming(USER, "/run a"))
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["a = 1"]


async def test_lesson_code_steps_and_exercises_run_without_the_notebook_and_stay_out_of_it(
    tutor: Tutor, say: Say, sandbox: FakeSandbox
) -> None:
    await say("/run a = 1")
    await tutor.action(USER, "run:tensor-basics:first-tensor")
    await say("/lesson tensor-basics")
    await say("/next")
    await say("/run")
    for _ in range(3):
        await say("/next")
    await say("/submit z = torch.zeros(2)")
    await say("/run a")
    lesson_runs, last = sandbox.requests[1:-1], sandbox.requests[-1]
    assert [r.cells for r in lesson_runs] == [(), (), ()]
    assert [cell.code for cell in last.cells] == ["a = 1"]


async def test_notebook_lists_cells_numbered_with_first_line_and_age(say: Say, clock: FakeClock) -> None:
    await say("/run\n```python\n\nimport math\nr = math.pi\n```")
    clock.advance(5 * 60)
    await say("/run s = r * 2")
    clock.advance(30)
    text = text_of(await say("/notebook"))
    assert "Your notebook: 2 cells (at most 20)" in text
    assert "1. `import math` · 5 min ago" in text
    assert "2. `s = r * 2` · just now" in text
    assert "/notebook drop N" in text


async def test_notebook_shortens_long_first_lines_and_keeps_inline_code_intact(say: Say) -> None:
    await say("/run label = `" + "x" * 100)
    text = text_of(await say("/notebook"))
    line = next(line for line in text.splitlines() if line.startswith("1. "))
    assert line.count("`") == 2 and "…" in line


async def test_an_empty_notebook_says_how_it_fills(say: Say) -> None:
    assert "Your notebook is empty" in text_of(await say("/notebook"))


async def test_notebook_clear_starts_over(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run a = 1")
    await say("/run b = 2")
    assert "Cleared your notebook (2 cells)" in text_of(await say("/notebook clear"))
    assert "already empty" in text_of(await say("/notebook clear"))
    await say("/run 1")
    assert sandbox.requests[-1].cells == ()


async def test_notebook_drop_removes_that_cell(say: Say, sandbox: FakeSandbox) -> None:
    for code in ("a = 1", "b = 2", "c = 3"):
        await say(f"/run {code}")
    assert "Dropped cell 2 (`b = 2`)" in text_of(await say("/notebook drop 2"))
    await say("/run c")
    assert [cell.code for cell in sandbox.requests[-1].cells] == ["a = 1", "c = 3"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/notebook drop 4", "There's no cell 4: your notebook's cells are numbered 1 to 3."),
        ("/notebook drop 0", "There's no cell 0"),
        ("/notebook drop -1", "There's no cell -1"),
        ("/notebook drop", "Which cell? Type `/notebook drop N` with N from 1 to 3"),
        ("/notebook drop two", "`n` should be a whole number"),
        ("/notebook 2", "`action` must be one of: list, clear, drop"),
        ("/notebook list 2", "A cell number goes with drop: `/notebook drop 2`"),
    ],
)
async def test_notebook_drop_with_a_bad_number_explains_and_drops_nothing(
    say: Say, sandbox: FakeSandbox, command: str, expected: str
) -> None:
    for code in ("a = 1", "b = 2", "c = 3"):
        await say(f"/run {code}")
    assert expected in text_of(await say(command))
    await say("/run c")
    assert len(sandbox.requests[-1].cells) == 3


async def test_notebook_drop_on_an_empty_notebook_explains(say: Say) -> None:
    assert "there is no cell to drop" in text_of(await say("/notebook drop 1"))


async def test_listing_an_idle_notebook_says_it_started_over(say: Say, clock: FakeClock) -> None:
    await say("/run a = 1")
    clock.advance(2 * 60 * 60)
    text = text_of(await say("/notebook"))
    assert "starts over" in text and "Your notebook is empty" in text


async def test_forget_deletes_the_notebook(say: Say, sandbox: FakeSandbox) -> None:
    await say("/run secret = 42")
    await say("/forget confirm")
    await say("/run 1")
    assert sandbox.requests[-1].cells == ()


async def test_help_run_names_the_ready_modules_and_the_notebook(say: Say) -> None:
    text = text_of(await say("/help run"))
    for name in ("torch", "nn", "F (torch.nn.functional)", "optim", "np"):
        assert name in text
    assert "/notebook" in text and "random draws included" in text


async def test_help_run_in_chinese_names_the_ready_modules_and_the_notebook(say: Say) -> None:
    await say("/lang zh")
    text = text_of(await say("/help run"))
    assert "torch、nn、F（torch.nn.functional）、optim 和 np" in text and "/notebook" in text


async def test_figures_reach_the_reply_as_png_bytes(say: Say, sandbox: FakeSandbox) -> None:
    image = png(marker=b"plot")
    broken = FigureImage("png", 1, 1, "not base64!")
    sandbox.will_return(ok(figures=(figure(image), broken)))
    (output,) = of_type(await say("/run plt.plot([1, 2])"), RunOutput)
    assert output.figures == (image,)
