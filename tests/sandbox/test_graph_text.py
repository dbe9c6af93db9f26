"""Rendering an autograd ``Graph`` as a text tree."""

from __future__ import annotations

from sandbox.graph_text import render_graph
from sandbox.result import Graph, GraphNode


def test_single_root_renders_one_line() -> None:
    graph = Graph(root="out", nodes=(GraphNode(0, "SumBackward0", "root", "out"),), edges=())
    assert render_graph(graph) == "out  SumBackward0"


def test_unnamed_leaf_falls_back_to_its_label() -> None:
    graph = Graph(
        root="_",
        nodes=(GraphNode(0, "MulBackward0", "root", "_"), GraphNode(1, "AccumulateGrad", "leaf", None, (3,))),
        edges=((0, 1),),
    )
    assert render_graph(graph) == "_  MulBackward0\n└─ AccumulateGrad  [3] (leaf)"


def test_siblings_and_shared_nodes_are_marked() -> None:
    graph = Graph(
        root="r",
        nodes=(
            GraphNode(0, "AddBackward0", "root", "r"),
            GraphNode(1, "ExpBackward0", "op"),
            GraphNode(2, "AccumulateGrad", "leaf", "a", (2,)),
        ),
        edges=((0, 1), (0, 2), (1, 2)),
    )
    assert render_graph(graph) == (
        "r  AddBackward0\n├─ ExpBackward0\n│  └─ a  [2] (leaf)\n└─ a  [2] (leaf) (shared, shown above)"
    )


def test_deep_chain_does_not_recurse() -> None:
    depth = 5000
    nodes = (GraphNode(0, "Root", "root", "r"), *(GraphNode(i, "Op", "op") for i in range(1, depth)))
    edges = tuple((i, i + 1) for i in range(depth - 1))
    text = render_graph(Graph(root="r", nodes=nodes, edges=edges))
    assert len(text.splitlines()) == depth


def test_empty_graph_renders_nothing() -> None:
    assert render_graph(Graph(root="_", nodes=(), edges=())) == ""
