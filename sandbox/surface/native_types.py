"""Build the attribute rules for every native type the surface can hand out (see ``attributes``)."""

from __future__ import annotations

import _random  # the C base of random.Random
import builtins
import collections
import dataclasses
import datetime
import enum
import functools
import io
import re
import statistics
import string
import types

import numpy
import torch
import torch.autograd.function
import torch.autograd.graph
import torch.distributions
import torch.optim.lr_scheduler
import torch.utils.data
import torch.utils.hooks

from sandbox.policy import values
from sandbox.surface import reasons, views
from sandbox.surface import type_lists as lists
from sandbox.surface.attributes import AttributeRules, TypeRule, public_names
from sandbox.surface.classified.tensor_names import TENSOR
from sandbox.surface.plotting import ARTIST_REFUSED, RcParamsView

_PLAIN_TYPES: tuple[type, ...] = (
    str, bytes, bytearray, int, float, complex, bool, list, tuple, dict, set, frozenset, range, slice,
    type(None), type({}.keys()), type({}.values()), type({}.items()), collections.OrderedDict,
    collections.defaultdict, re.Pattern, re.Match, datetime.date, datetime.datetime, datetime.time,
    datetime.timedelta, datetime.timezone, datetime.tzinfo,
)  # fmt: skip


def _rule(label: str, allowed: frozenset[str], refused: dict[str, str] | None = None) -> TypeRule:
    return TypeRule(label, allowed, refused or {})


def _family(
    label: str, allowed: frozenset[str], prefix: str, refused: dict[str, str] | None = None
) -> TypeRule:
    return TypeRule(label, allowed, refused or {}, own_python=prefix)


def _exceptions() -> dict[type, TypeRule]:
    rules: dict[type, TypeRule] = {}
    for value in vars(builtins).values():
        if isinstance(value, type) and issubclass(value, BaseException):
            rules[value] = _rule(value.__name__, public_names(value), lists.EXCEPTION_REFUSED)
    return rules


def _tuple_record(cls: type) -> TypeRule | None:
    """Named tuples and struct sequences (``torch.return_types``, ``np.linalg.SVDResult``): their fields."""
    if not issubclass(cls, tuple):
        return None
    fields = getattr(cls, "_fields", None)
    if isinstance(fields, tuple) or hasattr(cls, "n_fields"):
        return _family(cls.__name__, public_names(cls), (cls.__module__ or "").split(".")[0])
    return None


_NO_ATTRIBUTES = TypeRule("matplotlib internals", frozenset())


def _matplotlib_object(cls: type) -> TypeRule | None:
    """Matplotlib's figures, axes, artists and helpers: the public Python methods they define."""
    module = cls.__module__ or ""
    if not module.startswith("matplotlib."):
        return None
    if module.startswith(("matplotlib.backend", "matplotlib.font_manager", "matplotlib.texmanager")):
        return _NO_ATTRIBUTES  # canvases, renderers, font files: drawing happens through plt.show()
    return TypeRule(cls.__name__, frozenset(), ARTIST_REFUSED, own_python="matplotlib")


def _graph_node(cls: type) -> TypeRule | None:
    """Autograd graph nodes (``grad_fn``): C classes registered with the ``Node`` ABC."""
    if issubclass(cls, torch.autograd.graph.Node):
        return _rule("grad_fn", lists.GRAPH_NODE)
    return None


def build_attribute_rules(data_loader: type) -> AttributeRules:
    """Build the rules; ``data_loader`` is the sandbox's DataLoader (no worker processes)."""
    tensor = _family("Tensor", TENSOR.allowed, "torch", TENSOR.refused)
    ndarray = _family("ndarray", lists.NDARRAY, "numpy", lists.NDARRAY_REFUSED)
    function = _family("Function", lists.AUTOGRAD_FUNCTION, "torch", lists.AUTOGRAD_FUNCTION_REFUSED)
    loader = _family("DataLoader", lists.DATA, "torch", lists.DATALOADER_REFUSED)
    exact: dict[type, TypeRule] = {cls: _rule(cls.__name__, public_names(cls)) for cls in _PLAIN_TYPES}
    exact.update(_exceptions())
    exact.update(
        {
            torch._C.TensorBase: tensor,
            torch.Tensor: tensor,
            torch.Size: _rule("Size", lists.TORCH_SIZE),
            torch.dtype: _rule("dtype", lists.TORCH_DTYPE),
            torch.device: _rule("device", lists.TORCH_DEVICE),
            torch.finfo: _rule("finfo", lists.TORCH_INFO),
            torch.iinfo: _rule("iinfo", lists.TORCH_INFO),
            torch.Generator: _rule("Generator", lists.TORCH_GENERATOR),
            torch.utils.hooks.RemovableHandle: _rule("RemovableHandle", lists.REMOVABLE_HANDLE),
            torch._C._FunctionBase: function,
            torch.autograd.function.FunctionCtx: function,
            torch.autograd.function._HookMixin: function,
            numpy.ndarray: ndarray,
            numpy.dtype: _rule("dtype", lists.NUMPY_DTYPE),
            type(numpy.zeros(1).flags): _rule("flags", lists.NUMPY_FLAGS),
            numpy.ufunc: _rule("ufunc", lists.NUMPY_UFUNC),
            numpy.flatiter: _rule("flatiter", lists.NUMPY_FLATITER),
            numpy.finfo: _rule("finfo", lists.NUMPY_INFO),
            numpy.iinfo: _rule("iinfo", lists.NUMPY_INFO),
            numpy.random.Generator: _rule("Generator", lists.NUMPY_GENERATOR),
            numpy.random.RandomState: _rule("RandomState", lists.NUMPY_RANDOM_STATE),
            numpy.random.SeedSequence: _rule("SeedSequence", lists.NUMPY_SEED_SEQUENCE),
            collections.deque: _rule("deque", lists.DEQUE),
            _random.Random: _rule("Random", lists.RANDOM),
            types.GeneratorType: _rule("generator", lists.GENERATOR),
            type: _rule("type", lists.TYPE, lists.TYPE_REFUSED),
            functools.partial: _rule("partial", lists.PARTIAL),
            functools._lru_cache_wrapper: _rule("lru_cache", lists.CACHED_FUNCTION),
            io.BytesIO: _rule("BytesIO", lists.BYTES_IO, lists.BYTES_IO_REFUSED),
            io.StringIO: _rule("StringIO", lists.BYTES_IO, lists.BYTES_IO_REFUSED),
            dataclasses.Field: _rule("Field", lists.DATACLASS_FIELD),
            string.Template: _rule("Template", lists.TEMPLATE),
            RcParamsView: _rule("rcParams", lists.RC_PARAMS),
            data_loader: loader,
            torch.utils.data.DataLoader: loader,
        }
    )
    lr = _family("LRScheduler", lists.LR_SCHEDULER, "torch")
    bits = _rule("BitGenerator", lists.NUMPY_BIT_GENERATOR, lists.NUMPY_BIT_GENERATOR_REFUSED)
    distribution = _family("Distribution", lists.DISTRIBUTION, "torch", lists.DISTRIBUTION_REFUSED)
    exception = _family("exception", frozenset({"args", "add_note"}), "torch", lists.EXCEPTION_REFUSED)
    user_string = _family("UserString", frozenset(), "collections", lists.USER_STRING_REFUSED)
    families: list[tuple[type, TypeRule]] = [
        (torch.Tensor, tensor),
        (numpy.ndarray, ndarray),
        (numpy.generic, _family("numpy scalar", lists.NDARRAY, "numpy", lists.NDARRAY_REFUSED)),
        (numpy.dtype, _rule("dtype", lists.NUMPY_DTYPE)),
        (numpy.random.BitGenerator, bits),
        (torch.nn.Module, _family("Module", lists.MODULE, "torch", lists.MODULE_REFUSED)),
        (torch.optim.Optimizer, _family("Optimizer", lists.OPTIMIZER, "torch", lists.OPTIMIZER_REFUSED)),
        (torch.optim.lr_scheduler.LRScheduler, lr),
        (torch.optim.lr_scheduler.ReduceLROnPlateau, lr),
        (torch.utils.data.DataLoader, loader),
        (torch.utils.data.Dataset, _family("Dataset", lists.DATA, "torch")),
        (torch.utils.data.Sampler, _family("Sampler", lists.DATA, "torch")),
        (torch.distributions.Distribution, distribution),
        (torch.distributions.transforms.Transform, _family("Transform", lists.DISTRIBUTION, "torch")),
        (torch.distributions.constraints.Constraint, _family("Constraint", lists.DISTRIBUTION, "torch")),
        (torch.autograd.Function, function),
        (collections.UserString, user_string),
        (collections.Counter, _family("Counter", frozenset(), "collections")),
        (collections.ChainMap, _family("ChainMap", frozenset(), "collections")),
        (collections.UserDict, _family("UserDict", frozenset(), "collections")),
        (collections.UserList, _family("UserList", frozenset(), "collections")),
        (_random.Random, _family("Random", lists.RANDOM, "random")),
        (enum.Enum, _family("Enum", lists.ENUM, "enum")),
        (statistics.NormalDist, _family("NormalDist", frozenset(), "statistics")),
        (BaseException, exception),
    ]
    return AttributeRules(exact, families, (_graph_node, _tuple_record, _matplotlib_object))


def install_value_rules() -> None:
    """Tell the value gate which native values are plain data and which are never handed out."""
    scalars = {
        value
        for value in vars(numpy).values()
        if isinstance(value, type) and issubclass(value, numpy.generic)
    }
    values.add_plain_types(torch.Tensor, torch.nn.Parameter, numpy.ndarray, torch.Size, items_too=True)
    values.add_plain_types(torch.dtype, torch.device, *scalars)
    storages = [getattr(torch, name) for name in dir(torch) if name.endswith("Storage")]
    for storage in [torch.UntypedStorage, torch.TypedStorage, *storages]:
        if isinstance(storage, type):
            values.withhold_values(storage, reasons.RAW_MEMORY)
            views.withhold_class(storage, reasons.RAW_MEMORY)
    views.withhold_class(
        type(numpy.random.default_rng), "it exposes the globals and code of numpy's functions"
    )
    views.withhold_class(numpy.recarray, reasons.RAW_BUFFER)
    views.withhold_class(numpy.memmap, reasons.FILES)
    views.seal_class(
        torch.Tensor,
        "a tensor subclass could change what the tensor table and the lesson checks read; "
        "keep the tensor in an attribute of your own class or of an nn.Module instead",
    )
