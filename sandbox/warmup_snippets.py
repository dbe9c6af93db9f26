"""Trusted snippets run through the whole execute path before fork, so every lazy import happens early."""

from __future__ import annotations

from sandbox.result import RunRequest

# Modules torch and numpy import lazily from inside functions tutorials call (np.unique imports numpy.ma).
PRELOAD = (
    "numpy.ma",
    "torch.nn.init",
    "torch.optim.lr_scheduler",
    "torch.utils.data.dataloader",
    "torch.autograd.functional",
    "torch.distributions",
    "torch.testing",
    "encodings.latin_1",
    "encodings.utf_16",
    "encodings.ascii",
    "_strptime",
)

_TOUR = """
from __future__ import print_function
import math, random, itertools, collections
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import Dataset, DataLoader, TensorDataset, random_split
from torch.autograd import Function

torch.manual_seed(0)
random.seed(0)
np.random.seed(0)
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
print(x.grad, y.grad_fn, torch.arange(5, dtype=torch.int64), torch.tensor([True]))
print(torch.zeros(2, dtype=torch.complex64), torch.zeros(1, dtype=torch.float64), torch.zeros(1).half())
print(f"{out.item():.3f}", "{} {:.2f}".format(1, 2.0), math.sqrt(2))
print(list(itertools.islice(itertools.count(), 3)))
Point = collections.namedtuple("Point", ["a", "b"])
print(Point(1, 2), collections.Counter("aab"), collections.OrderedDict(a=1), collections.deque([1]))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)
        self.pool = nn.MaxPool2d(2)
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(8, 3)

    def forward(self, inputs):
        h = self.pool(F.relu(self.bn(self.conv(inputs))))
        return self.fc(self.drop(torch.flatten(h, 1)))


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return torch.randn(1, 4, 4), i % 3


class Cube(Function):
    @staticmethod
    def forward(ctx, value):
        ctx.save_for_backward(value)
        return value ** 3

    @staticmethod
    def backward(ctx, grad):
        (value,) = ctx.saved_tensors
        return 3 * value ** 2 * grad


net = Net()
nn.init.xavier_uniform_(net.fc.weight)
for make in (optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad):
    opt = make(net.parameters(), lr=0.01)
    sched = lr_scheduler.StepLR(opt, step_size=1)
    for images, labels in DataLoader(Squares(8), batch_size=4, shuffle=True):
        opt.zero_grad()
        loss = F.cross_entropy(net(images), torch.as_tensor(labels))
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
    sched.step()
train, test = random_split(TensorDataset(torch.randn(6, 2), torch.randn(6)), [4, 2])
for batch in DataLoader(train, batch_size=2):
    pass
seq = torch.randn(3, 2, 4)
for cell in (nn.RNN(4, 5), nn.LSTM(4, 5, batch_first=True), nn.GRU(4, 5, num_layers=2)):
    cell(seq)
nn.LSTMCell(4, 5)(seq[0])
nn.Embedding(10, 3)(torch.tensor([1, 2]))
nn.TransformerEncoderLayer(d_model=4, nhead=2, dim_feedforward=8)(seq)
packed = nn.utils.rnn.pack_padded_sequence(seq, [3, 2], batch_first=False)
nn.Sequential(nn.Linear(4, 2), nn.Tanh(), nn.Sigmoid(), nn.Softmax(dim=1))(torch.randn(2, 4))
F.mse_loss(torch.randn(3), torch.randn(3))
F.nll_loss(F.log_softmax(torch.randn(2, 3), dim=1), torch.tensor([0, 1]))
nn.BCEWithLogitsLoss()(torch.randn(3), torch.rand(3))
nn.CrossEntropyLoss()(torch.randn(2, 3), torch.tensor([0, 2]))
c = torch.tensor(2.0, requires_grad=True)
Cube.apply(c).backward()
torch.autograd.grad((c * c), c)
with torch.no_grad():
    w = torch.linalg.inv(torch.eye(3) * 2) @ torch.randn(3, 3)
torch.fft.fft(torch.randn(4))
torch.einsum("ij,jk->ik", w, w)
torch.distributions.Normal(0.0, 1.0).sample((2,))
a = np.arange(6.0).reshape(2, 3)
t = torch.from_numpy(a)
t.numpy()[0, 0] = 7.0
print(t.sum().item(), np.linalg.norm(a), np.random.rand(2).shape, a @ a.T, np.float32(1.5))
print(np.unique(np.array([2, 1, 2])), np.std(a), np.random.default_rng(0).normal(size=2))
sorted([3, 1, 2]); list(zip(range(2), "ab")); dict(enumerate("ab"))
x.detach().clone().zero_()
torch.randn(100, 100)
out
"""

_STDLIB_TOUR = """
import copy, time, functools, operator, string, statistics, typing, re, json, datetime, io
from dataclasses import dataclass, field, asdict
from enum import Enum, auto
from torch.utils.checkpoint import checkpoint


class Color(Enum):
    RED = auto()


@dataclass
class Point:
    x: int
    tags: list = field(default_factory=list)


class Pair(typing.NamedTuple):
    a: int


x = torch.ones(2, requires_grad=True)
checkpoint(lambda t: (t * 2).sum(), x, use_reentrant=False).backward()
copy.deepcopy([Point(1), nn.Linear(2, 2).state_dict()])
time.strptime("2024-01-02", "%Y-%m-%d"), datetime.datetime.strptime("2024", "%Y"), time.localtime()
functools.reduce(operator.add, [1, 2]), sorted([(1, 2)], key=operator.itemgetter(1))
statistics.stdev([1.0, 2.0])
re.sub(r"(\\w+)", lambda m: m.group(1).upper(), "a b"), json.loads(json.dumps({"a": [1.5]}, indent=2))
asdict(Point(2)), list(Color), Pair(1), string.Template("$a").substitute(a=1), io.BytesIO(b"x").getvalue()
torch.__version__, type(x).__name__, hash("x"), id(x), next(iter([1])), max([1, 2]), min(1, 2)
"""

_FIGURE_TOUR = """
import io
import matplotlib
import matplotlib.pyplot as plt
from matplotlib import colors, cm

plt.rcParams["figure.figsize"] = (6, 4)
x = torch.linspace(0, 6.28, 50)
fig, axes = plt.subplots(1, 2)
axes[0].plot(x, torch.sin(x), label="sin")
axes[0].plot(x.numpy(), np.cos(x.numpy()), "r--", label="cos")
axes[0].legend()
axes[0].set_title("损失 loss")
image = axes[1].imshow(torch.rand(28, 28), cmap="gray")
fig.colorbar(image, ax=axes[1])
plt.tight_layout()
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
plt.show()
plt.figure()
plt.hist(np.random.randn(100), bins=10)
plt.scatter([1, 2], [3, 4], c=[0.1, 0.9], cmap=cm.viridis)
plt.bar(["a", "b"], [1, 2])
plt.xlabel("x")
plt.ylabel("y")
plt.title("$x^2$")
plt.grid(True)
plt.figure()
plt.imshow(torch.rand(1, 28, 28).squeeze(), cmap="gray")
plt.axis("off")
"""

FIGURE_WARM_UP_RUNS: tuple[RunRequest, ...] = (RunRequest(code=_FIGURE_TOUR),)

WARM_UP_RUNS: tuple[RunRequest, ...] = (
    RunRequest(code=_STDLIB_TOUR),
    RunRequest(code=_TOUR, setup="import torch\nbase = torch.zeros(1)\n", check="assert out.item() == 27.0"),
    RunRequest(
        code="import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.sum().backward()\n1/0"
    ),
    RunRequest(code="import os"),
    RunRequest(code="import torch\ntorch.load('x')"),
    RunRequest(code="def broken(:\n    pass"),
    RunRequest(
        code="print('x' * 100)",
    ),
)
