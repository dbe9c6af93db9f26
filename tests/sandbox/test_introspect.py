"""What a run reports about the tensors, modules and autograd graph it left behind."""

from __future__ import annotations

import itertools

import pytest

from sandbox.bounds import MAX_GRAPH_EDGES
from sandbox.introspect import build_graph
from sandbox.result import GraphNode, Status

HANDBOOK = """\
import torch
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
"""

HANDBOOK_TEXT = """\
out  MeanBackward0
└─ MulBackward0
   └─ MulBackward0
      ├─ AddBackward0
      │  └─ x  [2, 2] (leaf)
      └─ AddBackward0 (shared, shown above)"""


def test_tensors_are_listed_in_definition_order(run) -> None:
    result = run(HANDBOOK)
    assert [t.name for t in result.tensors] == ["x", "y", "z", "out"]


def test_leaf_tensor_fields(run) -> None:
    x = run(HANDBOOK).tensors[0]
    assert (x.shape, x.dtype, x.device, x.requires_grad, x.is_leaf, x.grad_fn) == (
        (2, 2),
        "torch.float32",
        "cpu",
        True,
        True,
        None,
    )
    assert x.grad == "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"
    assert x.preview == "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"


def test_non_leaf_tensor_fields(run) -> None:
    out = run(HANDBOOK).tensors[3]
    assert (out.shape, out.is_leaf, out.grad_fn, out.grad) == ((), False, "MeanBackward0", None)
    assert out.preview == "tensor(27., grad_fn=<MeanBackward0>)"


def test_tensor_list_is_capped_at_twenty(run) -> None:
    code = "import torch\n" + "\n".join(f"t{i} = torch.zeros({i + 1})" for i in range(25))
    result = run(code)
    assert [t.name for t in result.tensors] == [f"t{i}" for i in range(20)]


def test_underscore_and_non_tensor_names_are_not_listed(run) -> None:
    result = run("import torch\n_ = torch.ones(1)\nn = 3\nt = torch.ones(1)")
    assert [t.name for t in result.tensors] == ["t"]


def test_tensor_preview_is_short_for_big_tensors(run) -> None:
    result = run("import torch\nbig = torch.arange(100000.0).reshape(100, 1000)")
    assert len(result.tensors[0].preview) <= 200
    assert "..." in result.tensors[0].preview


def test_tensors_are_reported_even_when_the_code_fails(run) -> None:
    result = run("import torch\nx = torch.ones(3)\nraise ValueError('later')")
    assert result.status is Status.ERROR
    assert [t.name for t in result.tensors] == ["x"]


def test_module_summary(run) -> None:
    code = (
        "import torch\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.fc1 = nn.Linear(3, 4)\n        self.fc2 = nn.Linear(4, 1)\n"
        "    def forward(self, x):\n        return self.fc2(self.fc1(x))\n"
        "net = Net()\nnet.fc1.weight.requires_grad = False\nnet(torch.ones(2, 3)).sum().backward()\n"
    )
    (module,) = run(code).modules
    assert (module.name, module.type, module.parameters, module.trainable) == ("net", "Net", 21, 9)
    assert list(module.grads) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert module.grads["fc1.weight"] is None
    assert module.grads["fc2.bias"] == "tensor([2.])"


def test_graph_root_is_the_most_recent_tensor_with_a_grad_fn(run) -> None:
    graph = run(HANDBOOK).graph
    assert graph is not None
    assert graph.root == "out"
    assert graph.nodes[0] == GraphNode(id=0, label="MeanBackward0", kind="root", name="out")


def test_graph_nodes_and_edges_follow_next_functions(run) -> None:
    graph = run(HANDBOOK).graph
    assert graph is not None
    assert [(n.label, n.kind) for n in graph.nodes] == [
        ("MeanBackward0", "root"),
        ("MulBackward0", "op"),
        ("MulBackward0", "op"),
        ("AddBackward0", "op"),
        ("AccumulateGrad", "leaf"),
    ]
    assert graph.edges == ((0, 1), (1, 2), (2, 3), (2, 3), (3, 4))


def test_graph_leaf_carries_variable_name_and_shape(run) -> None:
    graph = run(HANDBOOK).graph
    assert graph is not None
    assert graph.nodes[-1] == GraphNode(id=4, label="AccumulateGrad", kind="leaf", name="x", shape=(2, 2))


def test_graph_of_an_unnamed_last_expression_is_rooted_at_underscore(run) -> None:
    result = run("import torch\nw = torch.ones(3, requires_grad=True)\n(w * 2).sum()")
    assert result.graph is not None
    assert result.graph.root == "_"
    assert result.graph_text == "_  SumBackward0\n└─ MulBackward0\n   └─ w  [3] (leaf)"


def test_graph_of_a_named_last_expression_uses_its_name(run) -> None:
    result = run("import torch\nw = torch.ones(3, requires_grad=True)\ns = (w * 2).sum()\nlater = w + 1\ns")
    assert result.graph is not None
    assert result.graph.root == "s"


def test_module_parameters_are_named_leaves(run) -> None:
    result = run("import torch\nimport torch.nn as nn\nnet = nn.Linear(3, 2)\nnet(torch.ones(4, 3)).sum()")
    assert result.graph_text == (
        "_  SumBackward0\n└─ AddmmBackward0\n   ├─ net.bias  [2] (leaf)\n   └─ TBackward0\n"
        "      └─ net.weight  [2, 3] (leaf)"
    )


def test_handbook_graph_text(run) -> None:
    assert run(HANDBOOK).graph_text == HANDBOOK_TEXT


def test_no_graph_without_grad_fn(run) -> None:
    result = run("import torch\nx = torch.ones(2)\ny = x * 2")
    assert (result.graph, result.graph_text) == (None, None)


def test_huge_graph_is_cut(run) -> None:
    result = run(
        "import torch\nx = torch.ones(1, requires_grad=True)\ny = x\nfor i in range(500):\n    y = y * 1.01"
    )
    assert result.graph is not None
    assert len(result.graph.nodes) == 200
    assert result.graph_text is not None
    assert result.graph_text.endswith("… (graph cut at 200 nodes or 1000 edges)")


def test_value_of_a_huge_tensor_is_summarised(run) -> None:
    result = run("import torch\ntorch.zeros(1000, 1000)")
    assert result.value is not None
    assert "..." in result.value
    assert len(result.value) < 1000


class _EndlessNode:
    """A stand-in for a grad_fn whose next_functions never ends (only learner objects could do this)."""

    @property
    def next_functions(self):
        return itertools.repeat((self, 0))


class _Holder:
    grad_fn = _EndlessNode()


def test_graph_walk_cuts_endless_next_functions() -> None:
    graph, cut = build_graph("out", _Holder(), {})  # type: ignore[arg-type]
    assert cut
    assert len(graph.edges) <= MAX_GRAPH_EDGES


NAMED_MODULES_EXITS = """\
import torch
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def named_modules(self, *args, **kwargs):
        raise {exception}("stop")

net = Net()
x = torch.ones(2)
print("done")
"""


@pytest.mark.parametrize("exception", ["SystemExit", "KeyboardInterrupt"])
def test_learner_exit_while_modules_are_described_is_a_warning(run, exception: str) -> None:
    result = run(NAMED_MODULES_EXITS.format(exception=exception), check="assert x.sum().item() == 2")
    assert result.status is Status.OK
    assert result.stdout == "done\n"
    assert [t.name for t in result.tensors] == ["x"]
    assert result.modules == ()
    assert any("modules" in w and exception in w for w in result.warnings), result.warnings
    assert result.check is not None and result.check.passed
