"""The curated surface: which parts of torch, numpy and the allowed standard modules learners see.

- ``torch``: the names ``classified.torch_names`` allows (``asarray``/``as_tensor`` refuse raw
  buffers); submodules ``nn`` (layers, ``Module``, ``Parameter``,
  ``functional``, ``init``, ``utils``/``utils.rnn``; no ``DataParallel``), ``optim`` (+ ``lr_scheduler``),
  ``autograd`` (``AUTOGRAD_NAMES`` + ``functional``), ``utils.data`` (``DATA_NAMES`` and a ``DataLoader``
  without workers), ``linalg``, ``fft``, ``special``, ``distributions``, ``random``; fakes for ``cuda``,
  ``backends``, ``accelerator`` (no GPU) and ``testing.assert_close``. Everything else is refused, with the
  reasons in ``reasons.TORCH``/``TORCH_UTILS``/``TORCH_AUTOGRAD`` or "outside the tutorial surface".
- ``numpy``: the names ``classified.numpy_names`` allows; ``ndarray`` is a stand-in whose constructor
  refuses raw buffers, ``ScalarType`` leaves out ``memoryview``; submodules ``random``, ``linalg``, ``fft``.
- ``math``, ``random``, ``itertools``, ``collections`` (+ ``abc``): every public name.
Attributes of the objects these hand out are allow-listed per type in ``native_types``.
"""

from __future__ import annotations

import collections
import collections.abc
import importlib
import itertools
import math
import random
import types
from collections.abc import Callable
from typing import Any

import numpy
import torch
import torch.autograd.function
import torch.autograd.functional
import torch.distributions
import torch.fft
import torch.linalg
import torch.nn
import torch.nn.functional
import torch.nn.init
import torch.nn.parameter
import torch.nn.utils
import torch.nn.utils.rnn
import torch.optim
import torch.optim.lr_scheduler
import torch.special
import torch.testing
import torch.utils.checkpoint
import torch.utils.data
import torch.utils.data.dataloader
import torch.utils.data.dataset
import torch.utils.data.sampler

from sandbox.policy.errors import JOURNAL, deny
from sandbox.surface import reasons
from sandbox.surface.classified import Classified
from sandbox.surface.classified.functional_names import FUNCTIONAL
from sandbox.surface.classified.numpy_names import NUMPY
from sandbox.surface.classified.torch_names import TORCH
from sandbox.surface.names import name_set
from sandbox.surface.proxy import ModuleProxy, Rule, is_absent, namespace
from sandbox.surface.stdlib import build_stdlib_proxies
from sandbox.surface.views import register_standin

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
PARAMETER_NAMES = name_set("Parameter Buffer UninitializedParameter UninitializedBuffer")
OPTIMIZER_NAMES = name_set("Optimizer required")
FUNCTION_NAMES = name_set("Function FunctionCtx once_differentiable InplaceFunction")
CHECKPOINT_NAMES = name_set("checkpoint checkpoint_sequential")


def _classified(table: Classified) -> Rule:
    """Decide by the reviewed classification of every public name (unclassified names are refused)."""

    def rule(name: str, value: Any) -> str | None:
        if not table.is_classified(name) and is_absent(value):
            return None  # a misspelling, or a name to look up: missing names raise AttributeError
        return table.reason(name)

    return rule


def _no_raw_buffer(name: str, convert: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``torch.asarray``/``as_tensor``: objects exposing a raw buffer would be aliased, not copied."""

    def checked(obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(obj, torch.Tensor | numpy.ndarray | numpy.generic | list | tuple | int | float):
            try:
                memoryview(obj).release()
            except TypeError:
                pass
            else:
                deny(f"torch.{name} of a raw buffer is not available here: {RAW_ALIAS}")
        return convert(obj, *args, **kwargs)

    checked.__name__ = checked.__qualname__ = name
    checked.__module__ = "torch"
    return checked


RAW_ALIAS = "the tensor would alias memory its owner can free; use torch.tensor(list(data))"


def _new_ndarray(*args: Any, **kwargs: Any) -> Any:
    """``np.ndarray(shape, dtype, order=...)`` without the raw-memory arguments."""
    raw = len(args) > 2 or any(kwargs.get(key) is not None for key in ("buffer", "offset", "strides"))
    if raw:
        deny(f"np.ndarray(buffer=, offset=, strides=) is not available here: {reasons.RAW_BUFFER}")
    return numpy.ndarray(*args, **kwargs)


def _namedtuple(*args: Any, **kwargs: Any) -> Any:
    """``collections.namedtuple`` whose classes count as the learner's own (their fields are theirs)."""
    cls: type = collections.namedtuple(*args, **kwargs)  # type: ignore[misc]  # the learner's arguments
    JOURNAL.add_class(cls)
    return cls


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
    functional = ModuleProxy("torch.nn.functional", torch.nn.functional, _classified(FUNCTIONAL))
    init = ModuleProxy("torch.nn.init", torch.nn.init, _public())
    parameter = ModuleProxy("torch.nn.parameter", torch.nn.parameter, _only(PARAMETER_NAMES))
    nn = ModuleProxy(
        "torch.nn",
        torch.nn,
        _public({"DataParallel": reasons.PROCESSES, "parallel": reasons.PROCESSES}),
        {"functional": functional, "init": init, "utils": nn_utils, "parameter": parameter},
    )
    lr_scheduler = ModuleProxy("torch.optim.lr_scheduler", torch.optim.lr_scheduler, _public())
    # torch.optim deletes its submodule attributes; the modules themselves stay imported.
    optim_module = importlib.import_module("torch.optim.optimizer")
    optimizer = ModuleProxy("torch.optim.optimizer", optim_module, _only(OPTIMIZER_NAMES))
    optim = ModuleProxy(
        "torch.optim", torch.optim, _public(), {"lr_scheduler": lr_scheduler, "optimizer": optimizer}
    )
    autograd_functional = ModuleProxy("torch.autograd.functional", torch.autograd.functional, _public())
    autograd_function = ModuleProxy("torch.autograd.function", torch.autograd.function, _only(FUNCTION_NAMES))
    autograd = ModuleProxy(
        "torch.autograd",
        torch.autograd,
        _only(AUTOGRAD_NAMES, reasons.TORCH_AUTOGRAD),
        {"functional": autograd_functional, "function": autograd_function},
    )
    dataset = ModuleProxy("torch.utils.data.dataset", torch.utils.data.dataset, _only(DATA_NAMES))
    sampler = ModuleProxy("torch.utils.data.sampler", torch.utils.data.sampler, _only(DATA_NAMES))
    dataloader = ModuleProxy(
        "torch.utils.data.dataloader",
        torch.utils.data.dataloader,
        _only(DATA_NAMES),
        {"DataLoader": DataLoader},
    )
    data = ModuleProxy(
        "torch.utils.data",
        torch.utils.data,
        _only(DATA_NAMES),
        {"DataLoader": DataLoader, "dataset": dataset, "sampler": sampler, "dataloader": dataloader},
    )
    checkpoint = ModuleProxy("torch.utils.checkpoint", torch.utils.checkpoint, _only(CHECKPOINT_NAMES))
    utils = ModuleProxy(
        "torch.utils",
        torch.utils,
        _only(frozenset(), reasons.TORCH_UTILS),
        {"data": data, "checkpoint": checkpoint},
    )
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
        "asarray": _no_raw_buffer("asarray", torch.asarray),
        "as_tensor": _no_raw_buffer("as_tensor", torch.as_tensor),
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
        _classified(TORCH),
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
        _classified(NUMPY),
        {
            "random": np_random,
            "linalg": np_linalg,
            "fft": np_fft,
            "ndarray": register_standin(numpy.ndarray, _new_ndarray),
            "ScalarType": tuple(t for t in numpy.ScalarType if t is not memoryview),
        },
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
        "torch.autograd.function": autograd_function,
        "torch.nn.parameter": parameter,
        "torch.optim.optimizer": optimizer,
        "torch.utils.data.dataset": dataset,
        "torch.utils.data.sampler": sampler,
        "torch.utils.data.dataloader": dataloader,
        "torch.utils.checkpoint": checkpoint,
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
        "collections": ModuleProxy(
            "collections", collections, _public(), {"abc": collections_abc, "namedtuple": _namedtuple}
        ),
        "collections.abc": collections_abc,
        **build_stdlib_proxies(),
    }
