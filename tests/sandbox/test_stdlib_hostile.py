"""Hostile snippets against the curated standard modules and the readable dunders: refused or contained."""

from __future__ import annotations

import pytest

from sandbox.policy import guards
from sandbox.policy.errors import PolicyDenied
from sandbox.result import RunLimits, Status
from tests.sandbox.helpers import assert_denied, assert_next_run_works

REFUSED = [
    pytest.param(
        "import operator\noperator.attrgetter('__class__')(1)", "'__class__'", id="attrgetter-dunder"
    ),
    pytest.param(
        "import operator\noperator.attrgetter('func_globals')(np.random.default_rng)",
        "func_globals",
        id="attrgetter-native",
    ),
    pytest.param(
        "import operator\noperator.methodcaller('__reduce_ex__', 2)(1)", "'__reduce_ex__'", id="methodcaller"
    ),
    pytest.param("import operator\noperator.setitem(torch, 'x', 1)", "read-only", id="setitem-module"),
    pytest.param(
        "import string\nstring.Formatter().format('{0.__class__}', 1)", "string.Formatter", id="formatter"
    ),
    pytest.param(
        "import typing\ndef f(x: 'os'):\n    pass\ntyping.get_type_hints(f)",
        "typing.get_type_hints",
        id="get-type-hints",
    ),
    pytest.param("import typing\ntyping.ForwardRef('1')", "typing.ForwardRef", id="forward-ref"),
    pytest.param("import dataclasses\ndataclasses.dataclass(nn.Linear)", "only yours", id="dataclass-native"),
    pytest.param(
        "import dataclasses\ndataclasses.make_dataclass('X', ['a'], namespace={'__del__': print})",
        "namespace",
        id="make-dataclass-dunder",
    ),
    pytest.param(
        "import dataclasses\n@dataclasses.dataclass\nclass P:\n"
        "    x: int = dataclasses.field(default=1, metadata={'a': 1})\ndataclasses.fields(P)[0].metadata",
        "class dictionaries",
        id="field-metadata",
    ),
    pytest.param("import enum\nenum.EnumMeta", "metaclasses", id="enum-meta"),
    pytest.param("import enum\nenum.global_enum", "module namespace", id="global-enum"),
    pytest.param(
        "from enum import Enum\nclass C(Enum):\n    A = 1\ntype(C)", "metaclasses", id="enum-type-of-class"
    ),
    pytest.param(
        "import functools\nfunctools.total_ordering(nn.Linear)", "only yours", id="total-ordering-native"
    ),
    pytest.param(
        "import functools\nfunctools.update_wrapper(F.relu, print)",
        "update_wrapper",
        id="update-wrapper-native",
    ),
    pytest.param("import functools\nfunctools.singledispatch", "isinstance", id="singledispatch"),
    pytest.param("import json\njson.dumps(1, cls=dict)", "json.dumps(cls=", id="json-cls"),
    pytest.param("import json\njson.load", "json.loads", id="json-load-file"),
    pytest.param("import io\nio.BytesIO(b'x').getbuffer()", "BytesIO.getbuffer", id="bytesio-getbuffer"),
    pytest.param("import io\nio.open", "no files", id="io-open"),
    pytest.param("import copy\ncopy.dispatch_table", "global state", id="copy-dispatch-table"),
    pytest.param("import time\ntime.tzset()", "global state", id="tzset"),
    pytest.param("import time\ntime.clock_settime(0, 0)", "system clock", id="clock-settime"),
    pytest.param("getattr(torch, '__loader__')", "'__loader__'", id="other-dunders"),
    pytest.param("nn.Linear.__dict__", "'__dict__'", id="dict-still-refused"),
    pytest.param("import torchvision", "plain torch", id="torchvision"),
    pytest.param("from torchvision import transforms", "TensorDataset", id="torchvision-from"),
]


@pytest.mark.parametrize(("code", "name"), REFUSED)
def test_stdlib_and_dunder_tricks_are_refused(run, code: str, name: str) -> None:
    assert_denied(run(code), name)
    assert_next_run_works(run)


def test_sleep_past_the_time_limit_times_out(run) -> None:
    result = run("import time\nprint('before')\ntime.sleep(60)", limits=RunLimits(time_s=1))
    assert result.status is Status.TIMEOUT
    assert result.stdout.startswith("before\n")
    assert_next_run_works(run)


def test_catastrophic_backtracking_times_out(run) -> None:
    result = run("import re\nre.match(r'(a+)+$', 'a' * 64 + 'b')", limits=RunLimits(time_s=1))
    assert result.status is Status.TIMEOUT
    assert_next_run_works(run)


def test_deep_copy_of_a_huge_object_hits_the_memory_limit(run) -> None:
    code = "import copy\nbig = torch.zeros(40 * 2**20)\ncopies = [copy.deepcopy(big) for _ in range(4)]"
    result = run(code, limits=RunLimits(memory_mib=256))
    assert result.status is Status.MEMORY
    assert_next_run_works(run)


def test_deeply_nested_json_is_an_error(run) -> None:
    result = run("import json\njson.loads('[' * 200000 + ']' * 200000)")
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.type == "RecursionError"
    assert_next_run_works(run)


def test_huge_json_hits_the_memory_limit(run) -> None:
    result = run("import json\ntext = json.dumps(['x' * 2**20] * 400)", limits=RunLimits(memory_mib=256))
    assert result.status is Status.MEMORY
    assert_next_run_works(run)


def test_import_refusals_list_the_allowed_modules(run) -> None:
    result = run("import requests")
    assert_denied(result, "only torch, numpy, matplotlib and the standard modules", "json, datetime, io")


@pytest.mark.parametrize("name", ["__version__", "__module__", "__doc__"])
def test_a_dunder_whose_value_is_not_a_string_is_refused(name: str) -> None:
    class Odd:
        pass

    setattr(Odd, name, 42)
    with pytest.raises(PolicyDenied, match="plain string"):
        guards.read_dunder(Odd(), name)


def test_a_str_subclass_comes_back_as_a_plain_str() -> None:
    class Sneaky(str):
        pass

    class Named:
        __version__ = Sneaky("1.0")

    assert type(guards.read_dunder(Named(), "__version__")) is str
