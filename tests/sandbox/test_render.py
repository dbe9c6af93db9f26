"""PNG rendering of the autograd graph with Graphviz, outside the sandbox child."""

from __future__ import annotations

import shutil

import pytest

from sandbox.render import render_png, to_dot
from sandbox.result import Graph, GraphNode

GRAPH = Graph(
    root="out",
    nodes=(
        GraphNode(id=0, label="MeanBackward0", kind="root", name="out", shape=()),
        GraphNode(id=1, label="MulBackward0", kind="op"),
        GraphNode(id=2, label="AccumulateGrad", kind="leaf", name="x", shape=(2, 2)),
    ),
    edges=((0, 1), (1, 2)),
)


def test_dot_source_names_leaves_with_shapes_and_ops_by_grad_fn():
    source = to_dot(GRAPH)
    assert 'label="x\\n(2, 2)"' in source
    assert 'label="MulBackward0"' in source
    assert 'label="out\\nMeanBackward0\\n()"' in source
    assert "n1 -> n0;" in source and "n2 -> n1;" in source


def test_labels_are_escaped():
    graph = Graph(root='a"b', nodes=(GraphNode(id=0, label='q"\\', kind="op"),), edges=())
    assert 'label="q\\"\\\\"' in to_dot(graph)


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_renders_a_png():
    png = render_png(GRAPH)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_graphviz_gives_none(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert render_png(GRAPH) is None


def test_broken_graphviz_gives_none(tmp_path):
    fake = tmp_path / "dot"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    assert render_png(GRAPH, dot=str(fake)) is None
