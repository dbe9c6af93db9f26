"""Regression tests for the language-layer escapes the red team found (each failed before the fix)."""

from __future__ import annotations

import pytest

from sandbox.result import Status
from tests.sandbox.helpers import assert_denied, assert_next_run_works

# 1. numpy's Cython functions exposed func_globals, a real module dict holding the raw numpy module.
CYTHON_INTERNALS = [
    pytest.param("np.random.default_rng.func_globals", "func_globals", id="func-globals"),
    pytest.param("np.random.default_rng.func_globals.get('np')", "func_globals", id="func-globals-get"),
    pytest.param(
        "for name, value in np.random.default_rng.func_globals.items():\n    pass",
        "func_globals",
        id="func-globals-items",
    ),
    pytest.param("np.random.default_rng.func_code", "func_code", id="func-code"),
    pytest.param("np.random.default_rng.func_closure", "func_closure", id="func-closure"),
    pytest.param("getattr(np.random.default_rng, 'func_dict')", "func_dict", id="func-dict-getattr"),
]


@pytest.mark.parametrize(("code", "name"), CYTHON_INTERNALS)
def test_cython_function_internals_are_refused(run, code: str, name: str) -> None:
    assert_denied(run(f"import numpy as np\n{code}"), name)
    assert_next_run_works(run)


def test_feature_detection_of_cython_internals_is_quiet(run) -> None:
    result = run(
        "import numpy as np\n(hasattr(np.random.default_rng, 'func_globals'), np.random.default_rng(0))"
    )
    assert result.status is Status.OK, result.error
    assert result.value is not None and result.value.startswith("(False, Generator(PCG64)")


# 2. type() handed out the constructors of code and function objects.
TYPE_CONSTRUCTORS = [
    pytest.param("type(lambda: 0)(None, {})", "'function'", id="function-type"),
    pytest.param("def g():\n    yield 1\ntype(g())()", "'generator'", id="generator-type"),
    pytest.param("type(np.random.default_rng)()", "cython_function_or_method", id="cython-function-type"),
    pytest.param("type([].append)()", "builtin_function_or_method", id="builtin-function-type"),
    pytest.param(
        "class A:\n    def f(self):\n        pass\ntype(A().f)(print, 1)", "'method'", id="method-type"
    ),
    pytest.param("type(len)(1)", "builtin_function_or_method", id="builtin-type"),
]


@pytest.mark.parametrize(("code", "name"), TYPE_CONSTRUCTORS)
def test_type_gives_no_constructor_of_code_or_function_objects(run, code: str, name: str) -> None:
    assert_denied(run(f"import numpy as np\n{code}"), "creating", name)
    assert_next_run_works(run)


def test_type_of_a_function_is_a_safe_view_that_still_answers_isinstance(run) -> None:
    result = run(
        "F = type(lambda: 0)\ndef f():\n    pass\n(F, isinstance(f, F), type(f) == F, isinstance(1, F))"
    )
    assert result.status is Status.OK, result.error
    assert result.value == "(<class 'function'>, True, True, False)"


def test_a_safe_type_view_offers_no_attributes(run) -> None:
    assert_denied(run("type(lambda: 0).mro"), "'mro'", "display and isinstance")


def test_learner_classes_cannot_derive_from_withheld_types(run) -> None:
    assert_denied(run("class F(type(lambda: 0)):\n    pass"), "cannot derive")


# 3. np.ndarray(dtype=object, buffer=...) turned bytes into object pointers; id() gave addresses.
RAW_BUFFER_ARRAYS = [
    pytest.param("np.ndarray((1,), dtype=object, buffer=bytearray(8))", id="object-buffer"),
    pytest.param("np.ndarray((1,), object, bytearray(8))", id="object-buffer-positional"),
    pytest.param("np.ndarray((2,), np.int8, bytearray(2), 1)", id="offset"),
    pytest.param("np.ndarray((2,), dtype=np.int8, strides=(1 << 40,))", id="strides"),
    pytest.param("type(np.zeros(1))((1,), dtype=object, buffer=bytearray(8))", id="through-type"),
    pytest.param("np.recarray((1,), dtype=[('a', object)], buf=bytearray(8))", id="recarray"),
]


@pytest.mark.parametrize("code", RAW_BUFFER_ARRAYS)
def test_arrays_over_raw_buffers_are_refused(run, code: str) -> None:
    assert_denied(run(f"import numpy as np\n{code}"), "raw buffer")
    assert_next_run_works(run)


def test_ndarray_stand_in_still_builds_arrays_and_answers_isinstance(run) -> None:
    code = (
        "import numpy as np\na = np.ndarray((2,), dtype=np.int8)\n"
        "(a.shape, isinstance(np.zeros(1), np.ndarray), type(a) is np.ndarray, np.ndarray)"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "((2,), True, True, <class 'numpy.ndarray'>)"


def test_id_is_not_an_address(run) -> None:
    code = (
        "class A:\n    pass\na = A()\naddress = int(repr(a).rsplit(' at ', 1)[1][:-1], 16)\nid(a) == address"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "False"


def test_id_still_tells_objects_apart_and_keeps_identity(run) -> None:
    result = run("a = [1]\nb = [1]\n(id(a) == id(a), id(a) == id(b), id(a) != id(b))")
    assert result.value == "(True, False, True)"


def test_id_differs_between_runs(run) -> None:
    code = "class A:\n    pass\nid(A())"
    assert len({run(code).value for _ in range(3)}) == 3


def test_hash_of_a_string_differs_between_runs(run) -> None:
    assert len({run("hash('torch')").value for _ in range(3)}) == 3


def test_hash_keeps_equal_values_equal_and_numbers_as_python_defines_them(run) -> None:
    result = run("(hash('ab') == hash('a' + 'b'), hash(42), hash(1.0) == hash(1), len({'ab', 'a' + 'b'}))")
    assert result.value == "(True, 42, True, 1)"


# 4. Sparse tensors' accessors aliased memory without bounds checks; const_data_ptr gave addresses.
MEMORY_UNSAFE_TENSOR_APIS = [
    pytest.param("x.to_sparse()", "Tensor.to_sparse", id="to-sparse"),
    pytest.param("x.to_sparse_csr()", "Tensor.to_sparse_csr", id="to-sparse-csr"),
    pytest.param("x.indices()", "Tensor.indices", id="indices"),
    pytest.param("x.values()", "Tensor.values", id="values"),
    pytest.param("x.crow_indices()", "Tensor.crow_indices", id="crow-indices"),
    pytest.param("x.const_data_ptr()", "Tensor.const_data_ptr", id="const-data-ptr"),
    pytest.param("x.data_ptr()", "Tensor.data_ptr", id="data-ptr"),
    pytest.param("x.as_strided((2,), (1,), 10**9)", "Tensor.as_strided", id="as-strided"),
    pytest.param("torch.as_strided(x, (2,), (1,), 10**9)", "torch.as_strided", id="torch-as-strided"),
    pytest.param("x.set_(torch.ones(9))", "Tensor.set_", id="set"),
    pytest.param("x.unsafe_split(1)", "Tensor.unsafe_split", id="unsafe-split"),
    pytest.param("torch.unsafe_chunk(x, 2)", "torch.unsafe_chunk", id="torch-unsafe-chunk"),
    pytest.param("torch.zeros(2, layout=torch.sparse_coo)", "torch.sparse_coo", id="sparse-layout"),
    pytest.param("torch.sparse_coo_tensor([[0]], [1.0], (1,))", "torch.sparse_coo_tensor", id="sparse-ctor"),
    pytest.param("torch.nested.nested_tensor([x])", "torch.nested", id="nested"),
    pytest.param("x.untyped_storage()", "Tensor.untyped_storage", id="storage"),
    pytest.param("torch.asarray(bytearray(8))", "raw buffer", id="asarray-buffer"),
    pytest.param("torch.as_tensor(bytearray(8))", "raw buffer", id="as-tensor-buffer"),
    pytest.param("torch.frombuffer(bytearray(8), dtype=torch.uint8)", "torch.frombuffer", id="frombuffer"),
]


@pytest.mark.parametrize(("code", "name"), MEMORY_UNSAFE_TENSOR_APIS)
def test_memory_unsafe_tensor_apis_are_refused(run, code: str, name: str) -> None:
    assert_denied(run(f"import torch\nx = torch.ones(4)\n{code}"), name)
    assert_next_run_works(run)


def test_the_sparse_write_chain_is_refused_at_its_first_step(run) -> None:
    code = (
        "import torch\ndense = torch.zeros(4)\nsparse = torch.ones(4).to_sparse()\n"
        "sparse.indices().fill_(10**9)\ndense.add_(sparse)\n"
    )
    result = run(code)
    assert_denied(result, "Tensor.to_sparse", "sparse")
    assert result.error is not None and result.error.line == 3


def test_safe_tensor_conversions_still_work(run) -> None:
    code = (
        "import torch, numpy as np\n"
        "(torch.asarray([1, 2]), torch.as_tensor(np.ones(2)), torch.asarray(np.int64(3)))"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "(tensor([1, 2]), tensor([1., 1.], dtype=torch.float64), tensor(3))"


# Also: UserString.format walked attributes; np.ScalarType handed out memoryview by iteration.
def test_user_string_format_is_refused(run) -> None:
    result = run("import collections\ncollections.UserString('{0.__class__}').format(1)")
    assert_denied(result, "UserString.format", "f-strings")


def test_np_scalar_type_holds_no_memoryview(run) -> None:
    code = (
        "import numpy as np\nfound = [t for t in np.ScalarType if repr(t) == \"<class 'memoryview'>\"]\nfound"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "[]"


def test_super_reads_only_what_the_object_offers(run) -> None:
    result = run("import torch\nx = torch.ones(1)\nsuper(torch.Tensor, x).data_ptr()")
    assert_denied(result, "Tensor.data_ptr")


def test_super_still_reaches_base_class_methods(run) -> None:
    code = (
        "import torch.nn as nn\nclass Net(nn.Linear):\n    def forward(self, x):\n"
        "        return super().forward(x) * 2\nNet(1, 1).forward is not None"
    )
    assert run(code).value == "True"


def test_mro_hands_out_no_base_classes(run) -> None:
    assert_denied(run("import numpy as np\nnp.matrix.mro()"), "mro")


def test_the_leaf_behind_an_accumulate_grad_node_can_be_read(run):
    code = (
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"
        "leaf = y.grad_fn.next_functions[0][0].next_functions[0][0].variable\nleaf is x"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "True"


# The second red team: matplotlib's figure hooks, str.format through super(), shadowed refused methods,
# the real metaclass from typing, and checks fooled by tensor subclasses.
def test_style_context_refuses_figure_hooks(run) -> None:
    code = (
        "import matplotlib.pyplot as plt\n"
        "with plt.style.context({'figure.hooks': ['builtins:print']}):\n    plt.figure()"
    )
    assert_denied(run(code), "figure.hooks")
    assert_next_run_works(run)


def test_style_context_refuses_a_style_file_path(run) -> None:
    code = "import matplotlib.pyplot as plt\nwith plt.style.context('/etc/passwd'):\n    pass"
    assert_denied(run(code), "/etc/passwd", "plt.style.available")


def test_style_context_with_a_builtin_style_still_draws(run) -> None:
    code = "import matplotlib.pyplot as plt\nwith plt.style.context('ggplot'):\n    plt.plot([1, 2])"
    result = run(code)
    assert result.status is Status.OK, result.error
    assert len(result.figures) == 1


def test_rcparams_itself_refuses_hooks_and_latex_once_figures_are_prepared() -> None:
    import matplotlib

    from sandbox import figures

    figures.prepare()
    with pytest.raises(ValueError, match=r"figure\.hooks"):
        matplotlib.rcParams["figure.hooks"] = ["builtins:exec"]
    with pytest.raises(ValueError, match="LaTeX"):
        matplotlib.rcParams["text.usetex"] = True
    matplotlib.rcParams["figure.hooks"] = []  # the default stays settable: styles and rc_context restore it


def test_super_format_on_a_str_subclass_goes_through_the_guards(run) -> None:
    code = (
        "class S(str):\n    def fmt(self):\n        return super().format\n"
        "S('{0.__init__}').fmt()(torch.nn.Module)"
    )
    assert_denied(run(code), "__init__")


@pytest.mark.parametrize("method", ["{0.__class__}".format, str.format], ids=["bound", "unbound"])
def test_the_value_gate_replaces_a_native_str_format_with_the_guarded_one(method) -> None:
    from sandbox.policy import guards, values
    from sandbox.policy.errors import PolicyDenied

    assert guards.guarded_getattr is not None  # importing the guards installs the guarded str.format
    safe = values.vet(method, "it")
    with pytest.raises(PolicyDenied, match="__class__"):
        safe(1) if method is not str.format else safe("{0.__class__}", 1)


def test_a_learner_method_named_like_a_refused_one_does_not_unlock_it_through_super(run) -> None:
    code = (
        "class Net(torch.nn.Module):\n    def share_memory(self):\n        return super().share_memory()\n"
        "Net().share_memory()"
    )
    assert_denied(run(code), "share_memory")


@pytest.mark.parametrize("base", ["torch.Tensor", "torch.nn.Parameter"])
def test_learner_classes_cannot_derive_from_tensors(run, base: str) -> None:
    code = f"class T({base}):\n    def item(self):\n        return 0.5\nT(torch.ones(1))"
    assert_denied(run(code), "cannot derive from", "tensor subclass")


def test_typing_hands_out_no_metaclass(run) -> None:
    assert_denied(run("import typing\ntyping.get_origin(typing.Type[int])"), "metaclasses")


def test_typing_get_origin_and_get_args_still_answer(run) -> None:
    result = run("import typing\n(typing.get_origin(list[int]), typing.get_args(dict[str, int]))")
    assert result.status is Status.OK, result.error
    assert result.value == "(<class 'list'>, (<class 'str'>, <class 'int'>))"


def test_make_dataclass_cannot_derive_from_a_metaclass() -> None:
    import enum

    from sandbox.policy.errors import PolicyDenied
    from sandbox.surface.stdlib import build_stdlib_proxies

    make_dataclass = build_stdlib_proxies()["dataclasses"].make_dataclass
    with pytest.raises(PolicyDenied, match="metaclasses"):
        make_dataclass("C", ["x"], bases=(type(enum.Enum),))


def test_artist_set_refuses_latex_and_canvas(run) -> None:
    code = "import matplotlib.pyplot as plt\nt = plt.title('x')\nt.set(usetex=True)"
    assert_denied(run(code), "usetex", "LaTeX")


def test_setp_refuses_refused_properties(run) -> None:
    code = "import matplotlib.pyplot as plt\nt = plt.title('x')\nplt.setp(t, 'usetex', True)"
    assert_denied(run(code), "usetex")


def test_artist_set_still_sets_the_look(run) -> None:
    code = (
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\n"
        "ax.set(title='t', xlabel='x')\nax.get_title()"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "'t'"


def test_an_image_cannot_write_a_png_file(run) -> None:
    code = "import matplotlib.pyplot as plt\nim = plt.imshow([[0, 1]])\nim.write_png('/tmp/x.png')"
    assert_denied(run(code), "write_png")


# The third red team: the live figure.hooks list, numpy's in-place resize, checks fooled through builtins,
# instance attributes and the functional Enum API, and the renderer trusting what a figure carries.
def test_appending_to_figure_hooks_changes_nothing(run) -> None:
    code = (
        "import matplotlib.pyplot as plt\nhooks = plt.rcParams['figure.hooks']\n"
        "try:\n    hooks.append('builtins:print')\nexcept AttributeError:\n    pass\n"
        "plt.figure()\nlen(plt.rcParams['figure.hooks'])"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "0"


def test_rcparams_hands_out_copies_of_lists() -> None:
    from sandbox.surface.plotting import RcParamsView

    real = {"font.family": ["sans-serif"]}
    view = RcParamsView(real)
    view["font.family"].append("serif")
    assert real["font.family"] == ["sans-serif"]


def test_numpy_resize_in_place_is_refused(run) -> None:
    code = "a = np.arange(4.0)\nv = a[:]\na.resize((1 << 20,), refcheck=False)"
    assert_denied(run(code), "ndarray.resize", "np.resize")


def test_np_resize_still_makes_a_new_array(run) -> None:
    assert run("np.resize(np.arange(3), 5).tolist()").value == "[0, 1, 2, 0, 1]"


def test_a_check_calls_the_real_builtins_not_the_learners(run) -> None:
    code = "w = torch.zeros(1)\ndef abs(x):\n    return 0.0"
    result = run(code, check="assert abs(w.item() - 3.0) < 0.1, 'not trained'")
    assert result.check is not None and not result.check.passed


def test_a_check_uses_the_real_torch_whatever_the_learner_bound_to_the_name(run) -> None:
    code = (
        "class Fake:\n    def allclose(self, a, b):\n        return True\n"
        "    def tensor(self, value):\n        return value\ntorch = Fake()\nw = 0"
    )
    result = run(code, check="assert torch.allclose(torch.tensor(float(w)), torch.tensor(3.0)), 'no'")
    assert result.check is not None and not result.check.passed


@pytest.mark.parametrize(
    "code",
    [
        "w = torch.zeros(1)\nw.item = lambda: -3.0",
        "y = torch.ones(3)\ny.numel = lambda: 0",
        "import matplotlib.pyplot as plt\nt = plt.title('x')\nt.set_usetex = print",
        "import matplotlib.pyplot as plt\nfig = plt.figure()\nfig.savefig = print",
        "net = nn.Linear(2, 2)\nnet.named_modules = lambda: iter(())",
        "w = torch.zeros(1)\nsetattr(w, 'item', lambda: -3.0)",
    ],
    ids=["tensor-item", "tensor-numel", "text-set-usetex", "figure-savefig", "module-method", "setattr"],
)
def test_instance_attributes_cannot_hide_library_methods(run, code: str) -> None:
    assert_denied(run(code), "cannot be replaced")
    assert_next_run_works(run)


def test_data_descriptors_and_new_attributes_stay_writable(run) -> None:
    code = (
        "x = torch.ones(2, requires_grad=True)\nx.grad = torch.zeros(2)\nx.note = 'mine'\n"
        "a = np.zeros(6)\na.shape = (2, 3)\nnet = nn.Linear(2, 2)\n"
        "net.weight = nn.Parameter(torch.ones(2, 2))\nz = torch.zeros(2)\nz[0] = 1.0\n"
        "(x.note, a.shape, net.weight.sum().item() + z.sum().item())"
    )
    result = run(code)
    assert result.status is Status.OK, result.error
    assert result.value == "('mine', (2, 3), 5.0)"


def test_a_learner_class_may_replace_its_own_methods(run) -> None:
    code = "class A:\n    def hi(self):\n        return 1\na = A()\na.hi = lambda: 2\na.hi()"
    assert run(code).value == "2"


@pytest.mark.parametrize(
    "members",
    ["{'V': 1, '__class__': 2}", "[('V', 1), ('f', lambda self: 0)]", "'V _hidden'"],
    ids=["dunder-name", "function-value", "underscore-in-string"],
)
def test_the_functional_enum_api_makes_only_plain_members(run, members: str) -> None:
    assert_denied(run(f"import enum\nenum.Enum('Fake', {members})"), "enum 'Fake'")


def test_the_functional_enum_api_still_makes_plain_enums(run) -> None:
    assert run("import enum\nColor = enum.Enum('Color', 'RED GREEN')\nColor.GREEN.value").value == "2"


def test_the_renderer_ships_only_real_pngs() -> None:
    import base64

    from sandbox.bounds import cap_result
    from sandbox.result import FigureImage, RunResult

    forged = base64.b64encode(b"<svg onload=1>" + b"\0" * 40).decode()
    result = RunResult(status=Status.OK, figures=(FigureImage("png", 10, 10, forged),))
    assert cap_result(result).figures == ()


def test_font_files_cannot_be_opened_through_the_type_of_font_properties(run) -> None:
    code = (
        "import matplotlib.pyplot as plt\nt = plt.title('x')\n"
        "FP = type(t.get_fontproperties())\nFP(fname='/etc/passwd')"
    )
    assert_denied(run(code), "font files")


# The fourth red team: dunders through make_dataclass fields, lesson helpers rebound by the learner, and
# font files named by path.
@pytest.mark.parametrize(
    "fields",
    [
        "[('__array_interface__', object, property(lambda self: {}))]",
        "[('__reduce_ex__', object, lambda self, p: None)]",
        "['__class__']",
    ],
    ids=["array-interface", "reduce-ex", "class"],
)
def test_make_dataclass_fields_cannot_be_dunders(run, fields: str) -> None:
    code = f"import dataclasses\ndataclasses.make_dataclass('X', {fields}, init=False, repr=False, eq=False)"
    assert_denied(run(code), "make_dataclass field", "plain names")


def test_make_dataclass_still_makes_plain_dataclasses(run) -> None:
    code = "import dataclasses\nP = dataclasses.make_dataclass('P', [('x', int), 'y'])\nP(1, 2)"
    assert run(code).value == "P(x=1, y=2)"


def test_a_check_calls_the_lessons_own_helpers_not_the_learners(run) -> None:
    setup = "def make_targets(n):\n    return torch.ones(n)"
    code = "def make_targets(n):\n    return torch.zeros(n)\nguess = torch.zeros(3)"
    check = "assert torch.equal(guess, make_targets(3)), 'guess the targets'"
    result = run(code, setup=setup, check=check)
    assert result.check is not None and not result.check.passed
    assert result.check.message == "guess the targets"


def test_font_files_cannot_be_named_by_path(run) -> None:
    code = "import matplotlib.pyplot as plt\nplt.text(0, 0, 'x', fontproperties={'fname': '/etc/passwd'})"
    result = run(code)
    assert result.status is Status.ERROR, (result.status, result.error)
    assert result.error is not None and "font files cannot be named" in result.error.message
