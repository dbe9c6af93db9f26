"""Show a run: status line, output, value, a compact tensor table, the autograd tree and its picture.

Everything that comes from the learner's program is untrusted: it goes through ``sanitize`` and sits in
code blocks it cannot leave. What does not fit Discord's embed limits is cut with a note, and the whole
report is attached as a text file. Figures the code drew are attached as PNG files, which Discord shows
below the message (at most 4, each at most 1 MiB: well within a message's 10 attachments).
"""

from __future__ import annotations

import discord

from bot.adapters.discord.outgoing import Attachment, Outgoing
from bot.adapters.discord.sanitize import code_safe, fenced, strip_controls
from bot.core.i18n import translate
from bot.core.replies import RunOutput
from bot.core.run_report import error_to_show
from sandbox.result import RunResult, Status, TensorInfo

STDOUT_BUDGET = 1800
FIELD_LIMIT = 1024
TITLE_LIMIT = 256
EMBED_BUDGET = 5800  # under Discord's 6000, leaving room for the footer
FULL_OUTPUT = "output.txt"
GRAPH_FILE = "graph.png"
FIGURE_FILE = "figure-{n}.png"
_CELL = 18
_STATUS_COLOURS = {
    Status.OK: discord.Colour.green(),
    Status.ERROR: discord.Colour.red(),
    Status.SYNTAX: discord.Colour.red(),
    Status.DENIED: discord.Colour.dark_orange(),
}


def render_run(output: RunOutput, locale: str) -> list[Outgoing]:
    """Return the message that shows one run (with its graph picture and, if cut, the full report)."""
    result = output.result
    embed = discord.Embed(
        title=_cut(strip_controls(output.headline), TITLE_LIMIT),
        colour=_STATUS_COLOURS.get(result.status, discord.Colour.gold()),
    )
    truncated = False
    if result.stdout:
        body, cut = _block(result.stdout, STDOUT_BUDGET)
        embed.description = body
        truncated |= cut
    for name, text in _fields(result, locale):
        value, cut = _block(text, FIELD_LIMIT)
        if len(embed) + len(name) + len(value) > EMBED_BUDGET:
            truncated = True
            continue
        embed.add_field(name=name, value=value, inline=False)
        truncated |= cut
    if result.check is not None and result.check.passed:
        # A failed check is the tutor's to explain, in a notice of its own: said once, not here too.
        value = _cut(code_safe(result.check.message), 200) or "—"
        embed.add_field(name=translate(locale, "output.check_passed"), value=value)
    message = Outgoing(embeds=[embed])
    if output.graph_png:
        embed.set_image(url=f"attachment://{GRAPH_FILE}")
        message.attachments.append(Attachment(GRAPH_FILE, output.graph_png))
    for number, png in enumerate(output.figures, start=1):
        message.attachments.append(Attachment(FIGURE_FILE.format(n=number), png))
    if truncated:
        embed.set_footer(text=translate(locale, "output.truncated", file=FULL_OUTPUT))
        message.attachments.append(Attachment(FULL_OUTPUT, full_report(result, locale).encode()))
    return [message]


def _fields(result: RunResult, locale: str) -> list[tuple[str, str]]:
    """Return the report's sections after the output, as (title, plain text)."""
    fields: list[tuple[str, str]] = []
    error = error_to_show(result)
    if error is not None:
        fields.append((translate(locale, "output.error"), f"{error.type}: {error.message}"))
    if result.value is not None:
        fields.append((translate(locale, "output.value"), result.value))
    if result.warnings:
        fields.append((translate(locale, "output.warnings"), "\n".join(result.warnings)))
    if result.tensors:
        fields.append((translate(locale, "output.tensors"), tensor_table(result.tensors)))
    if result.modules:
        lines = [
            f"{m.name}: {m.type}, {translate(locale, 'output.parameters', count=m.parameters)}"
            for m in result.modules
        ]
        fields.append((translate(locale, "output.modules"), "\n".join(lines)))
    if result.graph_text:
        fields.append((translate(locale, "output.graph"), result.graph_text))
    return fields


def tensor_table(tensors: tuple[TensorInfo, ...]) -> str:
    """Return a fixed-width table: name, shape, dtype, requires_grad, grad_fn, grad."""
    header = ("name", "shape", "dtype", "req_grad", "grad_fn", "grad")
    rows = [
        (
            t.name,
            "×".join(map(str, t.shape)) or "scalar",
            t.dtype.removeprefix("torch."),
            "yes" if t.requires_grad else "no",
            t.grad_fn or "—",
            " ".join((t.grad or "—").split()),
        )
        for t in tensors
    ]
    cells = [[_cut(cell, _CELL) for cell in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )


def full_report(result: RunResult, locale: str) -> str:
    """Return everything a run produced as plain text, for the attached file."""
    parts = [strip_controls(result.stdout)] if result.stdout else []
    for name, text in _fields(result, locale):
        parts.append(f"--- {name} ---\n{strip_controls(text)}")
    if result.tensors:
        parts.append("\n".join(f"{t.name}.grad = {t.grad}" for t in result.tensors if t.grad))
    return "\n\n".join(part for part in parts if part) + "\n"


def _block(text: str, limit: int) -> tuple[str, bool]:
    """Return ``text`` as a safe code block of at most ``limit`` characters, and whether it was cut."""
    safe = code_safe(text)
    room = limit - len("```\n\n```") - 1
    if len(safe) <= room:
        return fenced(text), False
    # Cut on the sanitised text: cutting first could split a backtick from its zero-width guard.
    return f"```\n{safe[: room - 1]}…\n```", True


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
