"""Describe what a run left behind: its tensors, its modules and the autograd graph of its result."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import numpy
import torch

from sandbox.bounds import (
    MAX_GRADS,
    MAX_GRAPH_EDGES,
    MAX_GRAPH_NODES,
    MAX_MODULES,
    MAX_TENSORS,
    PREVIEW_CHARS,
    shorten,
)
from sandbox.result import Graph, GraphNode, ModuleInfo, TensorInfo

PREVIEW_LIMIT = PREVIEW_CHARS
GRAPH_CUT_NOTE = f"… (graph cut at {MAX_GRAPH_NODES} nodes or {MAX_GRAPH_EDGES} edges)"


def learner_items(namespace: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Return the learner's own top-level names and values, in definition order."""
    return [(name, value) for name, value in list(namespace.items()) if not name.startswith("_")]


def tensor_preview(tensor: torch.Tensor, limit: int = PREVIEW_LIMIT) -> str:
    """Return a short, summarised ``repr`` of a tensor."""
    with _print_options(threshold=50, edgeitems=2):
        return shorten(repr(tensor), limit)


def describe_tensors(namespace: Mapping[str, Any]) -> tuple[TensorInfo, ...]:
    """Describe up to 20 tensors bound to top-level names."""
    found: list[TensorInfo] = []
    for name, value in learner_items(namespace):
        if len(found) >= MAX_TENSORS:
            break
        if isinstance(value, torch.Tensor):
            try:
                found.append(_tensor_info(name, value))
            except Exception:
                continue
    return tuple(found)


def _tensor_info(name: str, tensor: torch.Tensor) -> TensorInfo:
    grad_fn = tensor.grad_fn
    # Reading .grad of a non-leaf warns; such tensors only have one when retain_grad() was called.
    grad = tensor.grad if tensor.is_leaf or tensor.retains_grad else None
    return TensorInfo(
        name=name,
        shape=tuple(int(size) for size in tensor.shape),
        dtype=str(tensor.dtype),
        device=str(tensor.device),
        requires_grad=bool(tensor.requires_grad),
        is_leaf=bool(tensor.is_leaf),
        grad_fn=type(grad_fn).__name__ if grad_fn is not None else None,
        grad=tensor_preview(grad) if grad is not None else None,
        preview=tensor_preview(tensor),
    )


def describe_modules(namespace: Mapping[str, Any]) -> tuple[ModuleInfo, ...]:
    """Describe up to 20 ``nn.Module``s bound to top-level names."""
    found: list[ModuleInfo] = []
    for name, value in learner_items(namespace):
        if len(found) >= MAX_MODULES:
            break
        if isinstance(value, torch.nn.Module):
            try:
                found.append(_module_info(name, value))
            except Exception:
                continue
    return tuple(found)


def _module_info(name: str, module: torch.nn.Module) -> ModuleInfo:
    # The unbound base method: a learner's class may override named_parameters().
    params = list(torch.nn.Module.named_parameters(module))
    grads: dict[str, str | None] = {}
    for param_name, param in params[:MAX_GRADS]:
        grads[param_name] = tensor_preview(param.grad) if param.grad is not None else None
    return ModuleInfo(
        name=name,
        type=type(module).__name__,
        parameters=sum(int(param.numel()) for _, param in params),
        trainable=sum(int(param.numel()) for _, param in params if param.requires_grad),
        grads=grads,
    )


def choose_graph_root(
    namespace: Mapping[str, Any], value: Any, has_value: bool
) -> tuple[str, torch.Tensor] | None:
    """Pick the tensor whose graph to draw: the last expression's value, else the latest named one."""
    items = learner_items(namespace)
    if has_value and isinstance(value, torch.Tensor) and value.grad_fn is not None:
        for name, candidate in reversed(items):
            if candidate is value:
                return name, value
        return "_", value
    for name, candidate in reversed(items):
        if isinstance(candidate, torch.Tensor) and candidate.grad_fn is not None:
            return name, candidate
    return None


def _leaf_names(namespace: Mapping[str, Any]) -> dict[int, str]:
    names: dict[int, str] = {}
    for name, value in learner_items(namespace):
        if isinstance(value, torch.Tensor):
            names.setdefault(id(value), name)
        elif isinstance(value, torch.nn.Module):
            for param_name, param in torch.nn.Module.named_parameters(value):
                names.setdefault(id(param), f"{name}.{param_name}")
    return names


def build_graph(root_name: str, tensor: torch.Tensor, namespace: Mapping[str, Any]) -> tuple[Graph, bool]:
    """Walk ``tensor.grad_fn`` into a bounded ``Graph``; also say whether the walk was cut short."""
    leaf_names = _leaf_names(namespace)
    root_fn = tensor.grad_fn
    ids: dict[int, int] = {id(root_fn): 0}
    keep_alive: list[Any] = [root_fn]
    nodes: list[GraphNode] = [GraphNode(id=0, label=type(root_fn).__name__, kind="root", name=root_name)]
    edges: list[tuple[int, int]] = []
    queue: list[Any] = [root_fn]
    cut = False
    while queue:
        fn = queue.pop(0)
        # A real node has a short tuple here; anything longer than the edge budget is cut, even endless.
        following = list(itertools.islice(getattr(fn, "next_functions", ()), MAX_GRAPH_EDGES + 1))
        if len(following) > MAX_GRAPH_EDGES:
            cut = True
            following = following[:MAX_GRAPH_EDGES]
        for next_fn, _index in following:
            if next_fn is None:
                continue
            key = id(next_fn)
            if key not in ids:
                if len(nodes) >= MAX_GRAPH_NODES:
                    cut = True
                    continue
                ids[key] = len(nodes)
                keep_alive.append(next_fn)
                nodes.append(_graph_node(ids[key], next_fn, leaf_names))
                queue.append(next_fn)
            if len(edges) >= MAX_GRAPH_EDGES:
                cut = True
                continue
            edges.append((ids[id(fn)], ids[key]))
    return Graph(root=root_name, nodes=tuple(nodes), edges=tuple(edges)), cut


def _graph_node(node_id: int, fn: Any, leaf_names: Mapping[int, str]) -> GraphNode:
    label = type(fn).__name__
    variable = getattr(fn, "variable", None) if label == "AccumulateGrad" else None
    if isinstance(variable, torch.Tensor):
        return GraphNode(
            id=node_id,
            label=label,
            kind="leaf",
            name=leaf_names.get(id(variable)),
            shape=tuple(int(size) for size in variable.shape),
        )
    return GraphNode(id=node_id, label=label, kind="op")


SUMMARY_THRESHOLD = 1000


@contextlib.contextmanager
def summarised_printing() -> Iterator[None]:
    """Keep the learner's print options, but summarise big tensors and arrays (a value is cut anyway)."""
    threshold = min(torch._tensor_str.PRINT_OPTS.threshold, SUMMARY_THRESHOLD)
    np_threshold = min(numpy.get_printoptions()["threshold"], SUMMARY_THRESHOLD)
    with _print_options(threshold=threshold), numpy.printoptions(threshold=np_threshold):
        yield


@contextlib.contextmanager
def _print_options(**options: Any) -> Iterator[None]:
    """Temporarily change torch's print options, restoring the learner's afterwards."""
    current = torch._tensor_str.PRINT_OPTS
    saved = {name: getattr(current, name) for name in options}
    torch.set_printoptions(**options)  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        torch.set_printoptions(**saved)  # type: ignore[no-untyped-call]
