"""Tutorial-style snippets run as they would in a plain Python REPL, with exact output."""

from __future__ import annotations

import pytest

from sandbox.result import Status

HANDBOOK = """\
import torch
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad)
"""

NET_STEP = """\
import torch
import torch.nn as nn
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 1)
    def forward(self, x):
        return self.fc(x)
net = Net()
before = net.fc.weight.detach().clone()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
loss = net(torch.ones(4, 3)).pow(2).mean()
opt.zero_grad()
loss.backward()
opt.step()
print(torch.equal(before, net.fc.weight.detach()), sum(p.numel() for p in net.parameters()))
"""

OLD_STYLE_NET = """\
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.fc = nn.Linear(2, 2)
class Old(nn.Module):
    def __init__(self):
        nn.Module.__init__(self)
        self.fc = nn.Linear(2, 3)
print(Net().fc.out_features, Old().fc.out_features)
"""

DATASET = """\
import torch
from torch.utils.data import Dataset, DataLoader
class Squares(Dataset):
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, i):
        return torch.tensor([float(i)]), torch.tensor(i * i)
loader = DataLoader(Squares(10), batch_size=4)
for xb, yb in loader:
    print(tuple(xb.shape), yb.tolist())
"""

TENSOR_DATASET = """\
import torch
from torch.utils.data import TensorDataset, DataLoader, random_split
data = TensorDataset(torch.arange(10.0).unsqueeze(1), torch.arange(10))
train, test = random_split(data, [8, 2])
print(len(train), len(test), [tuple(b[0].shape) for b in DataLoader(train, batch_size=3)])
"""

CUSTOM_FUNCTION = """\
import torch
from torch.autograd import Function
class Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x
    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad
x = torch.tensor(3.0, requires_grad=True)
y = Square.apply(x)
y.backward()
print(y.item(), x.grad.item())
"""

DUNDER_CLASS = """\
class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self):
        self.n += 1
        return self.n
    def __repr__(self):
        return f"Counter({self.n})"
c = Counter()
c(); c()
c
"""

CONTEXT_MANAGER = """\
class Tag:
    def __init__(self, name):
        self.name = name
    def __enter__(self):
        print("<" + self.name + ">")
        return self
    def __exit__(self, *exc):
        print("</" + self.name + ">")
        return False
    def __len__(self):
        return len(self.name)
    def __getitem__(self, i):
        return self.name[i]
    def __iter__(self):
        return iter(self.name)
    def __contains__(self, c):
        return c in self.name
    def __eq__(self, other):
        return self.name == other.name
    def __hash__(self):
        return hash(self.name)
with Tag("b") as t:
    print(len(t), t[0], list(t), "b" in t, t == Tag("b"), len({t, Tag("b")}))
"""

SNIPPETS = [
    pytest.param(
        HANDBOOK, "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])\n", None, id="handbook-autograd"
    ),
    pytest.param(
        HANDBOOK.replace("print(x.grad)", "print(y.grad_fn.name(), z.grad_fn.name(), out.grad_fn.name())"),
        "AddBackward0 MulBackward0 MeanBackward0\n",
        None,
        id="handbook-grad-fn-names",
    ),
    pytest.param(NET_STEP, "False 4\n", None, id="module-sgd-step-changes-weights"),
    pytest.param(OLD_STYLE_NET, "2 3\n", None, id="old-style-super-calls"),
    pytest.param(
        DATASET,
        "(4, 1) [0, 1, 4, 9]\n(4, 1) [16, 25, 36, 49]\n(2, 1) [64, 81]\n",
        None,
        id="dataset-dataloader-batches",
    ),
    pytest.param(TENSOR_DATASET, "8 2 [(3, 1), (3, 1), (2, 1)]\n", None, id="tensordataset-random-split"),
    pytest.param(
        "import torch\nimport torch.nn as nn\nrnn = nn.RNN(input_size=4, hidden_size=8, num_layers=2)\n"
        "out, h = rnn(torch.randn(5, 3, 4))\nprint(tuple(out.shape), tuple(h.shape))",
        "(5, 3, 8) (2, 3, 8)\n",
        None,
        id="rnn-shapes",
    ),
    pytest.param(
        "import torch\nimport torch.nn as nn\nlstm = nn.LSTM(4, 6, batch_first=True)\n"
        "out, (h, c) = lstm(torch.randn(2, 7, 4))\nprint(tuple(out.shape), tuple(h.shape), tuple(c.shape))",
        "(2, 7, 6) (1, 2, 6) (1, 2, 6)\n",
        None,
        id="lstm-shapes",
    ),
    pytest.param(
        "import torch\nimport torch.nn as nn\nnn.GRUCell(3, 5)(torch.randn(2, 3)).shape",
        "",
        "torch.Size([2, 5])",
        id="grucell-shape",
    ),
    pytest.param(
        "import torch\n(torch.arange(3).reshape(3, 1) + torch.arange(4)).shape",
        "",
        "torch.Size([3, 4])",
        id="broadcasting",
    ),
    pytest.param(
        "import torch\nt = torch.arange(12).reshape(3, 4)\nprint(t[1], t[:, 2], t[-1, -1].item(), t[t > 8])",
        "tensor([4, 5, 6, 7]) tensor([ 2,  6, 10]) 11 tensor([ 9, 10, 11])\n",
        None,
        id="indexing",
    ),
    pytest.param(
        "import torch\nx = torch.zeros(3)\nx += 1\nx *= 4\nx -= 1\nx /= 2\nx.add_(1)\nx",
        "",
        "tensor([2.5000, 2.5000, 2.5000])",
        id="in-place-ops",
    ),
    pytest.param(
        "import torch\nt = torch.zeros(2, 2)\nt[0] += 1\nt[1, 1] -= 2\nt",
        "",
        "tensor([[ 1.,  1.],\n        [ 0., -2.]])",
        id="augmented-item-assignment",
    ),
    pytest.param(
        "import torch\na = torch.ones(2, requires_grad=True)\nb = a.detach()\n"
        "print(b.requires_grad, a.requires_grad)",
        "False True\n",
        None,
        id="detach",
    ),
    pytest.param(
        "import torch\nw = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n    y = w * 2\n"
        "print(y.requires_grad, torch.is_grad_enabled())",
        "False True\n",
        None,
        id="no-grad",
    ),
    pytest.param(CUSTOM_FUNCTION, "9.0 6.0\n", None, id="custom-autograd-function"),
    pytest.param(
        "import numpy as np\nimport torch\na = np.ones(3)\nt = torch.from_numpy(a)\n"
        "np.add(a, 1, out=a)\nprint(t)",
        "tensor([2., 2., 2.], dtype=torch.float64)\n",
        None,
        id="from-numpy-shares-memory",
    ),
    pytest.param(
        "import torch\nt = torch.ones(2)\nn = t.numpy()\nn[0] = 5\nt",
        "",
        "tensor([5., 1.])",
        id="numpy-view-shares-memory",
    ),
    pytest.param(
        'name = "torch"\nversion = 2.13\nf"{name} {version:.1f} {name!r}"',
        "",
        "\"torch 2.1 'torch'\"",
        id="f-strings",
    ),
    pytest.param("[i * i for i in range(5) if i % 2 == 0]", "", "[0, 4, 16]", id="list-comprehension"),
    pytest.param(
        '{k: v for k, v in zip("abc", range(3))}', "", "{'a': 0, 'b': 1, 'c': 2}", id="dict-comprehension"
    ),
    pytest.param(
        "import math\nprint(math.sqrt(16), math.pi > 3, math.floor(2.7))", "4.0 True 2\n", None, id="math"
    ),
    pytest.param(
        "import random\nrandom.seed(42)\na = [random.randint(0, 100) for _ in range(3)]\nrandom.seed(42)\n"
        "b = [random.randint(0, 100) for _ in range(3)]\na == b",
        "",
        "True",
        id="random-seed",
    ),
    pytest.param(
        'import collections\nd = collections.OrderedDict()\nd["b"] = 1\nd["a"] = 2\nlist(d)',
        "",
        "['b', 'a']",
        id="ordereddict",
    ),
    pytest.param(
        'from collections import namedtuple\nPoint = namedtuple("Point", ["x", "y"])\n'
        "p = Point(1, 2)\np.x + p.y, p",
        "",
        "(3, Point(x=1, y=2))",
        id="namedtuple",
    ),
    pytest.param(
        'import collections\ncollections.Counter("hello").most_common(1)', "", "[('l', 2)]", id="counter"
    ),
    pytest.param(
        "import itertools\nlist(itertools.product([0, 1], repeat=2))",
        "",
        "[(0, 0), (0, 1), (1, 0), (1, 1)]",
        id="itertools",
    ),
    pytest.param(
        "import torch\ntorch.manual_seed(0)\na = torch.rand(2)\ntorch.manual_seed(0)\n"
        "torch.equal(a, torch.rand(2))",
        "",
        "True",
        id="manual-seed",
    ),
    pytest.param(
        "import torch\nimport torch.nn.functional as F\nF.softmax(torch.tensor([0.0, 0.0]), dim=0)",
        "",
        "tensor([0.5000, 0.5000])",
        id="functional-softmax",
    ),
    pytest.param(
        "import torch\ntorch.cat([torch.ones(2), torch.zeros(2)]), torch.stack([torch.ones(2)] * 3).shape",
        "",
        "(tensor([1., 1., 0., 0.]), torch.Size([3, 2]))",
        id="cat-stack",
    ),
    pytest.param(
        'import torch\ntorch.einsum("ij,jk->ik", torch.eye(2), torch.ones(2, 2))',
        "",
        "tensor([[1., 1.],\n        [1., 1.]])",
        id="einsum",
    ),
    pytest.param(
        "from __future__ import print_function, division\nprint(7 / 2)", "3.5\n", None, id="future-imports"
    ),
    pytest.param(
        "import torch\nfrom torch import nn, optim\n"
        "model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))\n"
        "optimizer = optim.Adam(model.parameters(), lr=1e-3)\n"
        "scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)\n"
        "optimizer.step()\nscheduler.step()\nscheduler.get_last_lr()",
        "",
        "[0.0005]",
        id="adam-lr-scheduler",
    ),
    pytest.param(
        "import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "g, = torch.autograd.grad((x ** 2).sum(), x)\ng",
        "",
        "tensor([2., 4., 6.])",
        id="autograd-grad",
    ),
    pytest.param(
        "import torch.nn as nn\nmodel = nn.Linear(2, 2)\nfor p in model.parameters():\n"
        "    p.requires_grad = False\nsum(p.requires_grad for p in model.parameters())",
        "",
        "0",
        id="freeze-parameters",
    ),
    pytest.param(
        "import torch\nx = torch.ones(1, requires_grad=True)\n(x * 2).backward()\n"
        "x.grad = None\nx.grad is None",
        "",
        "True",
        id="reset-grad",
    ),
    pytest.param(
        'try:\n    int("x")\nexcept ValueError as e:\n    print("caught:", e)',
        "caught: invalid literal for int() with base 10: 'x'\n",
        None,
        id="try-except",
    ),
    pytest.param(
        "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n"
        "        a, b = b, a + b\n    return a\nfib(10)",
        "",
        "55",
        id="tuple-unpacking",
    ),
    pytest.param(DUNDER_CLASS, "", "Counter(2)", id="dunder-call-repr"),
    pytest.param(CONTEXT_MANAGER, "<b>\n1 b ['b'] True True 1\n</b>\n", None, id="dunder-protocols"),
    pytest.param('if __name__ == "__main__":\n    print("script")', "script\n", None, id="main-guard"),
    pytest.param("import torch\ntorch.tensor([1, 2]).float().mean()", "", "tensor(1.5000)", id="mean"),
    pytest.param("print('a', 'b', sep='-', end='!')\nprint()", "a-b!\n", None, id="print-sep-end"),
    pytest.param("x: int = 5\nx", "", "5", id="annotated-assignment"),
    pytest.param("'{:>5}|{:<3}|'.format('ab', 1)", "", "'   ab|1  |'", id="str-format"),
    pytest.param(
        "import torch\nprint(torch.cuda.is_available())\ndevice = torch.device('cpu')\ndevice",
        "False\n",
        "device(type='cpu')",
        id="device-selection",
    ),
    pytest.param("print(1)\nNone", "1\n", None, id="none-value-is-null"),
]


@pytest.mark.parametrize(("code", "stdout", "value"), SNIPPETS)
def test_snippet_runs_like_python(run, code: str, stdout: str, value: str | None) -> None:
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.stdout == stdout
    assert result.value == value


def test_grad_fn_as_last_expression_is_the_value(run) -> None:
    result = run("import torch\nx = torch.ones(2, 2, requires_grad=True)\ny = x + 2\ny.grad_fn")
    assert result.value is not None
    assert result.value.startswith("<AddBackward0")


def test_in_place_modification_autograd_error_names_its_line(run) -> None:
    result = run(
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = x.exp()\ny.add_(1)\ny.sum().backward()\n"
    )
    assert result.status is Status.ERROR
    assert result.error is not None
    assert result.error.type == "RuntimeError"
    assert "modified by an inplace operation" in result.error.message
    assert result.error.line == 5


def test_error_line_points_into_the_learners_function(run) -> None:
    result = run("def f(d):\n    return d['missing']\n\nf({})")
    assert result.error is not None
    assert (result.error.type, result.error.message, result.error.line) == ("KeyError", "'missing'", 2)


def test_warnings_are_captured_as_category_and_message(run) -> None:
    result = run("import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.grad")
    assert result.status is Status.OK
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("UserWarning: The .grad attribute of a Tensor that is not a leaf")
