"""Hostile snippets against the curated torch/numpy surface: refused with a named reason, contained."""

from __future__ import annotations

import pytest

from sandbox.result import Status
from tests.sandbox.helpers import assert_denied, assert_next_run_works

TORCH_REFUSALS = [
    pytest.param("torch.os", "torch.os", "re-exported", id="reexported-os"),
    pytest.param("torch.sys.modules", "torch.sys", "re-exported", id="reexported-sys"),
    pytest.param("torch.serialization.pickle", "torch.serialization", "unpickles", id="serialization-pickle"),
    pytest.param(
        "torch.utils.cpp_extension.load", "torch.utils.cpp_extension", "native code", id="cpp-extension"
    ),
    pytest.param("torch.ops.aten.add", "torch.ops", "native code", id="ops"),
    pytest.param("torch.load('model.pt')", "torch.load", "unpickles files", id="load"),
    pytest.param("torch.save(torch.ones(1), 'x.pt')", "torch.save", "files", id="save"),
    pytest.param("torch.from_file('/etc/passwd', size=4)", "torch.from_file", "files", id="from-file"),
    pytest.param("torch.frombuffer(b'abcd', dtype=torch.uint8)", "torch.frombuffer", "raw", id="frombuffer"),
    pytest.param("torch.hub.load('pytorch/vision', 'resnet18')", "torch.hub", "downloads", id="hub-load"),
    pytest.param("torch.jit.script(lambda x: x)", "torch.jit", "compiles", id="jit-script"),
    pytest.param("torch.compile(lambda x: x)", "torch.compile", "compiles", id="compile"),
    pytest.param("torch.library.Library('x', 'DEF')", "torch.library", "native code", id="library"),
    pytest.param("torch.multiprocessing.Process", "torch.multiprocessing", "processes", id="multiprocessing"),
    pytest.param("torch.distributed.init_process_group", "torch.distributed", "network", id="distributed"),
    pytest.param("torch.overrides.TorchFunctionMode", "torch.overrides", "dispatch", id="overrides"),
    pytest.param("torch.set_num_threads(8)", "torch.set_num_threads", "thread pool", id="set-num-threads"),
    pytest.param(
        "torch.set_default_dtype(torch.float64)", "torch.set_default_dtype", "global", id="default-dtype"
    ),
    pytest.param(
        "torch.set_default_tensor_type(torch.DoubleTensor)",
        "set_default_tensor_type",
        "global",
        id="default-tensor-type",
    ),
    pytest.param(
        "torch.UntypedStorage(10)", "torch.UntypedStorage", "raw storage", id="untyped-storage-class"
    ),
    pytest.param(
        "torch.autograd.graph.saved_tensors_hooks", "torch.autograd.graph", "hooks", id="autograd-graph"
    ),
    pytest.param("torch.nn.modules.module.torch.os", "torch.nn.modules", "outside", id="module-chain"),
    pytest.param("torch.sparse_coo_tensor([[0]], [1.0], (1,))", "sparse_coo_tensor", "bounds", id="sparse"),
    pytest.param("torch.backends.cudnn.version", "version", "", id="backends-attr-missing"),
]


@pytest.mark.parametrize(("expression", "name", "why"), TORCH_REFUSALS)
def test_torch_surface_refusal_names_the_thing_and_why(run, expression: str, name: str, why: str) -> None:
    result = run(f"import torch\n{expression}")
    if name == "version":
        assert result.status is Status.ERROR  # a plain fake namespace: missing, not refused
    else:
        assert_denied(result, name, why)
        assert result.error is not None and result.error.line == 2
    assert_next_run_works(run)


def test_torch_load_message_is_exact(run) -> None:
    result = run("import torch\ntorch.load('x')")
    assert result.error is not None
    assert (
        result.error.message
        == "torch.load is not available here: it unpickles files, which can run arbitrary code"
    )


def test_torch_save_writes_no_file(run, tmp_path) -> None:
    target = tmp_path / "weights.pt"
    result = run(f"import torch\ntorch.save(torch.ones(1), {str(target)!r})")
    assert_denied(result, "torch.save")
    assert not target.exists()


def test_refused_submodule_import_is_denied_at_compile_time(run) -> None:
    result = run("x = 1\nimport torch.utils.cpp_extension")
    assert_denied(result, "torch.utils.cpp_extension", "native code")
    assert result.error is not None and result.error.line == 2


def test_from_import_of_refused_name_is_denied(run) -> None:
    assert_denied(run("from torch import load"), "torch.load")


TENSOR_REFUSALS = [
    pytest.param("x.untyped_storage()", "Tensor.untyped_storage", id="untyped-storage"),
    pytest.param("x.storage()", "Tensor.storage", id="storage"),
    pytest.param("x.set_(torch.ones(100))", "Tensor.set_", id="set"),
    pytest.param("x.data_ptr()", "Tensor.data_ptr", id="data-ptr"),
    pytest.param("x.share_memory_()", "Tensor.share_memory_", id="share-memory"),
    pytest.param("torch.Tensor.set_", "Tensor.set_", id="class-attribute"),
    pytest.param("getattr(x.data, 'untyped_storage')", "Tensor.untyped_storage", id="getattr-on-data"),
    pytest.param("torch.nn.Linear(2, 2).share_memory()", "Module.share_memory", id="module-share-memory"),
]


def test_module_compile_is_refused(run) -> None:
    assert_denied(run("import torch\ntorch.nn.Linear(2, 2).compile()"), "Module.compile", "compiles")
    assert_next_run_works(run)


@pytest.mark.parametrize(("expression", "name"), TENSOR_REFUSALS)
def test_tensor_memory_surface_is_refused(run, expression: str, name: str) -> None:
    result = run(f"import torch\nx = torch.ones(2)\n{expression}")
    assert_denied(result, name, "memory")
    assert_next_run_works(run)


NUMPY_REFUSALS = [
    pytest.param("np.load('x.npy')", "numpy.load", "unpickles", id="load"),
    pytest.param("np.save('x.npy', np.ones(1))", "numpy.save", "files", id="save"),
    pytest.param("np.fromfile('/etc/passwd')", "numpy.fromfile", "files", id="fromfile"),
    pytest.param("np.loadtxt('/etc/passwd')", "numpy.loadtxt", "files", id="loadtxt"),
    pytest.param("np.memmap('x', mode='w+', shape=(1,))", "numpy.memmap", "files", id="memmap"),
    pytest.param("np.ctypeslib.as_ctypes", "numpy.ctypeslib", "native", id="ctypeslib"),
    pytest.param("np.lib.stride_tricks.as_strided", "numpy.lib", "raw", id="lib-as-strided"),
    pytest.param("np.arange(3).tofile('x')", "ndarray.tofile", "files", id="tofile"),
    pytest.param("np.arange(3).dumps()", "ndarray.dumps", "pickles", id="dumps"),
    pytest.param("np.arange(3).ctypes.data", "'ctypes'", "C pointers", id="ndarray-ctypes"),
    pytest.param("torch.ones(2).numpy().tofile('x')", "ndarray.tofile", "files", id="bridge-tofile"),
    pytest.param("np.testing.assert_equal", "numpy.testing", "processes", id="testing"),
    pytest.param(
        "np.random.default_rng().bit_generator.ctypes", "'ctypes'", "C pointers", id="bitgen-ctypes"
    ),
    pytest.param("np.random.default_rng().bit_generator.cffi", "'cffi'", "C pointers", id="bitgen-cffi"),
]


@pytest.mark.parametrize(("expression", "name", "why"), NUMPY_REFUSALS)
def test_numpy_file_and_native_surface_is_refused(run, expression: str, name: str, why: str) -> None:
    result = run(f"import numpy as np\nimport torch\n{expression}")
    assert_denied(result, name, why)
    assert_next_run_works(run)


def test_ndarray_tofile_writes_no_file(run, tmp_path) -> None:
    target = tmp_path / "array.bin"
    result = run(f"import numpy as np\nnp.arange(3).tofile({str(target)!r})")
    assert_denied(result, "ndarray.tofile")
    assert not target.exists()


MONKEY_PATCHES = [
    pytest.param("torch.add = lambda *a: 0", "read-only", id="module-function"),
    pytest.param("torch.nn.Linear = None", "read-only", id="submodule-class"),
    pytest.param("torch.Tensor.add = lambda *a: 0", "'Tensor' is read-only", id="tensor-method"),
    pytest.param("torch.nn.Linear.forward = lambda self, x: x", "'Linear' is read-only", id="layer-forward"),
    pytest.param("setattr(torch.Tensor, 'add', None)", "'Tensor' is read-only", id="setattr-tensor"),
    pytest.param("del torch.nn.Module.forward", "'Module' is read-only", id="delete-method"),
    pytest.param("import numpy as np\nnp.pi = 3", "read-only", id="numpy-constant"),
    pytest.param("import math\nmath.sqrt = abs", "read-only", id="math-function"),
    pytest.param("torch.allclose.cache = 1\nsetattr(len, 'x', 1)", "read-only", id="builtin-function"),
]


@pytest.mark.parametrize(("code", "why"), MONKEY_PATCHES)
def test_monkey_patching_shared_code_is_refused(run, code: str, why: str) -> None:
    assert_denied(run(f"import torch\n{code}"), why)
    assert_next_run_works(run)


def test_monkey_patch_cannot_cheat_the_check(run) -> None:
    code = "import torch\ntry:\n    torch.allclose = lambda *a, **k: True\nexcept BaseException:\n    pass\n"
    result = run(code, check="import torch\nassert not torch.allclose(torch.zeros(1), torch.ones(1))")
    assert_denied(result, "read-only")


def test_grad_mode_left_disabled_does_not_leak_into_the_check(run) -> None:
    code = "import torch\ntorch.set_grad_enabled(False)\nw = torch.ones(2, requires_grad=True)"
    check = "y = (w * 2).sum()\ny.backward()\nassert w.grad.tolist() == [2.0, 2.0]"
    result = run(code, check=check)
    assert result.status is Status.OK
    assert result.check is not None and result.check.passed, result.check


def test_grad_mode_left_disabled_by_a_suspended_generator_does_not_leak(run) -> None:
    code = (
        "import torch\n"
        "def g():\n    with torch.no_grad():\n        yield 1\n"
        "it = g()\nnext(it)\nw = torch.ones(1, requires_grad=True)\n"
    )
    result = run(code, check="(w * 3).sum().backward()\nassert w.grad.item() == 3.0")
    assert result.check is not None and result.check.passed, result.check


def test_dataloader_worker_processes_are_refused(run) -> None:
    code = (
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        "loader = DataLoader(TensorDataset(torch.ones(4, 1)), batch_size=2, num_workers=2)\n"
    )
    assert_denied(run(code), "num_workers=2", "worker processes")


def test_dataloader_workers_switched_on_later_are_refused(run) -> None:
    code = (
        "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\n"
        "loader = DataLoader(TensorDataset(torch.ones(4, 1)), batch_size=2)\n"
        "loader.num_workers = 3\nfor batch in loader:\n    pass\n"
    )
    assert_denied(run(code), "num_workers")


def test_from_import_of_a_missing_name_is_an_import_error(run) -> None:
    result = run("from torch import tensr")
    assert result.status is Status.ERROR
    assert result.error is not None
    assert (result.error.type, result.error.message) == (
        "ImportError",
        "cannot import name 'tensr' from 'torch'",
    )


def test_cuda_reports_no_gpu(run) -> None:
    result = run("import torch\n(torch.cuda.is_available(), torch.cuda.device_count())")
    assert result.value == "(False, 0)"


def test_other_cuda_calls_are_refused_naming_the_gpu(run) -> None:
    assert_denied(run("import torch\ntorch.cuda.memory_allocated()"), "torch.cuda.memory_allocated", "no GPU")


def test_dir_of_torch_lists_only_the_curated_surface(run) -> None:
    result = run("import torch\nnames = dir(torch)\n('load' in names, 'tensor' in names, 'os' in names)")
    assert result.value == "(False, True, False)"


def test_feature_detection_of_refused_names_is_quiet(run) -> None:
    code = (
        "import torch\n"
        "(hasattr(torch, 'compile'), getattr(torch, 'load', None), hasattr(torch, 'tensor'),"
        " hasattr(torch.ones(1), 'untyped_storage'))"
    )
    result = run(code)
    assert result.status is Status.OK
    assert result.value == "(False, None, True, False)"
