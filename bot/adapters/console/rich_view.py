"""Interactive rendering of replies with rich: Markdown, highlighted code, tables and a status line."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text as RichText

from bot.adapters.console import plain
from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Quote, Reply, RunOutput, Text, show_channels
from sandbox.result import RunResult, Status

NOTICE_STYLES = {"info": "cyan", "warning": "yellow", "error": "bold red", "success": "green"}
STATUS_STYLES = {Status.OK: "green", Status.ERROR: "red", Status.SYNTAX: "red", Status.DENIED: "magenta"}
CODE_THEME = "monokai"


def renderable(reply: Reply) -> RenderableType:
    """Return a rich renderable for one reply."""
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
    return _run_output(reply)


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


def _run_output(output: RunOutput) -> RenderableType:
    result = output.result
    style = STATUS_STYLES.get(result.status, "yellow")
    parts: list[RenderableType] = [RichText(f"● {result.status.value}  {output.headline}", style=style)]
    if result.stdout:
        parts.append(Panel(RichText(result.stdout.rstrip("\n")), title="output", title_align="left"))
    if result.value is not None:
        parts.append(Panel(RichText(result.value), title="value", title_align="left"))
    if result.error is not None:
        where = f" (line {result.error.line})" if result.error.line is not None else ""
        parts.append(RichText(f"{result.error.type}{where}: {result.error.message}", style="red"))
    parts += [RichText(warning, style="yellow") for warning in result.warnings]
    if result.tensors:
        parts.append(_tensor_table(result))
    if result.modules:
        modules = Table("name", "type", "parameters", "trainable", title="modules", title_justify="left")
        for module in result.modules:
            modules.add_row(*plain.module_row(module))
        parts.append(modules)
    if result.graph_text:
        parts.append(
            Panel(RichText(result.graph_text.rstrip("\n")), title="autograd graph", title_align="left")
        )
    return Group(*parts)


def _tensor_table(result: RunResult) -> Table:
    table = Table(*plain.TENSOR_COLUMNS, title="tensors", title_justify="left")
    for tensor in result.tensors:
        table.add_row(*plain.tensor_row(tensor))
    return table


def show(console: Console, replies: list[Reply], *, end: bool = True) -> None:
    """Print replies to a rich console, a blank line after the last (unless ``end`` is False)."""
    for reply in replies:
        console.print(renderable(reply))
    if end:
        console.print()
