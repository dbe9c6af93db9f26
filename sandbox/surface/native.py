"""The attribute rules of every native type learner code can hold: torch, numpy and Python's own.

Built once in the warm parent (``build_policy``). Each rule is an allow-list; the big ones come from
``sandbox.surface.classified``, the small ones are written out here. Types of functions, methods and
other code-like objects allow no public attribute at all: numpy's Cython functions carry their module's
globals and code in ``func_globals`` and ``func_code``.
"""

from __future__ import annotations

import collections
import itertools
import types

import numpy
import torch
import torch.distributions
import torch.optim.lr_scheduler
import torch.utils.data

from sandbox.surface import classified
from sandbox.surface.names import name_set
from sandbox.surface.rules import AttributePolicy, Rule, allow_all, allow_none, allow_only

FORMAT = "format strings can reach attributes; use an f-string or str.format on a plain string"

# Plain data: every public attribute (their methods hand out nothing but more data).
_DATA_TYPES: tuple[type, ...] = (
    int,
    float,
    complex,
    bool,
    str,
    bytes,
    bytearray,
    list,
    tuple,
    dict,
    set,
    frozenset,
    range,
    slice,
    type(None),
    type(Ellipsis),
    type(NotImplemented),
    type({}.keys()),
    type({}.values()),
    type({}.items()),
)

# Code and plumbing: nothing public (``__name__``, ``__doc__``... come from the dunder allow-list).
_OPAQUE_TYPES: tuple[type, ...] = (
    object,
    type,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodWrapperType,
    types.WrapperDescriptorType,
    types.MethodDescriptorType,
    types.ClassMethodDescriptorType,
    types.GetSetDescriptorType,
    types.MemberDescriptorType,
    staticmethod,
    classmethod,
    property,
    type(iter([])),
    type(iter(())),
    type(iter("")),
    type(iter(range(1))),
    type(iter({})),
    type(iter(set())),
    map,
    filter,
    zip,
    enumerate,
    reversed,
    *(value for value in vars(itertools).values() if isinstance(value, type)),
)

GENERATOR = name_set("send throw close")
EXCEPTION_REFUSED = {"obj": "it can hand out objects internal to the sandbox"}

GRAD_FN = name_set("name next_functions metadata register_hook register_prehook requires_grad variable")
FUNCTION_CTX = name_set(
    """
    save_for_backward saved_tensors needs_input_grad mark_dirty mark_non_differentiable
    set_materialize_grads save_for_forward
    """
)
AUTOGRAD_FUNCTION = name_set("apply forward backward jvp vjp setup_context once_differentiable")
OPTIMIZER = name_set(
    """
    step zero_grad param_groups state state_dict load_state_dict add_param_group defaults
    register_step_pre_hook register_step_post_hook
    """
)
SCHEDULER = name_set(
    """
    step get_last_lr get_lr state_dict load_state_dict last_epoch base_lrs optimizer print_lr
    """
)
DATA = name_set(
    """
    dataset batch_size drop_last sampler batch_sampler num_workers collate_fn shuffle generator
    pin_memory timeout indices tensors datasets cumulative_sizes data_source num_samples replacement
    weights lengths
    """
)
DISTRIBUTION = name_set(
    """
    sample rsample log_prob cdf icdf entropy mean mode variance stddev batch_shape event_shape support
    has_rsample has_enumerate_support enumerate_support expand perplexity probs logits loc scale
    arg_constraints param_shape concentration rate df total_count low high covariance_matrix
    precision_matrix scale_tril
    """
)
GENERATOR_OBJECT = name_set("manual_seed seed initial_seed get_state set_state device")
DTYPE = name_set("is_floating_point is_complex is_signed itemsize to_real to_complex")
DEVICE = name_set("type index")
NUMPY_DTYPE = name_set(
    """
    name kind char num str itemsize byteorder names fields shape subdtype base type alignment
    isbuiltin isnative hasobject flags descr metadata
    """
)
UFUNC = name_set("nin nout nargs ntypes types identity signature reduce accumulate outer reduceat at")
NUMPY_RANDOM = name_set(
    """
    beta binomial bytes chisquare choice dirichlet exponential f gamma geometric gumbel hypergeometric
    integers laplace logistic lognormal logseries multinomial multivariate_hypergeometric
    multivariate_normal negative_binomial noncentral_chisquare noncentral_f normal pareto permutation
    permuted poisson power random rayleigh shuffle standard_cauchy standard_exponential standard_gamma
    standard_normal standard_t triangular uniform vonmises wald weibull zipf rand randn randint
    random_integers random_sample ranf sample seed get_state set_state tomaxint
    """
)
NUMPY_RANDOM_REFUSED = {
    "bit_generator": "it hands out C pointers to the generator's state (ctypes, cffi, capsule)",
    "spawn": "it is outside the tutorial surface of this sandbox",
}
TENSOR_WRITABLE = name_set("requires_grad grad data names retains_grad")
NDARRAY_WRITABLE = name_set("shape")


def _is_autograd_node(cls: type) -> bool:
    return issubclass(cls, torch.autograd.graph.Node)


def _data_rules() -> dict[type, Rule]:
    rules: dict[type, Rule] = {kind: allow_all(kind.__name__) for kind in _DATA_TYPES}
    rules[str] = allow_all("str", {"format_map": FORMAT})
    for kind in _OPAQUE_TYPES:
        rules[kind] = allow_none(kind.__name__)
    rules[types.GeneratorType] = allow_only("generator", GENERATOR)
    rules[BaseException] = allow_all("exception", EXCEPTION_REFUSED)
    for kind in (collections.Counter, collections.OrderedDict, collections.defaultdict, collections.deque):
        rules[kind] = allow_all(kind.__name__, writable=True)
    rules[collections.ChainMap] = allow_all("ChainMap", writable=True)
    rules[collections.UserDict] = allow_all("UserDict", writable=True)
    rules[collections.UserList] = allow_all("UserList", writable=True)
    rules[collections.UserString] = allow_all("UserString", {"format": FORMAT, "format_map": FORMAT})
    return rules


def _torch_rules() -> dict[type, Rule]:
    data = torch.utils.data
    tensor = allow_only(
        "Tensor", classified.TENSOR_ALLOWED, classified.TENSOR_REFUSED, writable=TENSOR_WRITABLE
    )
    module = allow_only(
        "Module", classified.MODULE_ALLOWED, classified.MODULE_REFUSED, writable=None, dynamic=True
    )
    return {
        torch.Tensor: tensor,
        torch._C.TensorBase: tensor,
        torch.nn.Module: module,
        torch.optim.Optimizer: allow_only("Optimizer", OPTIMIZER, writable=()),
        torch.optim.lr_scheduler.LRScheduler: allow_only("LRScheduler", SCHEDULER),
        torch.optim.lr_scheduler.ReduceLROnPlateau: allow_only("ReduceLROnPlateau", SCHEDULER),
        data.Dataset: allow_only("Dataset", DATA),
        data.DataLoader: allow_only("DataLoader", DATA),
        data.Sampler: allow_only("Sampler", DATA),
        torch.distributions.Distribution: allow_only("Distribution", DISTRIBUTION),
        torch.autograd.function.FunctionCtx: allow_only("ctx", FUNCTION_CTX, writable=None),
        torch.autograd.Function: allow_only("Function", AUTOGRAD_FUNCTION),
        torch.Generator: allow_only("Generator", GENERATOR_OBJECT),
        torch.dtype: allow_only("dtype", DTYPE),
        torch.device: allow_only("device", DEVICE),
        torch.finfo: allow_all("finfo"),
        torch.iinfo: allow_all("iinfo"),
        torch.layout: allow_none("layout"),
        torch.memory_format: allow_none("memory_format"),
    }


def _numpy_rules() -> dict[type, Rule]:
    ndarray = allow_only(
        "ndarray", classified.NDARRAY_ALLOWED, classified.NDARRAY_REFUSED, writable=NDARRAY_WRITABLE
    )
    scalar = allow_only("numpy scalar", classified.NUMPY_SCALAR_ALLOWED, classified.NUMPY_SCALAR_REFUSED)
    random_rule = allow_only("numpy random generator", NUMPY_RANDOM, NUMPY_RANDOM_REFUSED)
    return {
        numpy.ndarray: ndarray,
        numpy.generic: scalar,
        numpy.dtype: allow_only("numpy dtype", NUMPY_DTYPE),
        numpy.ufunc: allow_only("ufunc", UFUNC),
        numpy.random.Generator: random_rule,
        numpy.random.RandomState: random_rule,
        numpy.flatiter: allow_only("flatiter", name_set("base coords index copy")),
        type(numpy.zeros(1).flags): allow_only(
            "flags", name_set("writeable aligned c_contiguous f_contiguous owndata writebackifcopy")
        ),
    }


def build_policy(extra: dict[type, Rule] | None = None) -> AttributePolicy:
    """Return the attribute policy for every native type of the surface."""
    rules = {**_data_rules(), **_torch_rules(), **_numpy_rules(), **(extra or {})}
    cython = type(numpy.random.default_rng)
    rules[cython] = allow_none("compiled function", "compiled functions hand out their module's internals")
    autograd_node = allow_only("autograd node", GRAD_FN)
    return AttributePolicy(rules, [(_is_autograd_node, autograd_node)])
