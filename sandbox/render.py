"""Draw a run's autograd graph as a PNG with Graphviz's ``dot`` (outside the sandbox child, on demand)."""

from __future__ import annotations

import logging
import shutil
import subprocess

from sandbox.result import Graph, GraphNode

log = logging.getLogger(__name__)

DOT_TIMEOUT_S = 10.0
MAX_NODES = 400


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _label(node: GraphNode) -> str:
    if node.kind == "op":
        return node.label
    name = node.name or node.label
    shape = f"\n{tuple(node.shape)!r}" if node.shape is not None else ""
    if node.kind == "root":
        name = f"{name}\n{node.label}"
    return f"{name}{shape}"


_STYLE = {
    "op": 'shape=box, style="rounded,filled", fillcolor="#e8eef7"',
    "leaf": 'shape=ellipse, style=filled, fillcolor="#d7f0d2"',
    "root": 'shape=box, style="bold,filled", fillcolor="#fde7c8"',
}


def to_dot(graph: Graph) -> str:
    """Return the Graphviz source: leaves labelled with their names and shapes, ops with grad_fn names."""
    lines = [
        "digraph autograd {",
        '  rankdir=BT; bgcolor="white";',
        '  node [fontname="Helvetica", fontsize=11];',
        f"  label={_quote('autograd graph of ' + graph.root)}; labelloc=t;",
    ]
    for node in graph.nodes[:MAX_NODES]:
        style = _STYLE.get(node.kind, _STYLE["op"])
        lines.append(f"  n{node.id} [label={_quote(_label(node))}, {style}];")
    kept = {node.id for node in graph.nodes[:MAX_NODES]}
    # Edges point from a node to its inputs; drawn bottom-up, data flows towards the root.
    lines.extend(
        f"  n{child} -> n{parent};" for parent, child in graph.edges if parent in kept and child in kept
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_png(graph: Graph, dot: str | None = None) -> bytes | None:
    """Return the graph drawn as PNG bytes, or None when Graphviz is missing or fails."""
    binary = dot or shutil.which("dot")
    if binary is None:
        return None
    try:
        completed = subprocess.run(
            [binary, "-Tpng"],
            input=to_dot(graph).encode(),
            capture_output=True,
            timeout=DOT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("graphviz failed: %s", exc)
        return None
    if completed.returncode != 0 or not completed.stdout.startswith(b"\x89PNG"):
        log.warning("graphviz failed: %s", completed.stderr.decode("utf-8", "replace")[:500])
        return None
    return completed.stdout
