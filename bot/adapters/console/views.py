"""Where the console's replies and input go: plain streams for scripts, rich for people."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Mapping
from typing import TextIO

from rich.console import Console

from bot.adapters.console import plain, rich_view
from bot.adapters.console.figures import FigureFolder, figure_lines
from bot.adapters.console.lines import lines_of, ready
from bot.adapters.console.long_output import OutputFolder, fit
from bot.adapters.console.reader import ChatReader
from bot.core.replies import Reply

PROMPT = "› "
CONTINUATION = "… "


class PlainView:
    """Writes replies as plain text, a blank line after each message's replies.

    Figures are saved to files in ``figures``; long run output is shortened and saved whole in ``outputs``.
    """

    def __init__(
        self, out: TextIO, figures: FigureFolder | None = None, outputs: OutputFolder | None = None
    ) -> None:
        self._out = out
        self._figures = figures
        self._outputs = outputs

    def show(self, replies: list[Reply], locale: str) -> None:
        """Write the replies to one message, in ``locale``."""
        for reply in fit(replies, locale, self._outputs):
            self._out.write(plain.render(reply, locale) + "\n")
            for line in figure_lines(reply, self._figures):
                self._out.write(line + "\n")
        self._out.write("\n")
        self._out.flush()


class RichView:
    """Prints replies with colours, Markdown and highlighted code; figures, long output as ``PlainView``."""

    def __init__(
        self, console: Console, figures: FigureFolder | None = None, outputs: OutputFolder | None = None
    ) -> None:
        self._console = console
        self._figures = figures
        self._outputs = outputs

    def show(self, replies: list[Reply], locale: str) -> None:
        """Print the replies to one message, in ``locale``."""
        for reply in fit(replies, locale, self._outputs):
            rich_view.show(self._console, [reply], locale, end=False)
            for line in figure_lines(reply, self._figures):
                self._console.print(line, style="dim", highlight=False)
        self._console.print()


def plain_lines(stream: TextIO, code_commands: Mapping[str, bool]) -> ChatReader:
    """Return a reader of a non-interactive stream (a pipe or a file)."""
    source = lines_of(stream)
    return ChatReader(lambda continuation: source.readline(), code_commands, waiting=source.waiting)


def prompted_lines(console: Console, stdin: TextIO, code_commands: Mapping[str, bool]) -> ChatReader:
    """Return a reader that prompts on a terminal (``stdin``)."""

    def read_line(continuation: bool) -> str | None:
        try:
            return console.input(f"[dim]{CONTINUATION}[/]" if continuation else f"[bold cyan]{PROMPT}[/]")
        except EOFError:
            return None

    # A terminal hands over one line per read, so what select sees is exactly the lines not read yet.
    return ChatReader(read_line, code_commands, waiting=lambda: ready(stdin.fileno()))


class BackgroundReader:
    """Reads messages in a daemon thread, one per request, so waiting for input never blocks the event loop.

    A daemon thread (rather than ``asyncio.to_thread``) lets Ctrl-C end the program while it waits.
    """

    def __init__(self, reader: ChatReader) -> None:
        self._reader = reader
        self._requests: queue.SimpleQueue[tuple[asyncio.AbstractEventLoop, asyncio.Future[str | None]]]
        self._requests = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    async def __call__(self) -> str | None:
        """Return the next message, or None at the end of input."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()
        self._requests.put((loop, future))
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="console-input", daemon=True)
            self._thread.start()
        return await future

    def _work(self) -> None:
        while True:
            loop, future = self._requests.get()
            try:
                line = self._reader.read()
            except BaseException as error:  # handed to the waiting coroutine, which re-raises it
                loop.call_soon_threadsafe(_fail, future, error)
                return
            loop.call_soon_threadsafe(_resolve, future, line)


def _resolve(future: asyncio.Future[str | None], line: str | None) -> None:
    if not future.done():
        future.set_result(line)


def _fail(future: asyncio.Future[str | None], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
