"""How big each part of a run result may be, and the one function that holds a result to it.

The child caps its own result before sending it (so an honest run never hits the frame limit), and the pool
caps whatever a child sends again after parsing it, because after learner code has run the child is not
trusted: a forged result can be malformed, enormous or carry strings that are not valid Unicode. Lists are
cut to their count and strings to their length; lone surrogates become U+FFFD. With every string capped,
a result's text stays well under ``RESULT_TEXT_BYTES``, far below the frame limit of the wire protocol.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import replace
from typing import TypeVar

from sandbox.result import (
    CheckResult,
    FigureImage,
    Graph,
    JsonScalar,
    ModuleInfo,
    RunError,
    RunResult,
    TensorInfo,
)

VALUE_CHARS = 4000
MESSAGE_CHARS = 2000
NAME_CHARS = 100
TYPE_CHARS = 100
PREVIEW_CHARS = 200
WARNING_CHARS = 500
GRAPH_TEXT_CHARS = 20_000
MAX_WARNINGS = 20
MAX_TENSORS = 20
MAX_MODULES = 20
MAX_GRADS = 50
MAX_GRAPH_NODES = 200
MAX_GRAPH_EDGES = 1000
MAX_SHAPE_DIMS = 64
PARAMS_MAX = 20  # a check's fail() parameters travel in the result: few and small
PARAM_NAME_MAX = 40
PARAM_TEXT_MAX = 300
MESSAGE_ID = re.compile(r"[a-z0-9-]{1,64}")
MAX_FIGURES = 4
MAX_FIGURE_SIDE_PX = 1600
MAX_FIGURE_BYTES = 1 << 20  # of PNG; base64 makes it a third more in the result
RESULT_TEXT_BYTES = 1 << 20
"""An upper bound on a capped result's JSON without stdout (checked by a test), for sizing the caches."""

T = TypeVar("T")
_SURROGATE = re.compile("[\ud800-\udfff]")


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    marker = f"… [{len(text) - limit + 1} more characters]"
    keep = max(limit - len(marker), limit // 2)
    return text[:keep] + marker


def clean(text: str, limit: int) -> str:
    """Return ``text`` as valid Unicode (lone surrogates replaced), cut to ``limit`` characters."""
    text = shorten(text, limit)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text


def _maybe(text: str | None, limit: int) -> str | None:
    return None if text is None else clean(text, limit)


def _first(items: tuple[T, ...], count: int) -> tuple[T, ...]:
    return items[:count]


def _shape(shape: tuple[int, ...] | None) -> tuple[int, ...] | None:
    return None if shape is None else tuple(int(size) for size in shape[:MAX_SHAPE_DIMS])


def _tensor(info: TensorInfo) -> TensorInfo:
    return replace(
        info,
        name=clean(info.name, NAME_CHARS),
        shape=_shape(info.shape) or (),
        dtype=clean(info.dtype, TYPE_CHARS),
        device=clean(info.device, TYPE_CHARS),
        grad_fn=_maybe(info.grad_fn, TYPE_CHARS),
        grad=_maybe(info.grad, PREVIEW_CHARS),
        preview=clean(info.preview, PREVIEW_CHARS),
    )


def _module(info: ModuleInfo) -> ModuleInfo:
    grads = {
        clean(name, NAME_CHARS): _maybe(grad, PREVIEW_CHARS)
        for name, grad in list(info.grads.items())[:MAX_GRADS]
    }
    return replace(info, name=clean(info.name, NAME_CHARS), type=clean(info.type, TYPE_CHARS), grads=grads)


def _graph(graph: Graph) -> Graph:
    nodes = tuple(
        replace(
            node,
            label=clean(node.label, TYPE_CHARS),
            kind=clean(node.kind, 8),
            name=_maybe(node.name, NAME_CHARS),
            shape=_shape(node.shape),
        )
        for node in graph.nodes[:MAX_GRAPH_NODES]
    )
    known = {node.id for node in nodes}
    edges = tuple((a, b) for a, b in graph.edges if a in known and b in known)[:MAX_GRAPH_EDGES]
    return Graph(root=clean(graph.root, NAME_CHARS), nodes=nodes, edges=edges)


def _figures(images: tuple[FigureImage, ...]) -> tuple[FigureImage, ...]:
    """Keep the figures that are what the sandbox draws: PNG, within the size limits, base64 text."""
    kept = []
    for image in images[:MAX_FIGURES]:
        sides_ok = all(
            isinstance(side, int) and 0 < side <= MAX_FIGURE_SIDE_PX for side in (image.width, image.height)
        )
        data_ok = isinstance(image.data, str) and len(image.data) <= _BASE64_FIGURE_CHARS
        well_formed = data_ok and _BASE64.fullmatch(image.data)
        if (
            image.format == "png"
            and sides_ok
            and well_formed
            and _is_png_of_size(image.data, image.width, image.height)
        ):
            kept.append(image)
    return tuple(kept)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _is_png_of_size(data: str, width: int, height: int) -> bool:
    """Tell whether base64 ``data`` starts as a PNG of ``width`` x ``height`` (front ends trust the label)."""
    try:
        head = base64.b64decode(data[:32], validate=True)
    except (binascii.Error, ValueError):
        return False
    return (
        head[:8] == _PNG_SIGNATURE
        and head[12:16] == b"IHDR"
        and int.from_bytes(head[16:20], "big") == width
        and int.from_bytes(head[20:24], "big") == height
    )


_BASE64_FIGURE_CHARS = 4 * ((MAX_FIGURE_BYTES + 2) // 3)
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _check(check: CheckResult) -> CheckResult:
    message_id = check.message_id
    if not isinstance(message_id, str) or not MESSAGE_ID.fullmatch(message_id):
        message_id = None
    params: dict[str, JsonScalar] = {}
    for name, value in list(check.params.items())[:PARAMS_MAX] if isinstance(check.params, dict) else ():
        if not isinstance(name, str) or len(name) > PARAM_NAME_MAX:
            continue
        if isinstance(value, str):
            params[name] = clean(value, PARAM_TEXT_MAX)
        elif value is None or isinstance(value, bool | int | float):
            params[name] = value
    return CheckResult(
        passed=check.passed is True,
        message=clean(check.message, MESSAGE_CHARS),
        message_id=message_id,
        params=params if message_id else {},
    )


def cap_result(result: RunResult) -> RunResult:
    """Return ``result`` with every string, list and mapping held to its cap."""
    error = result.error
    check = result.check
    return replace(
        result,
        value=_maybe(result.value, VALUE_CHARS),
        error=None
        if error is None
        else RunError(
            type=clean(error.type, TYPE_CHARS),
            message=clean(error.message, MESSAGE_CHARS),
            line=error.line if isinstance(error.line, int) and not isinstance(error.line, bool) else None,
        ),
        warnings=tuple(clean(text, WARNING_CHARS) for text in _first(result.warnings, MAX_WARNINGS)),
        tensors=tuple(_tensor(info) for info in _first(result.tensors, MAX_TENSORS)),
        modules=tuple(_module(info) for info in _first(result.modules, MAX_MODULES)),
        graph=None if result.graph is None else _graph(result.graph),
        graph_text=_maybe(result.graph_text, GRAPH_TEXT_CHARS),
        figures=_figures(result.figures),
        check=None if check is None else _check(check),
        extra={},
    )
