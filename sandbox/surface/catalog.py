"""The curated surface: which parts of torch, numpy and the allowed standard modules learners see.

- ``torch``, ``torch.nn.functional`` and ``numpy``: exactly the names ``classified`` allows (every public
  name is reviewed there); ``numpy.ndarray`` is the safe stand-in of ``views``.
- torch's submodules ``nn`` (layers, ``Module``, ``Parameter``, ``functional``, ``init``,
  ``utils``/``utils.rnn``; no ``DataParallel``), ``optim`` (+ ``lr_scheduler``),
  ``autograd`` (``AUTOGRAD_NAMES`` + ``functional``), ``utils.data`` (``DATA_NAMES`` and a ``DataLoader``
  without workers), ``linalg``, ``fft``, ``special``, ``distributions``, ``random``; fakes for ``cuda``,
  ``backends``, ``accelerator`` (no GPU) and ``testing.assert_close``. Everything else is refused, with the
  reasons in ``reasons.TORCH``/``TORCH_UTILS``/``TORCH_AUTOGRAD`` or "outside the tutorial surface".
- numpy's submodules ``random``, ``linalg``, ``fft``.
- ``math``, ``random``, ``itertools``, ``collections`` (+ ``abc``): every public name.
Attributes of the objects learners hold (tensors, arrays, modules...) are decided by ``native``'s rules.
"""

from __future__ import annotations

import collections
import collections.abc
import itertools
import math
import random
import types
from typing import Any

import numpy
import torch
import torch.autograd.functional
import torch.distributions
import torch.fft
import torch.linalg
import torch.nn
import torch.nn.functional
import torch.nn.init
import torch.nn.utils
import torch.nn.utils.rnn
import torch.optim
import torch.optim.lr_scheduler
import torch.special
import torch.testing
import torch.utils.data

from sandbox.policy.errors import deny
from sandbox.surface import classified, reasons
from sandbox.surface.names import name_set
from sandbox.surface.proxy import ModuleProxy, Rule, is_absent, namespace
from sandbox.surface.views import NdarrayView

NOT_CLASSIFIED = "it has not been reviewed for this sandbox's version of the library"

AUTOGRAD_NAMES = name_set(
    """
    grad backward Function Variable gradcheck gradgradcheck no_grad enable_grad set_grad_enabled
    inference_mode detect_anomaly set_detect_anomaly
    """
)

DATA_NAMES = name_set(
    """
    Dataset IterableDataset TensorDataset ConcatDataset ChainDataset StackDataset Subset random_split
    Sampler SequentialSampler RandomSampler SubsetRandomSampler WeightedRandomSampler BatchSampler
    default_collate default_convert get_worker_info
    """
)

WORKERS = "worker processes cannot start in the sandbox; use num_workers=0"


def _classified(allowed: frozenset[str], refused: dict[str, str]) -> Rule:
    """Allow the reviewed names only; a name that is neither allowed nor refused was never reviewed."""

    def rule(name: str, value: Any) -> str | None:
        if name in refused:
            return refused[name]
        if name in allowed or is_absent(value):
            return None
        return NOT_CLASSIFIED

    return rule


def _public(denied: dict[str, str] | None = None) -> Rule:
    """Allow every public attribute that is not a module, except the ``denied`` ones."""
    table = denied or {}

    def rule(name: str, value: Any) -> str | None:
        if name in table:
            return table[name]
        if isinstance(value, types.ModuleType):
            return reasons.OUTSIDE
        return None

    return rule


def _only(allowed: frozenset[str], denied: dict[str, str] | None = None) -> Rule:
    """Allow the ``allowed`` names only; refuse the ``denied`` ones with their reasons."""
    table = denied or {}

    def rule(name: str, value: Any) -> str | None:
        if name in table:
            return table[name]
        if name in allowed or is_absent(value):
            return None
        return reasons.OUTSIDE

    return rule


class DataLoader(torch.utils.data.DataLoader):  # type: ignore[type-arg]
    """``torch.utils.data.DataLoader`` without worker processes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.num_workers:
            deny(f"DataLoader(num_workers={self.num_workers}) is not available here: {WORKERS}")

    def _get_iterator(self) -> Any:
        if self.num_workers:
            deny(f"DataLoader(num_workers={self.num_workers}) is not available here: {WORKERS}")
        return super()._get_iterator()


DataLoader.__module__ = "torch.utils.data"
DataLoader.__qualname__ = "DataLoader"


def _no_gpu(name: str, values: dict[str, Any]) -> ModuleProxy:
    return namespace(name, values, reasons.GPU)


def build_proxies() -> dict[str, ModuleProxy]:
    """Build the proxy of every importable module, keyed by its dotted name."""
    rnn = ModuleProxy("torch.nn.utils.rnn", torch.nn.utils.rnn, _public())
    nn_utils = ModuleProxy("torch.nn.utils", torch.nn.utils, _public(), {"rnn": rnn})
    functional = ModuleProxy(
        "torch.nn.functional",
        torch.nn.functional,
        _classified(classified.FUNCTIONAL_ALLOWED, classified.FUNCTIONAL_REFUSED),
    )
    init = ModuleProxy("torch.nn.init", torch.nn.init, _public())
    nn = ModuleProxy(
        "torch.nn",
        torch.nn,
        _public({"DataParallel": reasons.PROCESSES, "parallel": reasons.PROCESSES}),
        {"functional": functional, "init": init, "utils": nn_utils},
    )
    lr_scheduler = ModuleProxy("torch.optim.lr_scheduler", torch.optim.lr_scheduler, _public())
    optim = ModuleProxy("torch.optim", torch.optim, _public(), {"lr_scheduler": lr_scheduler})
    autograd_functional = ModuleProxy("torch.autograd.functional", torch.autograd.functional, _public())
    autograd = ModuleProxy(
        "torch.autograd",
        torch.autograd,
        _only(AUTOGRAD_NAMES, reasons.TORCH_AUTOGRAD),
        {"functional": autograd_functional},
    )
    data = ModuleProxy(
        "torch.utils.data",
        torch.utils.data,
        _only(DATA_NAMES, {"dataloader": reasons.OUTSIDE}),
        {"DataLoader": DataLoader},
    )
    utils = ModuleProxy("torch.utils", torch.utils, _only(frozenset(), reasons.TORCH_UTILS), {"data": data})
    cudnn = types.SimpleNamespace(
        enabled=True, deterministic=False, benchmark=False, is_available=lambda: False
    )
    backends = namespace(
        "torch.backends",
        {
            "mps": _no_gpu("torch.backends.mps", {"is_available": lambda: False, "is_built": lambda: False}),
            "cudnn": cudnn,
        },
        reasons.GLOBAL_STATE,
    )
    fakes: dict[str, Any] = {
        "cuda": _no_gpu(
            "torch.cuda",
            {
                "is_available": lambda: False,
                "device_count": lambda: 0,
                "manual_seed": lambda seed: None,
                "manual_seed_all": lambda seed: None,
            },
        ),
        "accelerator": _no_gpu(
            "torch.accelerator",
            {
                "is_available": lambda: False,
                "device_count": lambda: 0,
                "current_accelerator": lambda: None,
            },
        ),
        "backends": backends,
        "testing": namespace("torch.testing", {"assert_close": torch.testing.assert_close}, reasons.OUTSIDE),
        "random": ModuleProxy("torch.random", torch.random, _public({"fork_rng": reasons.OUTSIDE})),
    }
    linalg = ModuleProxy("torch.linalg", torch.linalg, _public())
    fft = ModuleProxy("torch.fft", torch.fft, _public())
    special = ModuleProxy("torch.special", torch.special, _public())
    distributions = ModuleProxy(
        "torch.distributions", torch.distributions, _public({"register_kl": reasons.GLOBAL_STATE})
    )
    torch_proxy = ModuleProxy(
        "torch",
        torch,
        _classified(classified.TORCH_ALLOWED, classified.TORCH_REFUSED),
        {
            "nn": nn,
            "optim": optim,
            "autograd": autograd,
            "utils": utils,
            "linalg": linalg,
            "fft": fft,
            "special": special,
            "distributions": distributions,
            **fakes,
        },
    )
    np_random = ModuleProxy("numpy.random", numpy.random, _public())
    np_linalg = ModuleProxy("numpy.linalg", numpy.linalg, _public())
    np_fft = ModuleProxy("numpy.fft", numpy.fft, _public())
    np_proxy = ModuleProxy(
        "numpy",
        numpy,
        _classified(classified.NUMPY_ALLOWED, classified.NUMPY_REFUSED),
        {"random": np_random, "linalg": np_linalg, "fft": np_fft, "ndarray": NdarrayView},
    )
    collections_abc = ModuleProxy("collections.abc", collections.abc, _public())
    return {
        "torch": torch_proxy,
        "torch.nn": nn,
        "torch.nn.functional": functional,
        "torch.nn.init": init,
        "torch.nn.utils": nn_utils,
        "torch.nn.utils.rnn": rnn,
        "torch.optim": optim,
        "torch.optim.lr_scheduler": lr_scheduler,
        "torch.autograd": autograd,
        "torch.autograd.functional": autograd_functional,
        "torch.utils": utils,
        "torch.utils.data": data,
        "torch.linalg": linalg,
        "torch.fft": fft,
        "torch.special": special,
        "torch.distributions": distributions,
        "numpy": np_proxy,
        "numpy.random": np_random,
        "numpy.linalg": np_linalg,
        "numpy.fft": np_fft,
        "math": ModuleProxy("math", math, _public()),
        "random": ModuleProxy("random", random, _public()),
        "itertools": ModuleProxy("itertools", itertools, _public()),
        "collections": ModuleProxy("collections", collections, _public(), {"abc": collections_abc}),
        "collections.abc": collections_abc,
    }
