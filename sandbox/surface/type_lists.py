"""The readable attributes of each native type the surface hands out (everything else is refused).

Names are reviewed: each list is what tutorials use of that type, minus anything in ``reasons``. Python
subclasses inside torch and numpy of a "family" base (``nn.Module``, optimizers, schedulers, datasets,
distributions, ...) may also use the public methods and properties they define themselves in Python (see
``attributes.TypeRule.own_python``); C-level attributes are never allowed unless listed here.
"""

from __future__ import annotations

from sandbox.surface import reasons
from sandbox.surface.names import name_set

MODULE = name_set(
    """
    add_module apply bfloat16 buffers call_super_init children cpu cuda double dump_patches eval
    extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu
    load_state_dict modules mtia named_buffers named_children named_modules named_parameters parameters
    register_backward_hook register_buffer register_forward_hook register_forward_pre_hook
    register_full_backward_hook register_full_backward_pre_hook register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_module register_parameter register_state_dict_post_hook
    register_state_dict_pre_hook requires_grad_ set_extra_state set_submodule state_dict to to_empty train
    training type xpu zero_grad
    """
)
MODULE_REFUSED = {**reasons.MODULE_METHODS, "T_destination": reasons.OUTSIDE}

OPTIMIZER = name_set(
    """
    add_param_group defaults load_state_dict param_groups register_load_state_dict_post_hook
    register_load_state_dict_pre_hook register_state_dict_post_hook register_state_dict_pre_hook
    register_step_post_hook register_step_pre_hook state state_dict step zero_grad
    """
)
OPTIMIZER_REFUSED = {
    "profile_hook_step": "it wraps the step in torch's profiler, which writes trace files",
    "OptimizerPreHook": reasons.OUTSIDE,
    "OptimizerPostHook": reasons.OUTSIDE,
}

LR_SCHEDULER = name_set("get_last_lr get_lr load_state_dict state_dict step optimizer last_epoch base_lrs")

DATA = name_set(
    """
    dataset batch_size drop_last sampler batch_sampler num_workers pin_memory timeout generator
    collate_fn tensors indices datasets cumulative_sizes data_source replacement num_samples weights
    """
)
DATALOADER_REFUSED = {
    "multiprocessing_context": reasons.PROCESSES,
    "check_worker_number_rationality": reasons.PROCESSES,
    "worker_init_fn": reasons.PROCESSES,
}

DISTRIBUTION = name_set(
    """
    arg_constraints batch_shape cdf entropy enumerate_support event_shape expand has_enumerate_support
    has_rsample icdf log_prob mean mode perplexity rsample sample sample_n stddev support variance
    bijective event_dim forward_shape inv inverse_shape log_abs_det_jacobian sign with_cache check
    is_discrete
    """
)
DISTRIBUTION_REFUSED = {"set_default_validate_args": reasons.GLOBAL_STATE}

AUTOGRAD_FUNCTION = name_set(
    """
    apply backward forward jvp vjp setup_context mark_dirty mark_non_differentiable save_for_backward
    save_for_forward set_materialize_grads saved_tensors needs_input_grad next_functions metadata name
    register_hook register_prehook requires_grad materialize_grads
    """
)
AUTOGRAD_FUNCTION_REFUSED = {
    "mark_shared_storage": reasons.RAW_MEMORY,
    "saved_variables": "it is the deprecated spelling of saved_tensors; use saved_tensors",
}

GRAPH_NODE = name_set("metadata name next_functions register_hook register_prehook requires_grad variable")
REMOVABLE_HANDLE = name_set("remove id")

NDARRAY = name_set(
    """
    T all any argmax argmin argpartition argsort astype base byteswap choose clip compress conj conjugate
    copy cumprod cumsum device diagonal dot dtype fill flags flat flatten imag item itemsize mT max mean
    min nbytes ndim nonzero partition prod put ravel real repeat reshape round searchsorted shape
    size sort squeeze std strides sum swapaxes take to_device tobytes tolist trace transpose var view
    """
)
NDARRAY_REFUSED = {
    **reasons.NDARRAY_METHODS,
    "ctypes": "it hands out C pointers to raw memory",
    "getfield": reasons.RAW_MEMORY,
    "setfield": reasons.RAW_MEMORY,
    "resize": "resizing in place frees memory that views and tensors of the array may still use; "
    "use np.resize(a, shape) or a.reshape(shape)",
}
NUMPY_DTYPE = name_set(
    """
    alignment base byteorder char descr fields flags hasobject isalignedstruct isbuiltin isnative
    itemsize kind metadata name names ndim newbyteorder num shape str subdtype type
    """
)
NUMPY_FLAGS = name_set(
    """
    aligned behaved c_contiguous carray contiguous f_contiguous farray fnc forc fortran num owndata
    writeable writebackifcopy
    """
)
NUMPY_UFUNC = name_set("accumulate at identity nargs nin nout ntypes outer reduce reduceat signature types")
NUMPY_FLATITER = name_set("base coords copy index")
NUMPY_INFO = name_set(
    "bits dtype eps epsneg max min resolution smallest_normal smallest_subnormal tiny precision iexp "
    "machep negep nexp maxexp minexp nmant kind"
)
NUMPY_GENERATOR = name_set(
    """
    beta binomial bit_generator bytes chisquare choice dirichlet exponential f gamma geometric gumbel
    hypergeometric integers laplace logistic lognormal logseries multinomial multivariate_hypergeometric
    multivariate_normal negative_binomial noncentral_chisquare noncentral_f normal pareto permutation
    permuted poisson power random rayleigh shuffle spawn standard_cauchy standard_exponential
    standard_gamma standard_normal standard_t triangular uniform vonmises wald weibull zipf
    """
)
NUMPY_RANDOM_STATE = name_set(
    """
    beta binomial bytes chisquare choice dirichlet exponential f gamma geometric get_state gumbel
    hypergeometric laplace logistic lognormal logseries multinomial multivariate_normal negative_binomial
    noncentral_chisquare noncentral_f normal pareto permutation poisson power rand randint randn random
    random_integers random_sample rayleigh seed set_state shuffle standard_cauchy standard_exponential
    standard_gamma standard_normal standard_t tomaxint triangular uniform vonmises wald weibull zipf
    """
)
NUMPY_BIT_GENERATOR = name_set("random_raw seed_seq spawn state jumped advance")
NUMPY_BIT_GENERATOR_REFUSED = {
    "capsule": "it hands out C pointers to raw memory",
    "lock": reasons.PROCESSES,
}
NUMPY_SEED_SEQUENCE = name_set(
    "entropy generate_state n_children_spawned pool pool_size spawn spawn_key state"
)

TORCH_GENERATOR = name_set("device get_state initial_seed manual_seed seed set_state get_offset set_offset")
TORCH_DTYPE = name_set("is_complex is_floating_point is_signed itemsize to_complex to_real")
TORCH_DEVICE = name_set("index type")
TORCH_SIZE = name_set("count index numel")
TORCH_INFO = name_set("bits dtype eps max min resolution smallest_normal tiny")

DEQUE = name_set(
    "append appendleft clear copy count extend extendleft index insert maxlen pop popleft remove reverse "
    "rotate"
)
RANDOM = name_set(
    """
    betavariate choice choices expovariate gammavariate gauss getrandbits getstate lognormvariate
    normalvariate paretovariate randbytes randint random randrange sample seed setstate shuffle triangular
    uniform vonmisesvariate weibullvariate binomialvariate
    """
)
EXCEPTION_REFUSED = {
    "obj": "it can hand out objects internal to the sandbox",
    "with_traceback": "tracebacks expose the interpreter's frames",
}
USER_STRING_REFUSED = {
    "format": "it formats outside the sandbox's guarded str.format; use f-strings or str(s).format(...)",
    "format_map": "it formats outside the sandbox's guarded str.format; use f-strings or str(s).format(...)",
}
GENERATOR = name_set("send throw close")
PARTIAL = name_set("func args keywords")
CACHED_FUNCTION = name_set("cache_info cache_clear cache_parameters")
BYTES_IO = name_set(
    "getvalue read read1 readline readlines readable write writelines writable seek seekable tell truncate "
    "close closed flush"
)
BYTES_IO_REFUSED = {
    "getbuffer": "it exposes raw memory; use getvalue()",
    "fileno": "the sandbox has no files",
}
ENUM = name_set("name value")
DATACLASS_FIELD = name_set("name type default default_factory init repr hash compare kw_only metadata")
RC_PARAMS = name_set("update get keys values items setdefault pop")
TEMPLATE = name_set("template substitute safe_substitute get_identifiers is_valid")
TYPE: frozenset[str] = frozenset()
TYPE_REFUSED = {
    "mro": "it hands out base classes the surface does not offer",
    "register": reasons.GLOBAL_STATE,
}
