"""Hostile snippets against the language policy: each is refused or contained, and the next run works."""

from __future__ import annotations

import pytest

from sandbox.result import Status
from tests.sandbox.helpers import assert_denied, assert_next_run_works

DUNDER_AND_FRAME_ESCAPES = [
    pytest.param("().__class__.__bases__[0].__subclasses__()", "__class__", id="subclasses-walk"),
    pytest.param("getattr((), '__cl' + 'ass__')", "__class__", id="getattr-built-name"),
    pytest.param("getattr(getattr([], 'append'), '__self__')", "__self__", id="bound-method-self"),
    pytest.param("def f():\n    pass\nf.__globals__", "__globals__", id="function-globals"),
    pytest.param("def f():\n    pass\ngetattr(f, '__code__')", "__code__", id="function-code"),
    pytest.param("__builtins__", "__builtins__", id="builtins-name"),
    pytest.param("__import__('os')", "__import__", id="dunder-import"),
    pytest.param("x = 1\nx.__dict__", "__dict__", id="instance-dict"),
    pytest.param("int.__mro__", "__mro__", id="mro"),
    pytest.param("object.__getattribute__(1, 'real')", "__getattribute__", id="getattribute"),
    pytest.param("(1).__reduce_ex__(2)", "__reduce_ex__", id="reduce-ex"),
    pytest.param("class A:\n    def __del__(self):\n        pass", "__del__", id="define-del"),
    pytest.param("class A:\n    __slots__ = ()", "__slots__", id="assign-dunder-in-class"),
    pytest.param("def g():\n    yield 1\ng().gi_frame.f_back.f_globals", "gi_frame", id="generator-frame"),
    pytest.param("def g():\n    yield 1\ngetattr(g(), 'gi_frame')", "gi_frame", id="generator-frame-getattr"),
    pytest.param("def g():\n    yield 1\ng().gi_code", "gi_code", id="generator-code"),
    pytest.param(
        "try:\n    1/0\nexcept ZeroDivisionError as e:\n    tb = getattr(e, '__traceback__')",
        "__traceback__",
        id="traceback",
    ),
    pytest.param(
        "try:\n    int.nope\nexcept AttributeError as e:\n    e.obj", "obj", id="attributeerror-obj"
    ),
    pytest.param("class S(str):\n    pass\ngetattr(1, S('real'))", "plain strings", id="str-subclass-name"),
    pytest.param("def f(_getattr_, /):\n    return 1", "_getattr_", id="positional-only-guard-shadow"),
    pytest.param("f = lambda _write_: 1", "_write_", id="lambda-guard-shadow"),
    pytest.param("try:\n    pass\nexcept* ValueError:\n    pass", "except*", id="try-star-type-confusion"),
    pytest.param("class A(metaclass=type):\n    pass", "metaclass", id="metaclass-keyword"),
    pytest.param("from torch import _C", "_C", id="underscore-import-name"),
    pytest.param("import torch as _t", "_t", id="underscore-import-alias"),
]


@pytest.mark.parametrize(("code", "name"), DUNDER_AND_FRAME_ESCAPES)
def test_dunder_and_frame_escape_is_denied(run, code: str, name: str) -> None:
    assert_denied(run(code), name)
    assert_next_run_works(run)


FORMAT_ESCAPES = [
    pytest.param("'{0.__class__}'.format(1)", id="str-format-attribute"),
    pytest.param("'{0.__class__.__base__}'.format(1)", id="str-format-chain"),
    pytest.param("str.format('{0.__class__}', 1)", id="unbound-str-format"),
    pytest.param("'{a.__class__}'.format_map({'a': 1})", id="format-map"),
    pytest.param("'{0:{1.__class__}}'.format(1, 2)", id="nested-format-spec"),
    pytest.param("'{0[0].__class__}'.format([1])", id="item-then-attribute"),
]


@pytest.mark.parametrize("code", FORMAT_ESCAPES)
def test_format_string_attribute_walk_is_denied(run, code: str) -> None:
    assert_denied(run(code), "__class__")
    assert_next_run_works(run)


def test_format_string_without_walks_works(run) -> None:
    result = run("'{} {:.2f} {name} {0[1]}'.format([1, 2], 3.14159, name='x')")
    assert result.status is Status.OK
    assert result.value == "'[1, 2] 3.14 x 2'"


REFUSED_IMPORTS = [
    pytest.param("import os", "'os'", id="os"),
    pytest.param("import sys", "'sys'", id="sys"),
    pytest.param("import subprocess", "'subprocess'", id="subprocess"),
    pytest.param("import importlib", "'importlib'", id="importlib"),
    pytest.param("import builtins", "'builtins'", id="builtins"),
    pytest.param("import ctypes", "'ctypes'", id="ctypes"),
    pytest.param("import pickle", "'pickle'", id="pickle"),
    pytest.param("from os import path", "'os'", id="from-os"),
    pytest.param("from . import x", "relative", id="relative"),
    pytest.param("from __future__ import braces", "braces", id="future-braces"),
    pytest.param("def f():\n    import socket\n", "'socket'", id="inside-function"),
]


@pytest.mark.parametrize(("code", "name"), REFUSED_IMPORTS)
def test_import_outside_allow_list_is_denied(run, code: str, name: str) -> None:
    result = run(code)
    assert_denied(result, name, "not allowed")
    assert_next_run_works(run)


def test_refused_import_names_the_allow_list(run) -> None:
    result = run("import os")
    assert result.error is not None
    assert result.error.message == (
        "import of 'os' is not allowed: the sandbox has no files, environment or processes"
    )
    assert result.error.line == 1


WITHHELD_BUILTINS = [
    pytest.param("open('/etc/passwd').read()", "open()", id="open"),
    pytest.param("globals()", "globals()", id="globals"),
    pytest.param("locals()", "locals()", id="locals"),
    pytest.param("vars(1)", "vars()", id="vars"),
    pytest.param("compile('1', 'x', 'eval')", "compile()", id="compile"),
    pytest.param("eval('1')", "eval()", id="eval"),
    pytest.param("exec('x = 1')", "exec()", id="exec"),
    pytest.param("input()", "input()", id="input"),
    pytest.param("breakpoint()", "'breakpoint'", id="breakpoint"),
    pytest.param("memoryview(b'x')", "memoryview()", id="memoryview"),
    pytest.param("type('X', (), {})", "type", id="type-three-args"),
    pytest.param("type(int)('X', (), {'__del__': print})", "metaclasses", id="type-of-a-class"),
]


@pytest.mark.parametrize(("code", "name"), WITHHELD_BUILTINS)
def test_withheld_builtin_is_refused(run, code: str, name: str) -> None:
    result = run(code)
    if name == "type":  # the guarded type() takes one argument
        assert result.status is Status.ERROR
        assert result.error is not None and result.error.type == "TypeError"
    else:
        assert_denied(result, name)
    assert_next_run_works(run)


def test_write_to_a_file_is_impossible(run, tmp_path) -> None:
    target = tmp_path / "pwned.txt"
    result = run(f"f = open({str(target)!r}, 'w')\nf.write('x')")
    assert_denied(result, "open()")
    assert not target.exists()


def test_type_of_a_sandbox_proxy_is_withheld(run) -> None:
    assert_denied(run("import torch\ntype(torch)"), "type")
    assert_next_run_works(run)


EXIT_GAMES = [
    pytest.param("raise SystemExit", "SystemExit", id="raise-systemexit"),
    pytest.param("raise SystemExit(3)", "SystemExit", id="raise-systemexit-code"),
    pytest.param("exit()", "SystemExit", id="exit"),
    pytest.param("quit(1)", "SystemExit", id="quit"),
    pytest.param("raise KeyboardInterrupt", "KeyboardInterrupt", id="keyboardinterrupt"),
    pytest.param("raise GeneratorExit", "GeneratorExit", id="generatorexit"),
    pytest.param("raise BaseException('boom')", "BaseException", id="baseexception"),
]


@pytest.mark.parametrize(("code", "error_type"), EXIT_GAMES)
def test_exit_games_end_as_errors(run, code: str, error_type: str) -> None:
    result = run("print('before')\n" + code)
    assert result.status is Status.ERROR
    assert result.error is not None
    assert result.error.type == error_type
    assert result.error.line == 2
    assert result.stdout == "before\n"
    assert_next_run_works(run)


def test_denial_caught_by_bare_except_is_still_reported(run) -> None:
    code = "import torch\ntry:\n    torch.load('x')\nexcept:\n    pass\nprint('carried on')\n"
    result = run(code)
    assert_denied(result, "torch.load")
    assert result.error is not None and result.error.line == 3


def test_denial_caught_by_context_manager_is_still_reported(run) -> None:
    code = (
        "class Quiet:\n"
        "    def __enter__(self):\n        return self\n"
        "    def __exit__(self, *exc):\n        return True\n"
        "with Quiet():\n    open('x')\n"
    )
    assert_denied(run(code), "open()")


def test_denial_in_a_learner_function_called_by_the_probe_is_reported(run) -> None:
    code = "def sneaky():\n    try:\n        open('x')\n    except BaseException:\n        return 1\n"
    result = run(code, probe="answer = sneaky()", check="assert answer == 1")
    assert_denied(result, "open()")


def test_output_is_returned_verbatim_as_data(run) -> None:
    text = "```@everyone<b>**bold**</b>\n<script>alert(1)</script>"
    result = run(f"print({text!r})")
    assert result.status is Status.OK
    assert result.stdout == text + "\n"


def test_huge_string_value_is_bounded(run) -> None:
    result = run("'x' * 10**7")
    assert result.status is Status.OK
    assert result.value is not None
    assert len(result.value) <= 4000
    assert result.value.startswith("'xxx")
    assert "more characters" in result.value


def test_huge_list_value_is_bounded(run) -> None:
    result = run("list(range(10**6))")
    assert result.value is not None
    assert len(result.value) <= 4000


def test_huge_int_value_is_bounded(run) -> None:
    result = run("10 ** 100000")
    assert result.status is Status.OK
    assert result.value == f"<int with {(10**100000).bit_length()} bits>"


def test_deeply_nested_code_is_a_syntax_result(run) -> None:
    result = run("x = " + "+".join(["1"] * 100_000))
    assert result.status is Status.SYNTAX
    assert result.error is not None and "nested too deeply" in result.error.message
    assert_next_run_works(run)


def test_flooding_output_stops_at_the_limit(run) -> None:
    result = run("while True:\n    print('spam' * 100)")
    assert result.status is Status.OUTPUT_LIMIT
    assert result.error is not None
    assert result.error.message == "Output limit of 64 KiB reached"
    assert result.stdout.endswith("\nOutput limit of 64 KiB reached\n")
    assert len(result.stdout.encode()) <= 64 * 1024 + 100


def test_catching_the_output_limit_does_not_reopen_output(run) -> None:
    code = (
        "for i in range(100000):\n    try:\n        print('spam' * 100)\n"
        "    except BaseException:\n        pass\n"
    )
    result = run(code)
    assert result.status is Status.OUTPUT_LIMIT
    assert len(result.stdout.encode()) <= 64 * 1024 + 100


def test_recursion_is_an_error_and_the_next_run_works(run) -> None:
    result = run("def f():\n    return f()\nf()")
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.type == "RecursionError"
    assert_next_run_works(run)


def test_learner_classes_cannot_derive_from_sandbox_proxies(run) -> None:
    result = run("import torch\nclass T(torch):\n    pass")
    assert_denied(result, "cannot derive")


def test_print_file_argument_cannot_reach_real_streams(run) -> None:
    result = run(
        "class Sink:\n    def write(self, text):\n        pass\nprint('hidden', file=Sink())\nprint('shown')"
    )
    assert result.status is Status.OK
    assert result.stdout == "shown\n"
