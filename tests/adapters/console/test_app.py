import io
import logging
from pathlib import Path

import pytest

from bot.adapters.console.app import ConsoleChat
from bot.adapters.console.figures import FigureFolder
from bot.adapters.console.reader import code_commands
from bot.adapters.console.views import BackgroundReader, PlainView, plain_lines
from bot.core.commands import build_registry
from bot.core.exchange import Answer
from bot.core.ports import PlatformUser
from bot.core.tutor import Incoming, Tutor
from bot.store import SqlStore
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeSandbox, figure, ok, png

USER = PlatformUser("console", "ada", "ada", locale_hint="en_US.UTF-8")


CODE = code_commands(build_registry().on("console"))


@pytest.fixture
def tutor(store: SqlStore) -> Tutor:
    return Tutor(store, FakeCatalogSource([tensor_lesson(), autograd_lesson()]), FakeSandbox())


async def chat(script: str, handler: object, *, locale: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    reader = BackgroundReader(plain_lines(io.StringIO(script), CODE))
    code = await ConsoleChat(handler, reader, PlainView(out), USER, locale=locale).run()  # type: ignore[arg-type]
    return code, out.getvalue()


async def test_console_answers_each_line_until_end_of_input(tutor: Tutor) -> None:
    code, out = await chat("/lesson tensor-basics\n/next\n", tutor)
    assert code == 0
    assert "step 1/6" in out and "step 2/6" in out
    assert "[Run this code] /run  [Next] /next" in out


@pytest.mark.parametrize("command", ["/quit", "/exit"])
async def test_console_quits_on_quit(tutor: Tutor, command: str) -> None:
    code, out = await chat(f"{command}\n/lesson tensor-basics\n", tutor)
    assert code == 0
    assert out.startswith("• Bye!") and "step 1" not in out


async def test_console_help_lists_what_works_in_the_console_and_quit(tutor: Tutor) -> None:
    _, out = await chat("/help\n", tutor)
    assert "`/quit` — Leave the console" in out
    assert "/link" not in out and "/unlink" not in out and "/admin channels" not in out


async def test_console_runs_a_multiline_fenced_block(store: SqlStore) -> None:
    sandbox = FakeSandbox()
    tutor_ = Tutor(store, FakeCatalogSource([tensor_lesson()]), sandbox)
    await chat("/run\n```python\nx = 1\nprint(x)\n```\n", tutor_)
    assert sandbox.requests[0].code == "x = 1\nprint(x)"


async def test_console_lang_flag_then_lang_command(tutor: Tutor) -> None:
    _, out = await chat("/help\n/lang en\n/help\n", tutor, locale="zh")
    first, _, rest = out.partition("\n\n")
    assert "命令一览" in first
    assert "Commands" in rest


async def test_console_keeps_going_after_a_bug(tutor: Tutor, caplog: pytest.LogCaptureFixture) -> None:
    class Flaky:
        calls = 0

        async def handle(self, message: Incoming) -> Answer:
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("boom")
            return await tutor.handle(message)

    with caplog.at_level(logging.ERROR):
        code, out = await chat("/help\n/about\n", Flaky())
    assert code == 0
    assert out.startswith("✗ Sorry, something went wrong on my side.")
    assert "Torch Tutor" in out
    assert "boom" in caplog.text and "Traceback" in caplog.text


async def test_console_lang_flag_stays_when_lang_repeats_it(tutor: Tutor) -> None:
    _, out = await chat("/lang zh\n/help\n", tutor, locale="zh")
    assert "命令一览" in out.split("\n\n")[1]


async def test_console_has_no_server_admin_commands(tutor: Tutor) -> None:
    _, out = await chat("/admin_channels add 1\n", tutor)
    assert "There's no /admin_channels command" in out


async def test_console_saves_a_runs_figures_and_prints_their_paths(store: SqlStore, tmp_path: Path) -> None:
    image = png(marker=b"imshow")
    sandbox = FakeSandbox()
    sandbox.will_return(ok(figures=(figure(image),)))
    tutor_ = Tutor(store, FakeCatalogSource([tensor_lesson()]), sandbox)
    out = io.StringIO()
    reader = BackgroundReader(plain_lines(io.StringIO("/run plt.imshow(img.squeeze(), cmap='gray')\n"), CODE))
    view = PlainView(out, FigureFolder(tmp_path / "figures"))

    await ConsoleChat(tutor_, reader, view, USER).run()

    (line,) = [line for line in out.getvalue().splitlines() if line.startswith("figure 1: ")]
    assert Path(line.removeprefix("figure 1: ")).read_bytes() == image
    assert Path(line.removeprefix("figure 1: ")).parent == tmp_path / "figures"


async def test_console_notebook_continues_and_lists_cells(store: SqlStore) -> None:
    sandbox = FakeSandbox()
    tutor_ = Tutor(store, FakeCatalogSource([tensor_lesson()]), sandbox)
    _, out = await chat("/run x = torch.randn(3)\n/run\n```python\ny = x * 2\n```\n/notebook\n", tutor_)
    assert "1. `x = torch.randn(3)`" in out and "2. `y = x * 2`" in out
    assert [cell.code for cell in sandbox.requests[1].cells] == ["x = torch.randn(3)"]


async def test_a_wrong_answer_explains_that_option_and_moving_on_shows_the_answer(tutor: Tutor) -> None:
    _, out = await chat("/lesson tensor-basics\n/next\n/next\n/answer 1\n/next\n", tutor)
    wrong, _, moved_on = out.partition("Have another go")
    assert "that's numel" in wrong and "2 by 2" not in wrong
    assert "The answer: **2. (2, 2)**" in moved_on and "ones(2, 2) is 2 by 2." in moved_on


async def test_console_lesson_list_names_the_chapters(store: SqlStore) -> None:
    named = tensor_lesson(chapter_title={"zh": "入门", "en": "Getting started"})
    tutor = Tutor(store, FakeCatalogSource([named, autograd_lesson()]), FakeSandbox())
    _, out = await chat("/lessons\n", tutor)
    assert "**Chapter 1 · Getting started**" in out
