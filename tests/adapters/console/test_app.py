import io
import logging

import pytest

from bot.adapters.console.app import ConsoleChat
from bot.adapters.console.views import BackgroundReader, PlainView, plain_lines
from bot.core.ports import PlatformUser
from bot.core.replies import Reply
from bot.core.tutor import Incoming, Tutor
from tests.core.conftest import autograd_lesson, tensor_lesson
from tests.fakes import FakeCatalogSource, FakeSandbox, FakeStore

USER = PlatformUser("console", "ada", "ada", locale_hint="en_US.UTF-8")


def tutor() -> Tutor:
    return Tutor(FakeStore(), FakeCatalogSource([tensor_lesson(), autograd_lesson()]), FakeSandbox())


async def chat(script: str, handler: object | None = None, *, locale: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    reader = BackgroundReader(plain_lines(io.StringIO(script)))
    code = await ConsoleChat(handler or tutor(), reader, PlainView(out), USER, locale=locale).run()  # type: ignore[arg-type]
    return code, out.getvalue()


async def test_console_answers_each_line_until_end_of_input() -> None:
    code, out = await chat("/lesson tensor-basics\n/next\n")
    assert code == 0
    assert "step 1/6" in out and "step 2/6" in out
    assert "[Run this code] /run  [Next] /next" in out


async def test_console_quits_on_quit() -> None:
    code, out = await chat("/quit\n/lesson tensor-basics\n")
    assert (code, out) == (0, "")


async def test_console_runs_a_multiline_fenced_block() -> None:
    sandbox = FakeSandbox()
    tutor_ = Tutor(FakeStore(), FakeCatalogSource([tensor_lesson()]), sandbox)
    await chat("/run\n```python\nx = 1\nprint(x)\n```\n", tutor_)
    assert sandbox.requests[0].code == "x = 1\nprint(x)"


async def test_console_lang_flag_then_lang_command() -> None:
    _, out = await chat("/help\n/lang en\n/help\n", locale="zh")
    first, _, rest = out.partition("\n\n")
    assert "命令一览" in first
    assert "Commands" in rest


async def test_console_keeps_going_after_a_bug(caplog: pytest.LogCaptureFixture) -> None:
    class Flaky:
        calls = 0

        async def handle(self, message: Incoming) -> list[Reply]:
            self.calls += 1
            if self.calls == 1:
                raise RuntimeError("boom")
            return await tutor().handle(message)

    with caplog.at_level(logging.ERROR):
        code, out = await chat("/help\n/about\n", Flaky())
    assert code == 0
    assert out.startswith("✗ Sorry, something went wrong on my side.")
    assert "Torch Tutor" in out
    assert "boom" in caplog.text and "Traceback" in caplog.text
