"""Show a RunResult as plain terminal text, the way the console front end shows a run."""

from __future__ import annotations

from sandbox.result import RunResult, Status, TensorInfo

_TITLES = {
    Status.OK: "ok",
    Status.ERROR: "error",
    Status.SYNTAX: "syntax error",
    Status.DENIED: "refused by the sandbox",
    Status.TIMEOUT: "time limit reached",
    Status.MEMORY: "memory limit reached",
    Status.OUTPUT_LIMIT: "output limit reached",
    Status.INTERNAL: "sandbox failure",
}


def _section(title: str, body: str) -> list[str]:
    return [f"--- {title} ---", body.rstrip("\n")]


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def _one_line(text: str | None, limit: int = 40) -> str:
    if text is None:
        return "-"
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _tensor_rows(tensors: tuple[TensorInfo, ...]) -> list[list[str]]:
    rows = [["name", "shape", "dtype", "requires_grad", "grad_fn", "grad"]]
    for tensor in tensors:
        rows.append(
            [
                tensor.name,
                "(" + ", ".join(str(n) for n in tensor.shape) + ")",
                tensor.dtype.removeprefix("torch."),
                "yes" if tensor.requires_grad else "no",
                tensor.grad_fn or "-",
                _one_line(tensor.grad),
            ]
        )
    return rows


def format_result(result: RunResult) -> str:
    """Return the human-readable report of one run."""
    lines = [f"[{result.status.value}] {_TITLES[result.status]} ({result.duration_ms:.1f} ms)"]
    if result.stdout:
        lines += _section("output", result.stdout)
    if result.value is not None:
        lines += _section("value", result.value)
    if result.error is not None:
        where = f" (line {result.error.line})" if result.error.line else ""
        lines += _section("error", f"{result.error.type}{where}: {result.error.message}")
    if result.tensors:
        lines += _section("tensors", _table(_tensor_rows(result.tensors)))
    if result.modules:
        rows = [["name", "type", "parameters", "trainable"]]
        rows += [[m.name, m.type, str(m.parameters), str(m.trainable)] for m in result.modules]
        lines += _section("modules", _table(rows))
    if result.graph_text:
        lines += _section("autograd graph", result.graph_text)
    if result.warnings:
        lines += _section("warnings", "\n".join(result.warnings))
    if result.check is not None:
        verdict = "passed" if result.check.passed else f"failed: {result.check.message}"
        lines += _section("check", verdict)
    return "\n".join(lines) + "\n"
