"""Interactive rendering of replies with rich: Markdown, highlighted code, tables and a status line."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text as RichText

from bot.adapters.console import plain
from bot.core.i18n import translate
from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Quote, Reply, RunOutput, Text, show_channels
from bot.core.run_report import error_to_show
from sandbox.result import Status

NOTICE_STYLES = {"info": "cyan", "warning": "yellow", "error": "bold red", "success": "green"}
STATUS_STYLES = {Status.OK: "green", Status.ERROR: "red", Status.SYNTAX: "red", Status.DENIED: "magenta"}
CODE_THEME = "monokai"


def renderable(reply: Reply, locale: str) -> RenderableType:
    """Return a rich renderable for one reply, in ``locale``."""
    if isinstance(reply, Text):
        return Markdown(show_channels(reply.markdown, plain.channel))
    if isinstance(reply, Code):
        return Syntax(reply.source.rstrip(), reply.language, theme=CODE_THEME, word_wrap=True)
    if isinstance(reply, Notice):
        mark = plain.NOTICE_MARKS[reply.kind]
        return RichText(f"{mark} {show_channels(reply.text, plain.channel)}", style=NOTICE_STYLES[reply.kind])
    if isinstance(reply, Buttons):
        hints = RichText()
        for button in reply.buttons:
            hints.append(f"[{button.label}]", style="bold")
            hints.append(f" {button.command or ''}   ", style="dim")
        return hints
    if isinstance(reply, QuizPrompt):
        return _quiz(reply)
    if isinstance(reply, Quote):
        return _quote(reply)
    return _run_output(reply, locale)


def _quote(reply: Quote) -> RenderableType:
    # The learner's words are a plain Text, never Markdown or console markup.
    said = RichText("  “", style="italic")
    said.append(reply.text, style="italic")
    said.append("” — ", style="italic")
    said.append(reply.author, style="dim")
    return Group(Markdown(reply.caption), said) if reply.caption else said


def _quiz(prompt: QuizPrompt) -> RenderableType:
    parts: list[RenderableType] = [Markdown(prompt.question)]
    if prompt.code:
        parts.append(Syntax(prompt.code.rstrip(), "python", theme=CODE_THEME))
    options = RichText()
    for number, option in enumerate(prompt.options, start=1):
        options.append(f"  {number}. ", style="bold cyan")
        options.append(f"{option}\n")
    parts += [options, RichText(prompt.instruction, style="dim")]
    return Group(*parts)


def _run_output(output: RunOutput, locale: str) -> RenderableType:
    result = output.result
    style = STATUS_STYLES.get(result.status, "yellow")
    parts: list[RenderableType] = [RichText(f"● {result.status.value}  {output.headline}", style=style)]
    if result.stdout:
        parts.append(_panel(result.stdout.rstrip("\n"), translate(locale, "output.stdout")))
    if result.value is not None:
        parts.append(_panel(result.value, translate(locale, "output.value")))
    error = error_to_show(result)
    if error is not None:
        where = f" ({translate(locale, 'output.line', line=error.line)})" if error.line is not None else ""
        parts.append(RichText(f"{error.type}{where}: {error.message}", style="red"))
    parts += [RichText(warning, style="yellow") for warning in result.warnings]
    if result.tensors:
        parts.append(
            _table(
                translate(locale, "output.tensors"),
                plain.columns(plain.TENSOR_COLUMNS, locale),
                [plain.tensor_row(t) for t in result.tensors],
            )
        )
    if result.modules:
        parts.append(
            _table(
                translate(locale, "output.modules"),
                plain.columns(plain.MODULE_COLUMNS, locale),
                [plain.module_row(m) for m in result.modules],
            )
        )
    if result.graph_text:
        parts.append(_panel(result.graph_text.rstrip("\n"), translate(locale, "output.graph")))
    return Group(*parts)


def _panel(text: str, title: str) -> Panel:
    return Panel(RichText(text), title=title, title_align="left")


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    table = Table(*header, title=title, title_justify="left")
    for row in rows:
        table.add_row(*row)
    return table


def show(console: Console, replies: list[Reply], locale: str, *, end: bool = True) -> None:
    """Print replies to a rich console, in ``locale``; a blank line after the last unless ``end`` is False."""
    for reply in replies:
        console.print(renderable(reply, locale))
    if end:
        console.print()
