"""Plain rendering of replies: no colours, no prompts, the same bytes every time (scripts and tests)."""

from __future__ import annotations

from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Quote, Reply, RunOutput, Text, show_channels
from sandbox.result import ModuleInfo, RunResult, TensorInfo

NOTICE_MARKS = {"info": "•", "warning": "!", "error": "✗", "success": "✓"}
TENSOR_COLUMNS = ("name", "shape", "dtype", "requires_grad", "is_leaf", "grad_fn", "grad")


def render(reply: Reply) -> str:
    """Return one reply as plain text (without a trailing newline)."""
    if isinstance(reply, Text):
        return show_channels(reply.markdown, channel)
    if isinstance(reply, Code):
        return fenced(reply.source, reply.language)
    if isinstance(reply, Notice):
        return f"{NOTICE_MARKS[reply.kind]} {show_channels(reply.text, channel)}"
    if isinstance(reply, Buttons):
        return "  ".join(f"[{b.label}] {b.command}" if b.command else f"[{b.label}]" for b in reply.buttons)
    if isinstance(reply, QuizPrompt):
        return quiz(reply)
    if isinstance(reply, Quote):
        return quote(reply)
    return run_output(reply)


def quote(reply: Quote) -> str:
    """Return a learner's words as written (a terminal makes nothing clickable), under the caption."""
    said = f"  “{reply.text}” — {reply.author}"
    return f"{reply.caption}\n{said}" if reply.caption else said


def channel(channel_id: str) -> str:
    """Show a reference to a server's channel: a terminal has no channels to link, so just name it."""
    return f"#{channel_id}"


def fenced(source: str, language: str = "python") -> str:
    """Return code between Markdown fences."""
    return f"```{language}\n{source.rstrip()}\n```"


def quiz(prompt: QuizPrompt) -> str:
    """Return a quiz with numbered options and how to answer."""
    parts = [prompt.question]
    if prompt.code:
        parts.append(fenced(prompt.code))
    parts.append("\n".join(f"  {n}. {option}" for n, option in enumerate(prompt.options, start=1)))
    parts.append(prompt.instruction)
    return "\n".join(parts)


def run_output(output: RunOutput) -> str:
    """Return a run result: status line, then each non-empty section."""
    result = output.result
    parts = [f"[{result.status.value}] {output.headline}"]
    for title, body in sections(result):
        parts.append(f"--- {title} ---\n{body}")
    return "\n".join(parts)


def sections(result: RunResult) -> list[tuple[str, str]]:
    """Return the titled, non-empty sections of a run result, in reading order.

    A failed check is left out: the tutor explains it in a notice of its own.
    """
    found: list[tuple[str, str]] = []
    if result.stdout:
        found.append(("output", result.stdout.rstrip("\n")))
    if result.value is not None:
        found.append(("value", result.value))
    if result.error is not None:
        where = f" (line {result.error.line})" if result.error.line is not None else ""
        found.append(("error", f"{result.error.type}{where}: {result.error.message}"))
    if result.warnings:
        found.append(("warnings", "\n".join(result.warnings)))
    if result.tensors:
        found.append(("tensors", table(TENSOR_COLUMNS, [tensor_row(t) for t in result.tensors])))
    if result.modules:
        found.append(
            (
                "modules",
                table(("name", "type", "parameters", "trainable"), [module_row(m) for m in result.modules]),
            )
        )
    if result.graph_text:
        found.append(("autograd graph", result.graph_text.rstrip("\n")))
    return found


def tensor_row(tensor: TensorInfo) -> tuple[str, ...]:
    """Return a tensor's cells, in ``TENSOR_COLUMNS`` order."""
    return (
        tensor.name,
        str(tuple(tensor.shape)),
        tensor.dtype,
        str(tensor.requires_grad),
        str(tensor.is_leaf),
        tensor.grad_fn or "-",
        _one_line(tensor.grad) if tensor.grad is not None else "-",
    )


def module_row(module: ModuleInfo) -> tuple[str, ...]:
    """Return a module's cells."""
    return (module.name, module.type, f"{module.parameters:,}", f"{module.trainable:,}")


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Return rows as left-aligned columns separated by two spaces."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
