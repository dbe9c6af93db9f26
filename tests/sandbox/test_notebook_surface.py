"""Handbook-style cells that used to be refused: versions, __name__, submodules, stdlib, ready names."""

from __future__ import annotations

import pytest

from sandbox.result import Status


@pytest.mark.parametrize(
    ("code", "value"),
    [
        pytest.param("import torch\ntorch.__version__", "'2.13.0'", id="torch-version"),
        pytest.param("import numpy as np\ntype(np.__version__).__name__", "'str'", id="numpy-version-is-str"),
        pytest.param("x = torch.ones(1)\ntype(x).__name__", "'Tensor'", id="type-name"),
        pytest.param("class Net(nn.Module):\n    pass\nNet.__name__", "'Net'", id="class-name"),
        pytest.param("class A:\n    class B:\n        pass\nA.B.__qualname__", "'A.B'", id="qualname"),
        pytest.param("def f():\n    'Add one.'\nf.__doc__", "'Add one.'", id="doc"),
        pytest.param("def f():\n    pass\nf.__doc__ is None", "True", id="missing-doc-is-none"),
        pytest.param("nn.Linear.__module__", "'torch.nn.modules.linear'", id="module"),
        pytest.param(
            "F.relu.__name__, np.__name__, F.__name__", "('relu', 'numpy', 'torch.nn.functional')", id="names"
        ),
        pytest.param(
            "getattr(nn.Linear, '__name__'), hasattr(torch.ones(1), '__name__')",
            "('Linear', False)",
            id="getattr",
        ),
    ],
)
def test_plain_string_dunders_are_readable(run, code: str, value: str) -> None:
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == value


SUBMODULE_SPELLINGS = [
    "import torch.nn.functional as G\nG is F",
    "from torch.autograd.function import Function\nFunction is torch.autograd.Function",
    "from torch.utils.data import DataLoader, TensorDataset\nDataLoader is torch.utils.data.DataLoader",
    "import torch.nn.init\ntorch.nn.init is nn.init",
    "import torch.optim.lr_scheduler as sched\nsched.StepLR is optim.lr_scheduler.StepLR",
    "from torch.utils.checkpoint import checkpoint\ncallable(checkpoint)",
    "import torch.utils.checkpoint\ncallable(torch.utils.checkpoint.checkpoint)",
    "from torch.nn.parameter import Parameter\nParameter is nn.Parameter",
    "from torch.optim.optimizer import Optimizer\nOptimizer is optim.Optimizer",
    "from torch.utils.data.dataset import Dataset\nDataset is torch.utils.data.Dataset",
    "from torch.utils.data.dataloader import DataLoader\nDataLoader is torch.utils.data.DataLoader",
    "from torch.utils.data.sampler import RandomSampler\ncallable(RandomSampler)",
    "from torch import nn, optim\nfrom torch.nn import functional as G\nG is F",
]


@pytest.mark.parametrize("code", SUBMODULE_SPELLINGS)
def test_submodule_imports_work_however_spelled(run, code: str) -> None:
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "True"


def test_checkpoint_runs_a_learner_function(run) -> None:
    code = (
        "from torch.utils.checkpoint import checkpoint\nx = torch.ones(2, requires_grad=True)\n"
        "y = checkpoint(lambda t: (t * 3).sum(), x, use_reentrant=False)\ny.backward()\nx.grad"
    )
    assert run(code).value == "tensor([3., 3.])"


STDLIB = [
    pytest.param(
        "import copy\nw = {'a': torch.ones(1)}\nc = copy.deepcopy(w)\nc['a'] += 1\nw['a']",
        "tensor([1.])",
        id="copy",
    ),
    pytest.param(
        "import time\nt = time.perf_counter()\ntime.sleep(0.01)\ntime.perf_counter() - t > 0.005",
        "True",
        id="time",
    ),
    pytest.param(
        "import functools, operator\nfunctools.reduce(operator.mul, [1, 2, 3, 4])",
        "24",
        id="functools-operator",
    ),
    pytest.param(
        "import operator\nsorted([(1, 'b'), (0, 'a')], key=operator.itemgetter(1))",
        "[(0, 'a'), (1, 'b')]",
        id="itemgetter",
    ),
    pytest.param(
        "import string\nstring.ascii_lowercase[:5], string.capwords('a b')", "('abcde', 'A B')", id="string"
    ),
    pytest.param(
        "import statistics\nstatistics.mean([1, 2, 3]), statistics.median([3, 1, 2])",
        "(2, 2)",
        id="statistics",
    ),
    pytest.param(
        "from typing import List, Optional\ndef f(x: Optional[List[int]] = None) -> int:\n    return 1\nf()",
        "1",
        id="typing",
    ),
    pytest.param(
        "from dataclasses import dataclass, field\n@dataclass\nclass P:\n    x: int\n"
        "    y: list = field(default_factory=list)\nP(1)",
        "P(x=1, y=[])",
        id="dataclasses",
    ),
    pytest.param(
        "from enum import Enum\nclass C(Enum):\n    RED = 1\n    BLUE = 2\n"
        "C.RED, C(2).name, [c.value for c in C]",
        "(<C.RED: 1>, 'BLUE', [1, 2])",
        id="enum",
    ),
    pytest.param(
        "import re\nre.findall(r'\\d+', 'a1b22'), re.sub('a', 'o', 'banana')",
        "(['1', '22'], 'bonono')",
        id="re",
    ),
    pytest.param(
        "import json\njson.dumps({'a': [1, 2]}), json.loads('{\"b\": 1}')",
        "('{\"a\": [1, 2]}', {'b': 1})",
        id="json",
    ),
    pytest.param(
        "import datetime\ndatetime.date(2024, 1, 2).isoformat(), datetime.timedelta(hours=1).total_seconds()",
        "('2024-01-02', 3600.0)",
        id="datetime",
    ),
    pytest.param(
        "from typing import NamedTuple\nclass Q(NamedTuple):\n    a: int\n    b: str = 'x'\nQ(1), Q(1).b",
        "(Q(a=1, b='x'), 'x')",
        id="typing-namedtuple",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=None)\ndef fib(n):\n"
        "    return n if n < 2 else fib(n - 1) + fib(n - 2)\nfib(30)",
        "832040",
        id="lru-cache",
    ),
]


@pytest.mark.parametrize(("code", "value"), STDLIB)
def test_standard_modules_tutorials_use_work(run, code: str, value: str) -> None:
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == value


def test_ready_names_are_bound_without_imports(run) -> None:
    result = run(
        "x = torch.ones(2, 2, requires_grad=True)\n(F.relu(-x).sum().item(), nn.Linear, optim.SGD, np.pi > 3)"
    )
    assert result.status is Status.OK, result.error
    assert (
        result.value == "(0.0, <class 'torch.nn.modules.linear.Linear'>, <class 'torch.optim.sgd.SGD'>, True)"
    )


def test_explicit_imports_still_work_beside_ready_names(run) -> None:
    result = run("import numpy as np\nimport torch.nn as nn\nnp.zeros(1).shape, nn.ReLU()")
    assert result.value == "((1,), ReLU())"


def test_ready_names_are_not_reported_as_tensors_or_modules(run) -> None:
    result = run("x = torch.ones(1)")
    assert [tensor.name for tensor in result.tensors] == ["x"]
    assert result.modules == ()


def test_notebook_magic_lines_are_ignored(run) -> None:
    result = run("%matplotlib inline\n%config InlineBackend.figure_format = 'retina'\nx = 1\nx")
    assert result.status is Status.OK, result.error
    assert result.value == "1"
