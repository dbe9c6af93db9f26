"""Why each refused part of torch and numpy is refused: the text after "X is not available here: "."""

from __future__ import annotations

from sandbox.surface.names import name_set

FILES = "it reads or writes files"
UNPICKLE = "it unpickles files, which can run arbitrary code"
PICKLE = "it pickles objects, and unpickling them can run arbitrary code"
NATIVE = "it loads or calls native code directly"
COMPILER = "it compiles code outside the sandbox's language policy"
PROCESSES = "it starts processes or threads"
NETWORK = "it downloads files or opens network connections"
GLOBAL_STATE = "it changes global state shared by the whole sandbox"
THREADS = "it changes the process's thread pool"
RAW_MEMORY = "raw storage and pointer access can corrupt memory"
HOOKS = "it installs process-wide hooks"
GPU = "the sandbox has no GPU"
PY_MODULE = "it is a Python module re-exported by torch, outside the curated surface"
OUTSIDE = "it is outside the tutorial surface of this sandbox"
POINTER = "it reveals memory addresses"
ALIASING = (
    "it makes a view with arbitrary strides and offset, unchecked against the memory it aliases;"
    " use view, reshape, expand or unfold"
)
UNSAFE = "it skips autograd's aliasing checks; use chunk or split"
SPARSE = "sparse tensors' index and value accessors alias memory without bounds checks; use dense tensors"
NESTED = "nested tensors' internals alias memory without bounds checks; use padded dense tensors"
SHARED_MEMORY = "it creates or inspects shared-memory files"
DISPATCH = "it changes how every torch function dispatches"
RAW_BUFFER = "it builds an array over a raw buffer, which can forge pointers; use np.array or np.zeros"
UNCLASSIFIED = "it is new in this version and not yet classified for the sandbox"

TORCH: dict[str, str] = {
    "load": UNPICKLE,
    "save": FILES,
    "from_file": FILES,
    "frombuffer": RAW_MEMORY,
    "from_dlpack": RAW_MEMORY,
    "to_dlpack": RAW_MEMORY,
    "hub": NETWORK,
    "ops": NATIVE,
    "library": NATIVE,
    "classes": NATIVE,
    "cpp": NATIVE,
    "jit": COMPILER,
    "compile": COMPILER,
    "compiler": COMPILER,
    "export": COMPILER,
    "fx": COMPILER,
    "package": PICKLE,
    "serialization": UNPICKLE,
    "onnx": FILES,
    "multiprocessing": PROCESSES,
    "distributed": NETWORK,
    "fork": PROCESSES,
    "wait": PROCESSES,
    "futures": PROCESSES,
    "overrides": DISPATCH,
    "set_num_threads": THREADS,
    "set_num_interop_threads": THREADS,
    "init_num_threads": THREADS,
    "set_default_dtype": GLOBAL_STATE,
    "set_default_tensor_type": GLOBAL_STATE,
    "set_default_device": GLOBAL_STATE,
    "set_flush_denormal": GLOBAL_STATE,
    "set_warn_always": GLOBAL_STATE,
    "set_float32_matmul_precision": GLOBAL_STATE,
    "set_deterministic_debug_mode": GLOBAL_STATE,
    "set_anomaly_enabled": GLOBAL_STATE,
    "storage": RAW_MEMORY,
    "Storage": RAW_MEMORY,
    "UntypedStorage": RAW_MEMORY,
    "TypedStorage": RAW_MEMORY,
    "profiler": FILES,
    "import_ir_module": COMPILER,
    "import_ir_module_from_buffer": COMPILER,
    "parse_ir": COMPILER,
    "get_file_path": FILES,
    "prepare_multiprocessing_environment": PROCESSES,
    "mps": GPU,
    "xpu": GPU,
    "mtia": GPU,
    "amp": GPU,
}

MATPLOTLIB: dict[str, str] = {
    "image": FILES + "; the sandbox returns your figures as pictures",
    "font_manager": FILES,
    "animation": PROCESSES + " (it runs ffmpeg); draw the frames as separate figures",
    "backends": "the sandbox draws with the Agg backend only; figures come back as pictures",
    "testing": PROCESSES,
    "cbook": OUTSIDE,
    "texmanager": PROCESSES + " (LaTeX); mathtext such as '$x^2$' works without it",
}

TORCH_PY_MODULES = name_set(
    """
    os sys builtins ctypes importlib inspect glob platform signal threading textwrap types warnings
    functools math torch version torch_version
    """
)

TORCH_UTILS: dict[str, str] = {
    "cpp_extension": NATIVE,
    "model_zoo": NETWORK,
    "tensorboard": FILES,
    "dlpack": RAW_MEMORY,
    "collect_env": PROCESSES,
    "benchmark": COMPILER,
    "bottleneck": PROCESSES,
    "mobile_optimizer": COMPILER,
    "hooks": HOOKS,
    "backcompat": GLOBAL_STATE,
}

TORCH_AUTOGRAD: dict[str, str] = {
    "graph": HOOKS,
    "profiler": FILES,
    "profiler_util": FILES,
    "profiler_legacy": FILES,
}

TENSOR_METHODS: dict[str, str] = {
    "storage": RAW_MEMORY,
    "untyped_storage": RAW_MEMORY,
    "storage_type": RAW_MEMORY,
    "data_ptr": RAW_MEMORY,
    "set_": RAW_MEMORY,
    "share_memory_": SHARED_MEMORY,
    "is_shared": SHARED_MEMORY,
    "record_stream": GPU,
}

MODULE_METHODS: dict[str, str] = {
    "share_memory": SHARED_MEMORY,
    "compile": COMPILER,
}

# Refused on every object: numpy's random generators, arrays and others hand out C pointers this way.
ANY_OBJECT: dict[str, str] = {
    "ctypes": "it hands out C pointers to raw memory",
    "cffi": "it hands out C pointers to raw memory",
}

NUMPY: dict[str, str] = {
    "load": UNPICKLE,
    "save": FILES,
    "savez": FILES,
    "savez_compressed": FILES,
    "savetxt": FILES,
    "loadtxt": FILES,
    "genfromtxt": FILES,
    "fromfile": FILES,
    "fromregex": FILES,
    "tofile": FILES,
    "memmap": FILES,
    "DataSource": NETWORK,
    "frombuffer": RAW_MEMORY,
    "from_dlpack": RAW_MEMORY,
    "ctypeslib": NATIVE,
    "ctypes": NATIVE,
    "lib": RAW_MEMORY,
    "distutils": NATIVE,
    "f2py": NATIVE,
    "testing": PROCESSES,
    "show_config": OUTSIDE,
    "show_runtime": OUTSIDE,
    "get_include": FILES,
    "info": FILES,
}

NDARRAY_METHODS: dict[str, str] = {
    "tofile": FILES,
    "dump": PICKLE,
    "dumps": PICKLE,
    "data": RAW_MEMORY,
    "setflags": RAW_MEMORY,
}
