"""The helpers a lesson probe may call read modules and optimizers without running learner code.

A probe runs in the learner's child, where the learner's objects are; the check reads what it bound.
"""

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
    probe = "names = [type(m).__name__ for m in submodules(net)]\nclaimed = len(list(net.modules()))\n"
    check = "assert names == ['Net', 'Sequential', 'Linear', 'ReLU', 'Linear'], names\nassert claimed == 0\n"
    result = run(LYING_MODULE, check=check, probe=probe)
    assert result.status is Status.OK
    assert result.check is not None and result.check.passed, result.check


def test_parameters_of_matches_the_unoverridden_order(run) -> None:
    probe = "shapes = [tuple(p.shape) for p in parameters_of(net)]\nnone = parameters_of(3)\n"
    check = "assert shapes == [(4, 3), (4,), (1, 4), (1,)], shapes\nassert none == []\n"
    result = run(LYING_MODULE, check=check, probe=probe)
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
    probe = (
        "steps = [optimizer_steps(stepped), optimizer_steps(idle), optimizer_steps(object())]\n"
        "builtin = [builtin_optimizer(stepped), builtin_optimizer(w)]\n"
    )
    check = "assert steps == [3, 0, 0], steps\nassert builtin == [True, False]\n"
    result = run(code, check=check, probe=probe)
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
    result = run(code, probe="builtin = builtin_optimizer(opt)", check="assert not builtin")
    assert result.check is not None and result.check.passed, result.check


def test_learner_names_cannot_replace_the_helpers(run) -> None:
    code = "def submodules(model):\n    return ['fake']\nimport torch\nm = torch.nn.Linear(1, 1)"
    probe = "found = submodules(m)\nreal = len(found) == 1 and found[0] is m"
    result = run(code, probe=probe, check="assert real")
    assert result.check is not None and result.check.passed, result.check
