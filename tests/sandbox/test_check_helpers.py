"""The helpers a lesson check may call read modules and optimizers without running learner code."""

from __future__ import annotations

from sandbox.result import Status

LYING_MODULE = """\
import torch
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
        self.head = nn.Linear(4, 1)

    def named_modules(self, *args, **kwargs):
        return iter([])

    def modules(self):
        return iter([])

    def parameters(self, recurse=True):
        return iter([])

    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

net = Net()
"""


def test_submodules_walks_the_real_tree_whatever_the_class_overrides(run) -> None:
    check = (
        "names = [type(m).__name__ for m in submodules(net)]\n"
        "assert names == ['Net', 'Sequential', 'Linear', 'ReLU', 'Linear'], names\n"
        "assert list(net.modules()) == []\n"
    )
    result = run(LYING_MODULE, check=check)
    assert result.status is Status.OK
    assert result.check is not None and result.check.passed, result.check


def test_parameters_of_matches_the_unoverridden_order(run) -> None:
    check = (
        "shapes = [tuple(p.shape) for p in parameters_of(net)]\n"
        "assert shapes == [(4, 3), (4,), (1, 4), (1,)], shapes\n"
        "assert parameters_of(3) == []\n"
    )
    result = run(LYING_MODULE, check=check)
    assert result.check is not None and result.check.passed, result.check


def test_optimizer_steps_counts_real_steps_only(run) -> None:
    code = """\
import torch
w = torch.zeros(2, requires_grad=True)
stepped = torch.optim.SGD([w], lr=0.1)
idle = torch.optim.Adam([w], lr=0.1)
for _ in range(3):
    stepped.zero_grad()
    (w - 1).pow(2).sum().backward()
    stepped.step()
"""
    check = (
        "assert optimizer_steps(stepped) == 3, optimizer_steps(stepped)\n"
        "assert optimizer_steps(idle) == 0\n"
        "assert optimizer_steps(object()) == 0\n"
        "assert builtin_optimizer(stepped) and not builtin_optimizer(w)\n"
    )
    result = run(code, check=check)
    assert result.check is not None and result.check.passed, result.check


def test_a_learner_optimizer_subclass_is_not_builtin(run) -> None:
    code = """\
import torch
w = torch.zeros(2, requires_grad=True)

class Lazy(torch.optim.SGD):
    def step(self, closure=None):
        return None

opt = Lazy([w], lr=0.1)
opt.step()
"""
    result = run(code, check="assert not builtin_optimizer(opt)")
    assert result.check is not None and result.check.passed, result.check


def test_learner_names_cannot_replace_the_helpers(run) -> None:
    code = "def submodules(model):\n    return ['fake']\nimport torch\nm = torch.nn.Linear(1, 1)"
    result = run(code, check="assert len(submodules(m)) == 1 and submodules(m)[0] is m")
    assert result.check is not None and result.check.passed, result.check
