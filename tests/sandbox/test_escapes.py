"""Regression tests for the ways the language layer was escaped, and for the paths that made them easy.

Each snippet is what a learner could type; each must be refused (or harmless), and the next run must work.
"""

from __future__ import annotations

import pytest

from sandbox.result import Status
from tests.sandbox.helpers import assert_denied, assert_next_run_works

# 1. numpy's Cython functions carried a real module dict; iterating it or calling .get() gave raw numpy.
CYTHON_GLOBALS = [
    pytest.param("import numpy as np\nnp.random.default_rng.func_globals", id="func_globals"),
    pytest.param(
        "import numpy as np\nlist(np.random.default_rng.func_globals.items())", id="func_globals-items"
    ),
    pytest.param("import numpy as np\nnp.random.default_rng.func_globals.get('np')", id="func_globals-get"),
    pytest.param("import numpy as np\nnp.random.default_rng.func_code", id="func_code"),
    pytest.param("import numpy as np\nnp.random.default_rng.func_closure", id="func_closure"),
]


@pytest.mark.parametrize("code", CYTHON_GLOBALS)
def test_cython_function_internals_are_refused(run, code):
    result = run(code)
    assert_denied(result)
    assert_next_run_works(run)


# 2. type() handed out the constructors of code and function objects.
TYPE_CONSTRUCTORS = [
    pytest.param("type(lambda: 0)", "function", id="function-type"),
    pytest.param("def f():\n    yield 1\ntype(f())", "generator", id="generator-type"),
    pytest.param("import math\ntype(math)", "module", id="module-type"),
    pytest.param("def f():\n    x = 1\n    return lambda: x\ntype(f())", "function", id="closure-type"),
]


@pytest.mark.parametrize(("code", "kind"), TYPE_CONSTRUCTORS)
def test_type_never_returns_the_constructor_of_code_function_module_or_generator_objects(run, code, kind):
    assert_denied(run(code), kind)
    assert_next_run_works(run)


def test_type_still_names_everyday_types(run):
    result = run("import torch\n[type(1) is int, type('a') is str, type(torch.ones(1)) is torch.Tensor]")
    assert result.status is Status.OK, result.error
    assert result.value == "[True, True, True]"


# 3. An object-dtype array over a buffer turned any address into an object; id() gave the addresses.
def test_object_arrays_over_a_buffer_are_refused(run):
    code = "import numpy as np\nnp.ndarray((1,), dtype=object, buffer=bytearray(8))"
    assert_denied(run(code), "buffer")
    assert_next_run_works(run)


def test_arrays_can_still_be_built_and_checked(run):
    result = run(
        "import numpy as np\na = np.ndarray((2,), dtype=np.float64)\n[isinstance(a, np.ndarray), a.shape]"
    )
    assert result.status is Status.OK, result.error
    assert result.value == "[True, (2,)]"


def test_id_is_a_small_number_that_still_tells_objects_apart(run):
    result = run("a = object()\nb = object()\n[id(a) == id(a), id(a) != id(b), id(a) < 10**6, id(b) < 10**6]")
    assert result.status is Status.OK, result.error
    assert result.value == "[True, True, True, True]"


def test_hash_of_an_object_is_not_its_address_from_run_to_run(run):
    # Python hashes a plain object by its address, the same in every child of one warm parent.
    first, second = run("a = object()\nhash(a)"), run("a = object()\nhash(a)")
    assert first.status is Status.OK and second.status is Status.OK
    assert first.value != second.value


def test_the_hash_seed_differs_from_run_to_run(run):
    first = run("hash('torch tutor')")
    second = run("hash('torch tutor')")
    assert first.status is Status.OK and second.status is Status.OK
    assert first.value != second.value


def test_hash_is_stable_within_a_run(run):
    result = run("[hash('a') == hash('a'), hash((1, 2)) == hash((1, 2)), len({'a': 1, 'b': 2})]")
    assert result.value == "[True, True, 2]"


# 4. Sparse tensors aliased memory without bounds checks; const_data_ptr gave addresses.
MEMORY = [
    pytest.param("import torch\ntorch.ones(3).to_sparse()", "to_sparse", id="to_sparse"),
    pytest.param("import torch\ntorch.ones(2, 2).to_sparse_csr()", "to_sparse_csr", id="to_sparse_csr"),
    pytest.param("import torch\ntorch.ones(3).const_data_ptr()", "const_data_ptr", id="const_data_ptr"),
    pytest.param("import torch\ntorch.ones(3).data_ptr()", "data_ptr", id="data_ptr"),
    pytest.param("import torch\ntorch.ones(4).as_strided((2,), (1,), 1)", "as_strided", id="as_strided"),
    pytest.param(
        "import torch\ntorch.as_strided(torch.ones(4), (2,), (1,), 1)", "as_strided", id="torch-as_strided"
    ),
    pytest.param("import torch\ntorch.ones(3).unsafe_split(1)", "unsafe_split", id="unsafe_split"),
    pytest.param(
        "import torch\ntorch.sparse_coo_tensor([[0]], [1.0], (1,))", "sparse_coo_tensor", id="sparse_coo"
    ),
    pytest.param("import torch\ntorch.nested.nested_tensor([torch.ones(2)])", "nested", id="nested"),
    pytest.param("import torch\nt = torch.ones(3)\nt.set_(torch.ones(5))", "set_", id="set_"),
    pytest.param("import torch\ntorch.ones(3).untyped_storage()", "untyped_storage", id="storage"),
    pytest.param(
        "import torch\ntorch.frombuffer(bytearray(8), dtype=torch.uint8)", "frombuffer", id="frombuffer"
    ),
]


@pytest.mark.parametrize(("code", "name"), MEMORY)
def test_memory_unsafe_tensor_apis_are_refused(run, code, name):
    assert_denied(run(code), name)
    assert_next_run_works(run)


# Also: format-string walks through UserString, and memoryview out of np.ScalarType by iteration.
def test_userstring_format_walks_are_refused(run):
    code = "import collections\ncollections.UserString('{0.__class__}').format(1)"
    assert_denied(run(code), "UserString.format")


def test_memoryview_does_not_come_out_of_scalar_type_by_iteration(run):
    code = "import numpy as np\nkinds = [kind for kind in np.ScalarType]\nkinds"
    assert_denied(run(code), "memoryview")


def test_memoryview_does_not_come_out_by_unpacking_or_next(run):
    assert_denied(run("import numpy as np\n*rest, last = np.ScalarType\nlast"), "memoryview")
    assert_denied(
        run("import numpy as np\nit = iter(np.ScalarType)\n[next(it) for _ in range(40)]"), "memoryview"
    )


def test_exception_objects_are_vetted(run):
    code = (
        "import numpy as np\n"
        "try:\n    raise ValueError(np.random.default_rng)\n"
        "except ValueError as e:\n    caught = e.args[0]\n"
        "caught.func_globals"
    )
    assert_denied(run(code))


# The allow-list model: native objects hand out only reviewed attributes, and are written only where listed.
NATIVE_REFUSALS = [
    pytest.param(
        "import numpy as np\na = np.zeros(3)\na.strides = (0,)", "ndarray.strides", id="ndarray-strides"
    ),
    pytest.param("import numpy as np\na = np.zeros(3)\na.flags.writeable = False", "writeable", id="flags"),
    pytest.param(
        "import torch\nopt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)\nopt.lr = 1",
        "Optimizer.lr",
        id="optimizer-attr",
    ),
    pytest.param("import torch\ntorch.float32.foo = 1", "dtype.foo", id="dtype-write"),
    pytest.param("def g():\n    yield 1\ng().gi_frame", "gi_frame", id="generator-frame"),
]


@pytest.mark.parametrize(("code", "name"), NATIVE_REFUSALS)
def test_native_objects_hand_out_and_take_only_reviewed_attributes(run, code, name):
    assert_denied(run(code), name)


def test_what_tutorials_set_and_read_on_native_objects_still_works(run):
    code = (
        "import torch\nfrom torch import nn\n"
        "x = torch.ones(2, requires_grad=True)\nx.requires_grad = False\nx.grad = None\n"
        "model = nn.Sequential(nn.Linear(2, 2))\nmodel.head = nn.Linear(2, 1)\n"
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\nopt.param_groups[0]['lr'] = 0.05\n"
        "y = (torch.ones(2, requires_grad=True) * 2).sum()\n"
        "leaf = y.grad_fn.next_functions[0][0].next_functions[0][0].variable\n"
        "[x.requires_grad, opt.param_groups[0]['lr'], type(model.head) is nn.Linear, "
        "tuple(leaf.shape), torch.finfo(torch.float32).eps > 0]"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "[False, 0.05, True, (2,), True]"


def test_modules_met_by_iteration_become_proxies(run):
    result = run("import torch, numpy\n[repr(m) for m in (torch, numpy)]")
    assert result.status is Status.OK, result.error
    assert "sandboxed" in result.value


SUPER = [
    pytest.param(
        "import torch\nt = torch.ones(2)\nsuper(torch.Tensor, t).data_ptr()", "data_ptr", id="super-tensor"
    ),
    pytest.param(
        "import torch\nclass X(torch.nn.Module):\n    def f(self):\n"
        "        return super().share_memory()\nX().f()",
        "share_memory",
        id="super-module",
    ),
]


@pytest.mark.parametrize(("code", "name"), SUPER)
def test_super_answers_to_the_same_rules(run, code, name):
    assert_denied(run(code), name)


def test_super_still_reaches_what_tutorials_call(run):
    code = (
        "import torch\nclass N(torch.nn.Linear):\n    def forward(self, x):\n"
        "        return super().forward(x) * 2\nN(2, 2)(torch.ones(2)).shape"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "torch.Size([2])"
