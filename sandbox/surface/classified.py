"""Every public name of the native surfaces learners reach, classified: allowed, or refused with a reason.

The surfaces: torch, ``torch.Tensor``, ``torch.nn.functional``, numpy, ``numpy.ndarray``, numpy's scalars
and ``nn.Module``; the reason is what learners are told.

Reviewed for torch 2.13.0 and numpy 2.x. The rules are allow-lists: a name in neither table (a newer
version's addition) is refused at run time, and ``tests/sandbox/test_surface_classification.py`` fails
until someone reviews it and adds it here. Memory-unsafe APIs are refused: sparse and nested tensors
(writable aliases without bounds checks), views at arbitrary offsets and strides, raw pointers and storages,
buffer constructors, unchecked internal variants and quantized kernels.
"""

from __future__ import annotations

from sandbox.surface import reasons
from sandbox.surface.names import name_set

SPARSE = "sparse tensors alias memory without bounds checks"
STRIDED = "it builds a view at any offset and stride of the storage"
UNSAFE = "it is an unchecked variant meant for torch's internal use"
NESTED = "nested tensors expose their internals as writable buffers"
ADDRESS = "it reveals memory addresses"
QUANTIZED = "quantized tensors run backend-specific kernels outside the tutorial surface"

TORCH_ALLOWED = name_set(
    """
    BFloat16Tensor BoolTensor ByteTensor CharTensor DoubleTensor FloatTensor Generator HalfTensor IntTensor
    LongTensor OutOfMemoryError ShortTensor Size Tensor abs abs_ absolute acos acos_ acosh acosh_
    adaptive_avg_pool1d adaptive_max_pool1d add addbmm addcdiv addcmul addmm addmv addmv_ addr adjoint
    affine_grid_generator alias_copy all allclose alpha_dropout alpha_dropout_ amax amin aminmax angle any
    arange arccos arccos_ arccosh arccosh_ arcsin arcsin_ arcsinh arcsinh_ arctan arctan2 arctan_ arctanh
    arctanh_ are_deterministic_algorithms_enabled argmax argmin argsort argwhere as_tensor asarray asin
    asin_ asinh asinh_ atan atan2 atan_ atanh atanh_ atleast_1d atleast_2d atleast_3d autocast avg_pool1d
    baddbmm bartlett_window batch_norm batch_norm_backward_elemt batch_norm_backward_reduce batch_norm_elemt
    batch_norm_gather_stats batch_norm_gather_stats_with_counts batch_norm_stats batch_norm_update_stats
    bernoulli bfloat16 bilinear binary_cross_entropy_with_logits bincount binomial bit bits16 bits1x8
    bits2x4 bits4x2 bits8 bitwise_and bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift
    bitwise_xor blackman_window block_diag bmm bool broadcast_shapes broadcast_tensors broadcast_to
    bucketize can_cast cartesian_prod cat ccol_indices_copy cdist cdouble ceil ceil_ celu celu_ cfloat
    chain_matmul chalf channel_shuffle channels_last channels_last_3d cholesky cholesky_inverse
    cholesky_solve choose_qparams_optimized chunk clamp clamp_ clamp_max clamp_max_ clamp_min clamp_min_
    clip clip_ clone col_indices_copy column_stack combinations complex complex128 complex32 complex64
    concat concatenate conj conj_physical conj_physical_ constant_pad_nd contiguous_format conv1d conv2d
    conv3d conv_tbc conv_transpose1d conv_transpose2d conv_transpose3d convolution copysign corrcoef cos
    cos_ cosh cosh_ cosine_embedding_loss cosine_similarity count_nonzero cov cross crow_indices_copy
    ctc_loss cummax cummin cumprod cumsum cumulative_trapezoid default_generator deg2rad deg2rad_ dequantize
    det detach detach_ detach_copy device diag diag_embed diagflat diagonal diagonal_copy diagonal_scatter
    diff digamma dist div divide dot double dropout dropout_ dsmm dsplit dstack dtype e einsum embedding
    embedding_bag embedding_renorm_ empty empty_like empty_permuted enable_grad eq equal erf erf_ erfc erfc_
    erfinv exp exp2 exp2_ exp_ expand_copy expm1 expm1_ eye fake_quantize_per_channel_affine
    fake_quantize_per_tensor_affine feature_alpha_dropout feature_alpha_dropout_ feature_dropout
    feature_dropout_ fill fill_ finfo fix fix_ flatten flip fliplr flipud float float16 float32
    float4_e2m1fn_x2 float64 float8_e4m3fn float8_e4m3fnuz float8_e5m2 float8_e5m2fnuz float8_e8m0fnu
    float_power floor floor_ floor_divide fmax fmin fmod frac frac_ frexp frobenius_norm from_numpy full
    full_like fused_moving_avg_obs_fake_quant gather gcd gcd_ ge geqrf ger get_default_device
    get_default_dtype get_device get_num_interop_threads get_num_threads get_rng_state gradient greater
    greater_equal grid_sampler grid_sampler_2d grid_sampler_3d group_norm gru gru_cell gt half
    hamming_window hann_window hardshrink hash_tensor heaviside hinge_embedding_loss histc histogram
    histogramdd hsmm hsplit hstack hypot i0 i0_ igamma igammac iinfo imag index_add index_copy index_fill
    index_put index_put_ index_reduce index_select indices_copy inf inference_mode initial_seed inner
    instance_norm int int1 int16 int2 int3 int32 int4 int5 int6 int64 int7 int8 int_repr inverse
    is_anomaly_enabled is_complex is_conj is_deterministic_algorithms_warn_only_enabled is_distributed
    is_floating_point is_grad_enabled is_inference is_inference_mode_enabled is_neg is_nonzero is_same_size
    is_signed is_tensor is_vulkan_available isclose isfinite isin isinf isnan isneginf isposinf isreal istft
    kaiser_window kl_div kron kthvalue layer_norm layout lcm lcm_ ldexp ldexp_ le lerp less less_equal
    lgamma linspace lobpcg log log10 log10_ log1p log1p_ log2 log2_ log_ log_softmax logaddexp logaddexp2
    logcumsumexp logdet logical_and logical_not logical_or logical_xor logit logit_ logspace logsumexp long
    lstm lstm_cell lt lu lu_solve lu_unpack manual_seed margin_ranking_loss masked_fill masked_scatter
    masked_select matmul matrix_exp matrix_power max max_pool1d max_pool1d_with_indices max_pool2d
    max_pool3d maximum mean median memory_format meshgrid min minimum mm mode moveaxis movedim msort mul
    multinomial multiply mv mvlgamma nan nan_to_num nan_to_num_ nanmean nanmedian nanquantile nansum narrow
    narrow_copy native_batch_norm native_channel_shuffle native_dropout native_group_norm native_layer_norm
    native_norm ne neg neg_ negative negative_ newaxis nextafter no_grad nonzero nonzero_static norm
    norm_except_dim normal not_equal nuclear_norm numel ones ones_like orgqr ormqr outer pairwise_distance
    pca_lowrank pdist permute permute_copy pi pinverse pixel_shuffle pixel_unshuffle poisson
    poisson_nll_loss polar polygamma positive pow prelu preserve_format prod promote_types put qr quantile
    rad2deg rad2deg_ rand rand_like randint randint_like randn randn_like randperm range ravel real
    reciprocal reciprocal_ relu relu_ remainder renorm repeat_interleave reshape resize_as_ resolve_conj
    resolve_neg result_type rms_norm rnn_relu rnn_relu_cell rnn_tanh rnn_tanh_cell roll rot90 round round_
    row_indices_copy row_stack rrelu rrelu_ rsqrt rsqrt_ rsub saddmm scalar_tensor scatter scatter_add
    scatter_reduce searchsorted seed segment_reduce select select_copy select_scatter selu selu_
    set_grad_enabled set_printoptions set_rng_state sgn short sigmoid sigmoid_ sign signbit sin sin_ sinc
    sinc_ sinh sinh_ slice_copy slice_inverse slice_scatter slogdet softmax sort split split_copy
    split_with_sizes split_with_sizes_copy spmm sqrt sqrt_ square square_ squeeze squeeze_copy stack std
    std_mean stft strided sub subtract sum svd svd_lowrank swapaxes swapdims t t_copy take take_along_dim
    tan tan_ tanh tanh_ tensor tensor_split tensordot threshold threshold_ tile topk trace transpose
    transpose_copy trapezoid trapz triangular_solve tril tril_indices triplet_margin_loss triu triu_indices
    true_divide trunc trunc_ typename uint1 uint16 uint2 uint3 uint32 uint4 uint5 uint6 uint64 uint7 uint8
    unbind unbind_copy unflatten unfold_copy unique unique_consecutive unravel_index unsqueeze
    unsqueeze_copy use_deterministic_algorithms values_copy vander var var_mean vdot view_as_complex
    view_as_complex_copy view_as_real view_as_real_copy view_copy vsplit vstack where xlogy xlogy_ zero_
    zeros zeros_like
    """
)

TORCH_REFUSED: dict[str, str] = {
    "AVG": reasons.OUTSIDE,
    "AcceleratorError": reasons.OUTSIDE,
    "AggregationType": reasons.OUTSIDE,
    "AliasDb": reasons.OUTSIDE,
    "AnyType": reasons.OUTSIDE,
    "Argument": reasons.OUTSIDE,
    "ArgumentSpec": reasons.OUTSIDE,
    "AwaitType": reasons.OUTSIDE,
    "BFloat16Storage": reasons.RAW_MEMORY,
    "BenchmarkConfig": reasons.OUTSIDE,
    "BenchmarkExecutionStats": reasons.OUTSIDE,
    "Block": reasons.OUTSIDE,
    "BoolStorage": reasons.RAW_MEMORY,
    "BoolType": reasons.OUTSIDE,
    "BufferDict": reasons.OUTSIDE,
    "ByteStorage": reasons.RAW_MEMORY,
    "CallStack": reasons.OUTSIDE,
    "Capsule": reasons.OUTSIDE,
    "CharStorage": reasons.RAW_MEMORY,
    "ClassType": reasons.OUTSIDE,
    "Code": reasons.OUTSIDE,
    "CompilationUnit": reasons.OUTSIDE,
    "CompleteArgumentSpec": reasons.OUTSIDE,
    "ComplexDoubleStorage": reasons.RAW_MEMORY,
    "ComplexFloatStorage": reasons.RAW_MEMORY,
    "ComplexType": reasons.OUTSIDE,
    "ConcreteModuleType": reasons.OUTSIDE,
    "ConcreteModuleTypeBuilder": reasons.OUTSIDE,
    "DeepCopyMemoTable": reasons.OUTSIDE,
    "DeserializationStorageContext": reasons.OUTSIDE,
    "DeviceObjType": reasons.OUTSIDE,
    "DictType": reasons.OUTSIDE,
    "DisableTorchFunction": reasons.OUTSIDE,
    "DisableTorchFunctionSubclass": reasons.OUTSIDE,
    "DispatchKey": reasons.OUTSIDE,
    "DispatchKeySet": reasons.OUTSIDE,
    "DoubleStorage": reasons.RAW_MEMORY,
    "EnumType": reasons.OUTSIDE,
    "ErrorReport": reasons.OUTSIDE,
    "Event": reasons.OUTSIDE,
    "ExcludeDispatchKeyGuard": reasons.OUTSIDE,
    "ExecutionPlan": reasons.OUTSIDE,
    "FatalError": reasons.OUTSIDE,
    "FileCheck": reasons.OUTSIDE,
    "FloatStorage": reasons.RAW_MEMORY,
    "FloatType": reasons.OUTSIDE,
    "FunctionSchema": reasons.OUTSIDE,
    "Future": reasons.OUTSIDE,
    "FutureType": reasons.OUTSIDE,
    "GradScaler": reasons.OUTSIDE,
    "Gradient": reasons.OUTSIDE,
    "Graph": reasons.OUTSIDE,
    "GraphExecutorState": reasons.OUTSIDE,
    "HalfStorage": reasons.RAW_MEMORY,
    "IODescriptor": reasons.OUTSIDE,
    "InferredType": reasons.OUTSIDE,
    "IntStorage": reasons.RAW_MEMORY,
    "IntType": reasons.OUTSIDE,
    "InterfaceType": reasons.OUTSIDE,
    "JITException": reasons.OUTSIDE,
    "ListType": reasons.OUTSIDE,
    "LiteScriptModule": reasons.OUTSIDE,
    "LockingLogger": reasons.OUTSIDE,
    "LoggerBase": reasons.OUTSIDE,
    "LongStorage": reasons.RAW_MEMORY,
    "ModuleDict": reasons.OUTSIDE,
    "Node": reasons.OUTSIDE,
    "NoneType": reasons.OUTSIDE,
    "NoopLogger": reasons.OUTSIDE,
    "NumberType": reasons.OUTSIDE,
    "OperatorInfo": reasons.OUTSIDE,
    "OptionalType": reasons.OUTSIDE,
    "PRIVATE_OPS": reasons.OUTSIDE,
    "ParameterDict": reasons.OUTSIDE,
    "PyObjectType": reasons.OUTSIDE,
    "PyTorchFileReader": reasons.OUTSIDE,
    "PyTorchFileWriter": reasons.OUTSIDE,
    "QInt32Storage": reasons.RAW_MEMORY,
    "QInt8Storage": reasons.RAW_MEMORY,
    "QUInt2x4Storage": reasons.RAW_MEMORY,
    "QUInt4x2Storage": reasons.RAW_MEMORY,
    "QUInt8Storage": reasons.RAW_MEMORY,
    "RRefType": reasons.OUTSIDE,
    "SUM": reasons.OUTSIDE,
    "ScriptClass": reasons.OUTSIDE,
    "ScriptClassFunction": reasons.OUTSIDE,
    "ScriptDict": reasons.OUTSIDE,
    "ScriptDictIterator": reasons.OUTSIDE,
    "ScriptDictKeyIterator": reasons.OUTSIDE,
    "ScriptFunction": reasons.OUTSIDE,
    "ScriptList": reasons.OUTSIDE,
    "ScriptListIterator": reasons.OUTSIDE,
    "ScriptMethod": reasons.OUTSIDE,
    "ScriptModule": reasons.OUTSIDE,
    "ScriptModuleSerializer": reasons.OUTSIDE,
    "ScriptObject": reasons.OUTSIDE,
    "ScriptObjectProperty": reasons.OUTSIDE,
    "SerializationStorageContext": reasons.OUTSIDE,
    "ShortStorage": reasons.RAW_MEMORY,
    "StaticModule": reasons.OUTSIDE,
    "Storage": reasons.RAW_MEMORY,
    "StorageBase": reasons.OUTSIDE,
    "Stream": reasons.OUTSIDE,
    "StreamObjType": reasons.OUTSIDE,
    "StringType": reasons.OUTSIDE,
    "SymBool": reasons.OUTSIDE,
    "SymBoolType": reasons.OUTSIDE,
    "SymFloat": reasons.OUTSIDE,
    "SymInt": reasons.OUTSIDE,
    "SymIntType": reasons.OUTSIDE,
    "TYPE_CHECKING": reasons.OUTSIDE,
    "Tag": reasons.OUTSIDE,
    "TensorType": reasons.OUTSIDE,
    "ThroughputBenchmark": reasons.OUTSIDE,
    "TracingState": reasons.OUTSIDE,
    "TupleType": reasons.OUTSIDE,
    "Type": reasons.OUTSIDE,
    "TypedStorage": reasons.RAW_MEMORY,
    "USE_GLOBAL_DEPS": reasons.OUTSIDE,
    "USE_RTLD_GLOBAL_WITH_LIBTORCH": reasons.OUTSIDE,
    "UnionType": reasons.OUTSIDE,
    "UntypedStorage": reasons.RAW_MEMORY,
    "Use": reasons.OUTSIDE,
    "Value": reasons.OUTSIDE,
    "accelerator": reasons.OUTSIDE,
    "amp": reasons.GPU,
    "ao": reasons.OUTSIDE,
    "as_strided": STRIDED,
    "as_strided_": STRIDED,
    "as_strided_copy": STRIDED,
    "as_strided_scatter": STRIDED,
    "autocast_decrement_nesting": reasons.OUTSIDE,
    "autocast_increment_nesting": reasons.OUTSIDE,
    "autograd": reasons.OUTSIDE,
    "backends": reasons.OUTSIDE,
    "builtins": reasons.PY_MODULE,
    "classes": reasons.NATIVE,
    "classproperty": reasons.OUTSIDE,
    "clear_autocast_cache": reasons.OUTSIDE,
    "compile": reasons.COMPILER,
    "compiled_with_cxx11_abi": reasons.OUTSIDE,
    "compiler": reasons.COMPILER,
    "cond": reasons.OUTSIDE,
    "cpp": reasons.NATIVE,
    "cpu": reasons.OUTSIDE,
    "ctypes": reasons.PY_MODULE,
    "cuda": reasons.OUTSIDE,
    "cudnn_affine_grid_generator": reasons.NATIVE,
    "cudnn_batch_norm": reasons.NATIVE,
    "cudnn_convolution": reasons.NATIVE,
    "cudnn_convolution_add_relu": reasons.NATIVE,
    "cudnn_convolution_relu": reasons.NATIVE,
    "cudnn_convolution_transpose": reasons.NATIVE,
    "cudnn_grid_sampler": reasons.NATIVE,
    "cudnn_is_acceptable": reasons.NATIVE,
    "distributed": reasons.NETWORK,
    "distributions": reasons.OUTSIDE,
    "eig": reasons.OUTSIDE,
    "empty_quantized": QUANTIZED,
    "empty_strided": STRIDED,
    "export": reasons.COMPILER,
    "fbgemm_linear_fp16_weight": reasons.NATIVE,
    "fbgemm_linear_fp16_weight_fp32_activation": reasons.NATIVE,
    "fbgemm_linear_int8_weight": reasons.NATIVE,
    "fbgemm_linear_int8_weight_fp32_activation": reasons.NATIVE,
    "fbgemm_linear_quantize_weight": reasons.NATIVE,
    "fbgemm_pack_gemm_matrix_fp16": reasons.NATIVE,
    "fbgemm_pack_quantized_matrix": reasons.NATIVE,
    "fft": reasons.OUTSIDE,
    "fork": reasons.PROCESSES,
    "from_dlpack": reasons.RAW_MEMORY,
    "from_file": reasons.FILES,
    "frombuffer": reasons.RAW_MEMORY,
    "func": reasons.OUTSIDE,
    "functional": reasons.OUTSIDE,
    "functools": reasons.PY_MODULE,
    "futures": reasons.PROCESSES,
    "fx": reasons.COMPILER,
    "get_autocast_cpu_dtype": reasons.OUTSIDE,
    "get_autocast_dtype": reasons.OUTSIDE,
    "get_autocast_gpu_dtype": reasons.OUTSIDE,
    "get_autocast_ipu_dtype": reasons.OUTSIDE,
    "get_autocast_xla_dtype": reasons.OUTSIDE,
    "get_deterministic_debug_mode": reasons.OUTSIDE,
    "get_device_module": reasons.OUTSIDE,
    "get_file_path": reasons.FILES,
    "get_float32_matmul_precision": reasons.OUTSIDE,
    "glob": reasons.PY_MODULE,
    "has_lapack": reasons.OUTSIDE,
    "has_mkl": reasons.OUTSIDE,
    "has_openmp": reasons.OUTSIDE,
    "has_spectral": reasons.OUTSIDE,
    "hspmm": SPARSE,
    "hub": reasons.NETWORK,
    "import_ir_module": reasons.COMPILER,
    "import_ir_module_from_buffer": reasons.COMPILER,
    "importlib": reasons.PY_MODULE,
    "init_num_threads": reasons.THREADS,
    "inspect": reasons.PY_MODULE,
    "is_anomaly_check_nan_enabled": reasons.OUTSIDE,
    "is_autocast_cache_enabled": reasons.OUTSIDE,
    "is_autocast_cpu_enabled": reasons.OUTSIDE,
    "is_autocast_enabled": reasons.OUTSIDE,
    "is_autocast_ipu_enabled": reasons.OUTSIDE,
    "is_autocast_xla_enabled": reasons.OUTSIDE,
    "is_storage": reasons.OUTSIDE,
    "is_warn_always_enabled": reasons.OUTSIDE,
    "jagged": reasons.OUTSIDE,
    "jit": reasons.COMPILER,
    "legacy_contiguous_format": reasons.OUTSIDE,
    "library": reasons.NATIVE,
    "linalg": reasons.OUTSIDE,
    "load": reasons.UNPICKLE,
    "lstsq": reasons.OUTSIDE,
    "masked": reasons.OUTSIDE,
    "math": reasons.PY_MODULE,
    "matrix_rank": reasons.OUTSIDE,
    "merge_type_from_type_comment": reasons.OUTSIDE,
    "miopen_batch_norm": reasons.NATIVE,
    "miopen_convolution": reasons.NATIVE,
    "miopen_convolution_add_relu": reasons.NATIVE,
    "miopen_convolution_relu": reasons.NATIVE,
    "miopen_convolution_transpose": reasons.NATIVE,
    "miopen_ctc_loss": reasons.NATIVE,
    "miopen_depthwise_convolution": reasons.NATIVE,
    "miopen_rnn": reasons.NATIVE,
    "mkldnn_adaptive_avg_pool2d": reasons.NATIVE,
    "mkldnn_convolution": reasons.NATIVE,
    "mkldnn_linear_backward_weights": reasons.NATIVE,
    "mkldnn_max_pool2d": reasons.NATIVE,
    "mkldnn_max_pool3d": reasons.NATIVE,
    "mkldnn_rnn_layer": reasons.NATIVE,
    "monitor": reasons.OUTSIDE,
    "mps": reasons.GPU,
    "mtia": reasons.GPU,
    "multiprocessing": reasons.PROCESSES,
    "nested": NESTED,
    "nn": reasons.OUTSIDE,
    "ops": reasons.NATIVE,
    "optim": reasons.OUTSIDE,
    "os": reasons.PY_MODULE,
    "overrides": "it changes how every torch function dispatches",
    "package": reasons.PICKLE,
    "parse_ir": reasons.COMPILER,
    "parse_schema": reasons.OUTSIDE,
    "parse_type_comment": reasons.OUTSIDE,
    "per_channel_affine": reasons.OUTSIDE,
    "per_channel_affine_float_qparams": reasons.OUTSIDE,
    "per_channel_symmetric": reasons.OUTSIDE,
    "per_tensor_affine": reasons.OUTSIDE,
    "per_tensor_symmetric": reasons.OUTSIDE,
    "platform": reasons.PY_MODULE,
    "prepare_multiprocessing_environment": reasons.PROCESSES,
    "profiler": reasons.FILES,
    "profiler_allow_cudagraph_cupti_lazy_reinit_cuda12": reasons.OUTSIDE,
    "q_per_channel_axis": reasons.NATIVE,
    "q_per_channel_scales": reasons.NATIVE,
    "q_per_channel_zero_points": reasons.NATIVE,
    "q_scale": reasons.NATIVE,
    "q_zero_point": reasons.NATIVE,
    "qint32": QUANTIZED,
    "qint8": QUANTIZED,
    "qscheme": reasons.OUTSIDE,
    "quantization": reasons.OUTSIDE,
    "quantize_per_channel": reasons.NATIVE,
    "quantize_per_tensor": reasons.NATIVE,
    "quantize_per_tensor_dynamic": reasons.NATIVE,
    "quantized_batch_norm": reasons.NATIVE,
    "quantized_gru": reasons.NATIVE,
    "quantized_gru_cell": reasons.NATIVE,
    "quantized_lstm": reasons.NATIVE,
    "quantized_lstm_cell": reasons.NATIVE,
    "quantized_max_pool1d": reasons.NATIVE,
    "quantized_max_pool2d": reasons.NATIVE,
    "quantized_max_pool3d": reasons.NATIVE,
    "quantized_rnn_relu_cell": reasons.NATIVE,
    "quantized_rnn_tanh_cell": reasons.NATIVE,
    "quasirandom": reasons.OUTSIDE,
    "quint2x4": QUANTIZED,
    "quint4x2": QUANTIZED,
    "quint8": QUANTIZED,
    "random": reasons.OUTSIDE,
    "resize_as_sparse_": SPARSE,
    "return_types": reasons.OUTSIDE,
    "save": reasons.FILES,
    "serialization": reasons.UNPICKLE,
    "set_anomaly_enabled": reasons.GLOBAL_STATE,
    "set_autocast_cache_enabled": reasons.OUTSIDE,
    "set_autocast_cpu_dtype": reasons.OUTSIDE,
    "set_autocast_cpu_enabled": reasons.OUTSIDE,
    "set_autocast_dtype": reasons.OUTSIDE,
    "set_autocast_enabled": reasons.OUTSIDE,
    "set_autocast_gpu_dtype": reasons.OUTSIDE,
    "set_autocast_ipu_dtype": reasons.OUTSIDE,
    "set_autocast_ipu_enabled": reasons.OUTSIDE,
    "set_autocast_xla_dtype": reasons.OUTSIDE,
    "set_autocast_xla_enabled": reasons.OUTSIDE,
    "set_default_device": reasons.GLOBAL_STATE,
    "set_default_dtype": reasons.GLOBAL_STATE,
    "set_default_tensor_type": reasons.GLOBAL_STATE,
    "set_deterministic_debug_mode": reasons.GLOBAL_STATE,
    "set_float32_matmul_precision": reasons.GLOBAL_STATE,
    "set_flush_denormal": reasons.GLOBAL_STATE,
    "set_num_interop_threads": reasons.THREADS,
    "set_num_threads": reasons.THREADS,
    "set_warn_always": reasons.GLOBAL_STATE,
    "signal": reasons.PY_MODULE,
    "smm": SPARSE,
    "solve": reasons.OUTSIDE,
    "sparse": SPARSE,
    "sparse_bsc": SPARSE,
    "sparse_bsc_tensor": "sparse tensor constructors skip their bounds checks by default",
    "sparse_bsr": SPARSE,
    "sparse_bsr_tensor": "sparse tensor constructors skip their bounds checks by default",
    "sparse_compressed_tensor": "sparse tensor constructors skip their bounds checks by default",
    "sparse_coo": SPARSE,
    "sparse_coo_tensor": "sparse tensor constructors skip their bounds checks by default",
    "sparse_csc": SPARSE,
    "sparse_csc_tensor": "sparse tensor constructors skip their bounds checks by default",
    "sparse_csr": SPARSE,
    "sparse_csr_tensor": "sparse tensor constructors skip their bounds checks by default",
    "special": reasons.OUTSIDE,
    "sspaddmm": SPARSE,
    "storage": reasons.RAW_MEMORY,
    "sym_constrain_range": reasons.NATIVE,
    "sym_constrain_range_for_size": reasons.NATIVE,
    "sym_float": reasons.NATIVE,
    "sym_fresh_size": reasons.NATIVE,
    "sym_int": reasons.NATIVE,
    "sym_ite": reasons.NATIVE,
    "sym_max": reasons.NATIVE,
    "sym_min": reasons.NATIVE,
    "sym_not": reasons.NATIVE,
    "sym_sqrt": reasons.NATIVE,
    "sym_sum": reasons.NATIVE,
    "symeig": reasons.OUTSIDE,
    "sys": reasons.PY_MODULE,
    "testing": reasons.OUTSIDE,
    "textwrap": reasons.PY_MODULE,
    "thread_safe_generator": reasons.OUTSIDE,
    "threading": reasons.PY_MODULE,
    "to_dlpack": reasons.RAW_MEMORY,
    "torch": reasons.PY_MODULE,
    "torch_version": reasons.PY_MODULE,
    "types": reasons.PY_MODULE,
    "unify_type_list": reasons.OUTSIDE,
    "unsafe_chunk": UNSAFE,
    "unsafe_split": UNSAFE,
    "unsafe_split_with_sizes": UNSAFE,
    "utils": reasons.OUTSIDE,
    "version": reasons.PY_MODULE,
    "vmap": reasons.OUTSIDE,
    "wait": reasons.PROCESSES,
    "warnings": reasons.PY_MODULE,
    "while_loop": reasons.OUTSIDE,
    "windows": reasons.OUTSIDE,
    "xpu": reasons.GPU,
    "onnx": reasons.FILES,  # loaded lazily: in dir(torch) once something imported it
}

TENSOR_ALLOWED = name_set(
    """
    H T abs abs_ absolute absolute_ acos acos_ acosh acosh_ add add_ addbmm addbmm_ addcdiv addcdiv_ addcmul
    addcmul_ addmm addmm_ addmv addmv_ addr addr_ adjoint all allclose amax amin aminmax angle any apply_
    arccos arccos_ arccosh arccosh_ arcsin arcsin_ arcsinh arcsinh_ arctan arctan2 arctan2_ arctan_ arctanh
    arctanh_ argmax argmin argsort argwhere as_subclass asin asin_ asinh asinh_ atan atan2 atan2_ atan_
    atanh atanh_ backward baddbmm baddbmm_ bernoulli bernoulli_ bfloat16 bincount bitwise_and bitwise_and_
    bitwise_left_shift bitwise_left_shift_ bitwise_not bitwise_not_ bitwise_or bitwise_or_
    bitwise_right_shift bitwise_right_shift_ bitwise_xor bitwise_xor_ bmm bool broadcast_to byte cauchy_
    cdouble ceil ceil_ cfloat chalf char cholesky cholesky_inverse cholesky_solve chunk clamp clamp_
    clamp_max clamp_max_ clamp_min clamp_min_ clip clip_ clone conj conj_physical conj_physical_ contiguous
    copy_ copysign copysign_ corrcoef cos cos_ cosh cosh_ count_nonzero cov cpu cross cummax cummin cumprod
    cumprod_ cumsum cumsum_ data deg2rad deg2rad_ dense_dim dequantize det detach detach_ device diag
    diag_embed diagflat diagonal diagonal_scatter diff digamma digamma_ dim dim_order dist div div_ divide
    divide_ dot double dsplit dtype eig element_size eq eq_ equal erf erf_ erfc erfc_ erfinv erfinv_ exp
    exp2 exp2_ exp_ expand expand_as expm1 expm1_ exponential_ fill_ fill_diagonal_ fix fix_ flatten flip
    fliplr flipud float float_power float_power_ floor floor_ floor_divide floor_divide_ fmax fmin fmod
    fmod_ frac frac_ frexp gather gcd gcd_ ge ge_ geometric_ geqrf ger get_device grad grad_dtype grad_fn
    greater greater_ greater_equal greater_equal_ gt gt_ half hardshrink hash_tensor heaviside heaviside_
    histc histogram hsplit hypot hypot_ i0 i0_ igamma igamma_ igammac igammac_ imag index index_add
    index_add_ index_copy index_copy_ index_fill index_fill_ index_put index_put_ index_reduce index_reduce_
    index_select inner int inverse is_coalesced is_complex is_conj is_contiguous is_cpu is_cuda
    is_distributed is_floating_point is_inference is_ipu is_leaf is_maia is_meta is_mkldnn is_mps is_mtia
    is_neg is_nonzero is_quantized is_same_size is_set_to is_signed is_sparse is_sparse_csr is_vulkan is_xla
    is_xpu isclose isfinite isinf isnan isneginf isposinf isreal istft item itemsize kron kthvalue layout
    lcm lcm_ ldexp ldexp_ le le_ lerp lerp_ less less_ less_equal less_equal_ lgamma lgamma_ log log10
    log10_ log1p log1p_ log2 log2_ log_ log_normal_ log_softmax logaddexp logaddexp2 logcumsumexp logdet
    logical_and logical_and_ logical_not logical_not_ logical_or logical_or_ logical_xor logical_xor_ logit
    logit_ logsumexp long lstsq lt lt_ lu lu_solve mH mT map2_ map_ masked_fill masked_fill_ masked_scatter
    masked_scatter_ masked_select matmul matrix_exp matrix_power max maximum mean median min minimum mm mode
    moveaxis movedim msort mul mul_ multinomial multiply multiply_ mv mvlgamma mvlgamma_ name nan_to_num
    nan_to_num_ nanmean nanmedian nanquantile nansum narrow narrow_copy nbytes ndim ndimension ne ne_ neg
    neg_ negative negative_ nelement new new_empty new_empty_strided new_full new_ones new_tensor new_zeros
    nextafter nextafter_ nonzero nonzero_static norm normal_ not_equal not_equal_ numel numpy orgqr ormqr
    outer output_nr permute pinverse polygamma polygamma_ positive pow pow_ prelu prod put put_ qr quantile
    rad2deg rad2deg_ random_ ravel real reciprocal reciprocal_ register_hook
    register_post_accumulate_grad_hook reinforce relu relu_ remainder remainder_ renorm renorm_ repeat
    repeat_interleave requires_grad requires_grad_ reshape reshape_as resize resize_ resize_as resize_as_
    resolve_conj resolve_neg retain_grad retains_grad roll rot90 round round_ rsqrt rsqrt_ scatter scatter_
    scatter_add scatter_add_ scatter_reduce scatter_reduce_ select select_scatter sgn sgn_ shape short
    sigmoid sigmoid_ sign sign_ signbit sin sin_ sinc sinc_ sinh sinh_ size slice_inverse slice_scatter
    slogdet softmax solve sort split split_with_sizes sqrt sqrt_ square square_ squeeze squeeze_ std stft
    storage_offset stride sub sub_ subtract subtract_ sum sum_to_size svd swapaxes swapaxes_ swapdims
    swapdims_ symeig t t_ take take_along_dim tan tan_ tanh tanh_ tensor_split tile to to_dense
    to_padded_tensor tolist topk trace transpose transpose_ triangular_solve tril tril_ triu triu_
    true_divide true_divide_ trunc trunc_ type type_as unbind unflatten unfold uniform_ unique
    unique_consecutive unsqueeze unsqueeze_ var vdot view view_as volatile vsplit where xlogy xlogy_ zero_
    """
)

TENSOR_REFUSED: dict[str, str] = {
    "as_strided": STRIDED,
    "as_strided_": STRIDED,
    "as_strided_scatter": STRIDED,
    "ccol_indices": SPARSE,
    "coalesce": SPARSE,
    "col_indices": SPARSE,
    "const_data_ptr": ADDRESS,
    "crow_indices": SPARSE,
    "cuda": reasons.GPU,
    "data_ptr": ADDRESS,
    "indices": SPARSE,
    "int_repr": reasons.NATIVE,
    "ipu": reasons.GPU,
    "is_nested": NESTED,
    "is_pinned": reasons.GPU,
    "is_shared": "it inspects shared-memory files",
    "module_load": reasons.NATIVE,
    "mtia": reasons.GPU,
    "pin_memory": reasons.GPU,
    "q_per_channel_axis": reasons.NATIVE,
    "q_per_channel_scales": reasons.NATIVE,
    "q_per_channel_zero_points": reasons.NATIVE,
    "q_scale": reasons.NATIVE,
    "q_zero_point": reasons.NATIVE,
    "qscheme": reasons.NATIVE,
    "record_stream": reasons.GPU,
    "resize_as_sparse_": SPARSE,
    "row_indices": SPARSE,
    "set_": reasons.RAW_MEMORY,
    "share_memory_": "it creates shared-memory files",
    "smm": SPARSE,
    "sparse_dim": SPARSE,
    "sparse_mask": SPARSE,
    "sparse_resize_": SPARSE,
    "sparse_resize_and_clear_": SPARSE,
    "sspaddmm": SPARSE,
    "storage": reasons.RAW_MEMORY,
    "storage_type": reasons.RAW_MEMORY,
    "to_mkldnn": reasons.NATIVE,
    "to_sparse": SPARSE,
    "to_sparse_bsc": SPARSE,
    "to_sparse_bsr": SPARSE,
    "to_sparse_coo": SPARSE,
    "to_sparse_csc": SPARSE,
    "to_sparse_csr": SPARSE,
    "unsafe_chunk": UNSAFE,
    "unsafe_split": UNSAFE,
    "unsafe_split_with_sizes": UNSAFE,
    "untyped_storage": reasons.RAW_MEMORY,
    "values": SPARSE,
    "xpu": reasons.GPU,
}

FUNCTIONAL_ALLOWED = name_set(
    """
    GRID_SAMPLE_INTERPOLATION_MODES GRID_SAMPLE_PADDING_MODES ScalingType SwizzleType adaptive_avg_pool1d
    adaptive_avg_pool2d adaptive_avg_pool3d adaptive_max_pool1d adaptive_max_pool1d_with_indices
    adaptive_max_pool2d adaptive_max_pool2d_with_indices adaptive_max_pool3d
    adaptive_max_pool3d_with_indices affine_grid alpha_dropout assert_int_or_pair avg_pool1d avg_pool2d
    avg_pool3d batch_norm bilinear binary_cross_entropy binary_cross_entropy_with_logits celu celu_
    channel_shuffle conv1d conv2d conv3d conv_tbc conv_transpose1d conv_transpose2d conv_transpose3d
    cosine_embedding_loss cosine_similarity cross_entropy ctc_loss dropout dropout1d dropout2d dropout3d elu
    elu_ embedding embedding_bag feature_alpha_dropout fold fractional_max_pool2d
    fractional_max_pool2d_with_indices fractional_max_pool3d fractional_max_pool3d_with_indices
    gaussian_nll_loss gelu glu grid_sample group_norm grouped_mm gumbel_softmax hardshrink hardsigmoid
    hardswish hardtanh hardtanh_ hinge_embedding_loss huber_loss instance_norm interpolate kl_div l1_loss
    layer_norm leaky_relu leaky_relu_ linear linear_cross_entropy local_response_norm log_softmax logsigmoid
    lp_pool1d lp_pool2d lp_pool3d margin_ranking_loss max_pool1d max_pool1d_with_indices max_pool2d
    max_pool2d_with_indices max_pool3d max_pool3d_with_indices max_unpool1d max_unpool2d max_unpool3d mish
    mse_loss multi_head_attention_forward multi_margin_loss multilabel_margin_loss
    multilabel_soft_margin_loss native_channel_shuffle nll_loss normalize one_hot pad pairwise_distance
    pdist pixel_shuffle pixel_unshuffle poisson_nll_loss prelu relu relu6 relu_ reproducibility_notes
    rms_norm rrelu rrelu_ scaled_dot_product_attention scaled_grouped_mm scaled_mm selu selu_ sigmoid silu
    smooth_l1_loss soft_margin_loss softmax softmin softplus softshrink softsign sparse_support_notes tanh
    tanhshrink tf32_notes threshold threshold_ triplet_margin_loss triplet_margin_with_distance_loss unfold
    upsample upsample_bilinear upsample_nearest
    """
)

FUNCTIONAL_REFUSED: dict[str, str] = {
    "BroadcastingList1": "it is a helper of torch's own code, not part of the functional API",
    "BroadcastingList2": "it is a helper of torch's own code, not part of the functional API",
    "BroadcastingList3": "it is a helper of torch's own code, not part of the functional API",
    "Callable": "it is a helper of torch's own code, not part of the functional API",
    "DType": "it is a helper of torch's own code, not part of the functional API",
    "Optional": "it is a helper of torch's own code, not part of the functional API",
    "TYPE_CHECKING": "it is a helper of torch's own code, not part of the functional API",
    "Tensor": "it is a helper of torch's own code, not part of the functional API",
    "boolean_dispatch": "it is a helper of torch's own code, not part of the functional API",
    "dataclasses": reasons.PY_MODULE,
    "grad": reasons.PY_MODULE,
    "handle_torch_function": "it is a helper of torch's own code, not part of the functional API",
    "has_torch_function": "it is a helper of torch's own code, not part of the functional API",
    "has_torch_function_unary": "it is a helper of torch's own code, not part of the functional API",
    "has_torch_function_variadic": "it is a helper of torch's own code, not part of the functional API",
    "importlib": reasons.PY_MODULE,
    "math": reasons.PY_MODULE,
    "np": reasons.PY_MODULE,
    "torch": reasons.PY_MODULE,
    "warnings": reasons.PY_MODULE,
}

NUMPY_ALLOWED = name_set(
    """
    False_ True_ abs absolute acos acosh add all allclose amax amin angle any append apply_along_axis
    apply_over_axes arange arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax argmin argpartition
    argsort argwhere around array array2string array_equal array_equiv array_repr array_split array_str
    asanyarray asarray asarray_chkfinite ascontiguousarray asfortranarray asin asinh asmatrix astype atan
    atan2 atanh atleast_1d atleast_2d atleast_3d average bartlett base_repr binary_repr bincount bitwise_and
    bitwise_count bitwise_invert bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor
    blackman block bmat bool bool_ broadcast broadcast_arrays broadcast_shapes broadcast_to busday_count
    busday_offset busdaycalendar byte bytes_ c_ can_cast cbrt cdouble ceil character choose clip clongdouble
    column_stack common_type complex128 complex256 complex64 complexfloating compress concat concatenate
    conj conjugate convolve copy copysign copyto corrcoef correlate cos cosh count_nonzero cov cross csingle
    cumprod cumsum cumulative_prod cumulative_sum datetime64 datetime_as_string datetime_data deg2rad
    degrees delete diag diag_indices diag_indices_from diagflat diagonal diff digitize divide divmod dot
    double dsplit dstack dtype e ediff1d einsum einsum_path empty empty_like equal errstate euler_gamma exp
    exp2 expand_dims expm1 extract eye fabs fft fill_diagonal finfo fix flatiter flatnonzero flexible flip
    fliplr flipud float128 float16 float32 float64 float_power floating floor floor_divide fmax fmin fmod
    format_float_positional format_float_scientific frexp fromfunction fromiter frompyfunc full full_like
    gcd generic geomspace get_printoptions getbufsize geterr geterrcall gradient greater greater_equal half
    hamming hanning heaviside histogram histogram2d histogram_bin_edges histogramdd hsplit hstack hypot i0
    identity iinfo imag index_exp indices inexact inf inner insert int16 int32 int64 int8 int_ intc integer
    interp intersect1d intp invert is_busday isclose iscomplex iscomplexobj isdtype isfinite isfortran isin
    isinf isnan isnat isneginf isposinf isreal isrealobj isscalar issubdtype iterable ix_ kaiser kron lcm
    ldexp left_shift less less_equal lexsort linalg linspace little_endian log log10 log1p log2 logaddexp
    logaddexp2 logical_and logical_not logical_or logical_xor logspace long longdouble longlong mask_indices
    matmul matrix_transpose matvec max maximum may_share_memory mean median meshgrid mgrid min
    min_scalar_type minimum mintypecode mod modf moveaxis multiply nan nan_to_num nanargmax nanargmin
    nancumprod nancumsum nanmax nanmean nanmedian nanmin nanpercentile nanprod nanquantile nanstd nansum
    nanvar ndarray ndenumerate ndim ndindex negative newaxis nextafter nonzero not_equal number object_
    ogrid ones ones_like outer packbits pad partition percentile permute_dims pi piecewise place poly poly1d
    polyadd polyder polydiv polyfit polyint polymul polysub polyval positive pow power printoptions prod
    promote_types ptp put put_along_axis putmask quantile r_ rad2deg radians random ravel ravel_multi_index
    real real_if_close reciprocal record remainder repeat require reshape resize result_type right_shift
    rint roll rollaxis roots rot90 round row_stack s_ sctypeDict searchsorted select set_printoptions
    setdiff1d seterr seterrcall setxor1d shape shares_memory short sign signbit signedinteger sin sinc
    single sinh size sort sort_complex spacing split sqrt square squeeze stack std str_ subtract sum
    swapaxes take take_along_axis tan tanh tensordot tile timedelta64 trace transpose trapezoid tri tril
    tril_indices tril_indices_from trim_zeros triu triu_indices triu_indices_from true_divide trunc
    typecodes typename ubyte ufunc uint uint16 uint32 uint64 uint8 uintc uintp ulong ulonglong union1d
    unique unique_all unique_counts unique_inverse unique_values unpackbits unravel_index unsignedinteger
    unstack unwrap ushort vander var vdot vecdot vecmat vectorize void vsplit vstack where zeros zeros_like
    """
)

NUMPY_REFUSED: dict[str, str] = {
    "ScalarType": "it holds memoryview, which exposes raw memory; use np.generic or isinstance checks",
    "char": "its character arrays take raw buffers",
    "core": reasons.OUTSIDE,
    "ctypeslib": reasons.NATIVE,
    "dtypes": reasons.OUTSIDE,
    "emath": reasons.OUTSIDE,
    "exceptions": reasons.OUTSIDE,
    "f2py": reasons.NATIVE,
    "from_dlpack": reasons.RAW_MEMORY,
    "frombuffer": reasons.RAW_MEMORY,
    "fromfile": reasons.FILES,
    "fromregex": reasons.FILES,
    "fromstring": "it reinterprets raw bytes; use np.array or np.fromiter",
    "genfromtxt": reasons.FILES,
    "get_include": reasons.FILES,
    "info": reasons.FILES,
    "lib": reasons.RAW_MEMORY,
    "load": reasons.UNPICKLE,
    "loadtxt": reasons.FILES,
    "ma": reasons.OUTSIDE,
    "matrix": "its constructor takes a raw buffer; use np.array",
    "memmap": reasons.FILES,
    "nditer": "it hands out buffer views with writable flags",
    "nested_iters": "it builds iterators over raw buffers",
    "polynomial": reasons.OUTSIDE,
    "rec": "its record arrays take raw buffers",
    "recarray": "its constructor takes a raw buffer; use np.array",
    "save": reasons.FILES,
    "savetxt": reasons.FILES,
    "savez": reasons.FILES,
    "savez_compressed": reasons.FILES,
    "setbufsize": reasons.GLOBAL_STATE,
    "show_config": reasons.OUTSIDE,
    "show_runtime": reasons.OUTSIDE,
    "strings": reasons.OUTSIDE,
    "test": reasons.PROCESSES,
    "testing": reasons.PROCESSES,
    "typing": reasons.OUTSIDE,
}

NDARRAY_ALLOWED = name_set(
    """
    T all any argmax argmin argpartition argsort astype base byteswap choose clip compress conj conjugate
    copy cumprod cumsum device diagonal dot dtype fill flags flat flatten imag item itemsize mT max mean min
    nbytes ndim nonzero partition prod put ravel real repeat reshape resize round searchsorted shape size
    sort squeeze std strides sum swapaxes take to_device tobytes tolist trace transpose var view
    """
)

NDARRAY_REFUSED: dict[str, str] = {
    "ctypes": "it hands out C pointers to raw memory",
    "data": reasons.RAW_MEMORY,
    "dump": reasons.PICKLE,
    "dumps": reasons.PICKLE,
    "getfield": "it reinterprets raw bytes at an offset",
    "setfield": "it writes raw bytes at an offset",
    "setflags": reasons.RAW_MEMORY,
    "tofile": reasons.FILES,
}

NUMPY_SCALAR_ALLOWED = name_set(
    """
    T all any argmax argmin argsort astype base byteswap choose clip compress conj conjugate copy cumprod
    cumsum device diagonal dtype fill flags flat flatten imag item itemsize max mean min nbytes ndim nonzero
    prod put ravel real repeat reshape resize round searchsorted shape size sort squeeze std strides sum
    swapaxes take to_device tobytes tolist trace transpose var view
    """
)

NUMPY_SCALAR_REFUSED: dict[str, str] = {
    "data": reasons.RAW_MEMORY,
    "dump": reasons.PICKLE,
    "dumps": reasons.PICKLE,
    "getfield": "it reinterprets raw bytes at an offset",
    "setfield": "it writes raw bytes at an offset",
    "setflags": reasons.RAW_MEMORY,
    "tofile": reasons.FILES,
}

MODULE_ALLOWED = name_set(
    """
    T_destination add_module apply bfloat16 buffers call_super_init children cpu double dump_patches eval
    extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half load_state_dict
    modules named_buffers named_children named_modules named_parameters parameters register_backward_hook
    register_buffer register_forward_hook register_forward_pre_hook register_full_backward_hook
    register_full_backward_pre_hook register_load_state_dict_post_hook register_load_state_dict_pre_hook
    register_module register_parameter register_state_dict_post_hook register_state_dict_pre_hook
    requires_grad_ set_extra_state set_submodule state_dict to to_empty train type zero_grad
    """
)

MODULE_REFUSED: dict[str, str] = {
    "compile": reasons.COMPILER,
    "cuda": reasons.GPU,
    "ipu": reasons.GPU,
    "mtia": reasons.GPU,
    "share_memory": "it creates shared-memory files",
    "xpu": reasons.GPU,
}
