"""Plain rendering of replies: no colours, no prompts, the same bytes every time (scripts and tests)."""

from __future__ import annotations

import unicodedata

from bot.core.i18n import translate
from bot.core.replies import Buttons, Code, Notice, QuizPrompt, Quote, Reply, RunOutput, Text, show_channels
from bot.core.run_report import error_to_show
from sandbox.result import ModuleInfo, RunResult, TensorInfo

NOTICE_MARKS = {"info": "•", "warning": "!", "error": "✗", "success": "✓"}
TENSOR_COLUMNS = ("name", "shape", "dtype", "requires_grad", "is_leaf", "grad_fn", "grad")
MODULE_COLUMNS = ("name", "type", "parameters", "trainable")
# Columns named after a tensor's attributes keep those names in every language: they are what one types.
_TRANSLATED_COLUMNS = frozenset({"name", "shape", "type", "parameters", "trainable"})


def render(reply: Reply, locale: str) -> str:
    """Return one reply as plain text (without a trailing newline), in ``locale``."""
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
    return run_output(reply, locale)


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


def run_output(output: RunOutput, locale: str) -> str:
    """Return a run result: status line, then each non-empty section."""
    result = output.result
    parts = [f"[{result.status.value}] {output.headline}"]
    for title, body in sections(result, locale):
        parts.append(f"--- {title} ---\n{body}")
    return "\n".join(parts)


def sections(result: RunResult, locale: str) -> list[tuple[str, str]]:
    """Return the titled, non-empty sections of a run result, in reading order, titled in ``locale``.

    A failed check is left out: the tutor explains it in a notice of its own.
    """
    found: list[tuple[str, str]] = []
    if result.stdout:
        found.append((translate(locale, "output.stdout"), result.stdout.rstrip("\n")))
    if result.value is not None:
        found.append((translate(locale, "output.value"), result.value))
    error = error_to_show(result)
    if error is not None:
        where = f" ({translate(locale, 'output.line', line=error.line)})" if error.line is not None else ""
        found.append((translate(locale, "output.error"), f"{error.type}{where}: {error.message}"))
    if result.warnings:
        found.append((translate(locale, "output.warnings"), "\n".join(result.warnings)))
    if result.tensors:
        rows = [tensor_row(t) for t in result.tensors]
        found.append((translate(locale, "output.tensors"), table(columns(TENSOR_COLUMNS, locale), rows)))
    if result.modules:
        rows = [module_row(m) for m in result.modules]
        found.append((translate(locale, "output.modules"), table(columns(MODULE_COLUMNS, locale), rows)))
    if result.graph_text:
        found.append((translate(locale, "output.graph"), result.graph_text.rstrip("\n")))
    return found


def columns(names: tuple[str, ...], locale: str) -> tuple[str, ...]:
    """Return the headers of table columns in ``locale``."""
    return tuple(
        translate(locale, f"output.column.{name}") if name in _TRANSLATED_COLUMNS else name for name in names
    )


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
    """Return rows as left-aligned columns separated by two spaces (wide characters count twice)."""
    widths = [max(cell_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell + " " * (width - cell_width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def cell_width(text: str) -> int:
    """Return how many columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
