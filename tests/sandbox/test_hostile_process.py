"""Hostile snippets against the whole sandbox (policy + process): each ends as a result, leaving nothing."""

from __future__ import annotations

import json

import pytest

from sandbox.result import RunLimits, Status
from tests.sandbox import procs
from tests.sandbox.helpers import assert_next_run_works

SHORT = RunLimits(time_s=1.0, cpu_s=5, memory_mib=512, output_bytes=64 * 1024)


@pytest.fixture(autouse=True)
def _leaves_nothing_behind(pool):
    yield
    warm_pid = pool.sandbox.warm_pid
    assert warm_pid is not None, "the warm parent died"
    waiting = procs.settle(warm_pid, waiting=2)
    assert len(waiting) == 2, waiting
    assert procs.wait_for_no_strays() == []


def assert_limit(result, status: Status, message: str) -> None:
    assert result.status is status, (result.status, result.error, result.stdout[-200:])
    assert result.error is not None and result.error.type == status.value
    assert result.error.message == message
    assert result.stdout.endswith(message + "\n")


def test_pure_python_infinite_loop_times_out(run):
    result = run("print('before')\nwhile True:\n    pass", limits=SHORT)
    assert_limit(result, Status.TIMEOUT, "Time limit of 1 s reached")
    assert result.stdout == "before\nTime limit of 1 s reached\n"
    assert 900 <= result.duration_ms < 5000
    assert_next_run_works(run)


def test_long_native_call_times_out(run):
    code = "import torch\na = torch.randn(1500, 1500)\nwhile True:\n    b = torch.mm(a, a)"
    assert_limit(run(code, limits=SHORT), Status.TIMEOUT, "Time limit of 1 s reached")
    assert_next_run_works(run)


def test_single_huge_native_op_times_out(run):
    code = "import torch\n(torch.randn(4000, 4000) @ torch.randn(4000, 4000)).sum()"
    result = run(code, limits=RunLimits(time_s=0.3))
    assert_limit(result, Status.TIMEOUT, "Time limit of 0.3 s reached")
    assert_next_run_works(run)


def test_cpu_limit_stops_a_busy_loop_before_the_wall_clock(run):
    result = run("while True:\n    pass", limits=RunLimits(time_s=10, cpu_s=1))
    assert_limit(result, Status.TIMEOUT, "CPU time limit of 1 s reached")
    assert result.duration_ms < 9000
    assert_next_run_works(run)


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import torch\ntorch.empty(10**11)", id="torch-empty"),
        pytest.param("[0] * 10**10", id="list"),
        pytest.param("'x' * 10**10", id="str"),
        pytest.param(
            "import torch\nkeep = []\nwhile True:\n    keep.append(torch.ones(2**24))", id="growing"
        ),
        pytest.param("import numpy as np\nnp.zeros(10**11)", id="numpy"),
    ],
)
def test_memory_bomb_hits_the_memory_limit(run, code):
    result = run(code, limits=RunLimits(time_s=10, memory_mib=256))
    assert_limit(result, Status.MEMORY, "Memory limit of 256 MiB reached")
    assert_next_run_works(run)


def test_recursion_bomb_is_a_recursion_error_not_a_crash(run):
    result = run("def f(n):\n    return f(n + 1)\nf(0)", limits=SHORT)
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.type == "RecursionError"
    assert_next_run_works(run)


def test_output_flood_is_cut_exactly_at_the_limit(run):
    limit = 4096
    result = run("while True:\n    print('x' * 1000)", limits=RunLimits(time_s=5, output_bytes=limit))
    message = "Output limit of 4 KiB reached"
    assert_limit(result, Status.OUTPUT_LIMIT, message)
    kept, _, notice = result.stdout.rstrip("\n").rpartition("\n")
    assert notice == message
    assert len(kept.encode()) == limit
    assert_next_run_works(run)


def test_output_flood_in_one_print_is_cut_at_the_limit(run):
    result = run("print('é' * 10**6)", limits=RunLimits(time_s=5, output_bytes=1000))
    assert result.status is Status.OUTPUT_LIMIT
    kept = result.stdout.split("\nOutput limit")[0]
    assert len(kept.encode()) <= 1000 and set(kept) == {"é"}
    assert_next_run_works(run)


def test_huge_repr_stays_small(run):
    result = run("'x' * 10**7", limits=SHORT)
    assert result.status is Status.OK
    assert len(json.dumps(result.to_json())) < 100_000
    assert_next_run_works(run)


def test_huge_tensor_repr_stays_small(run):
    result = run("import torch\ntorch.arange(10**6)", limits=SHORT)
    assert result.status is Status.OK
    assert len(json.dumps(result.to_json())) < 100_000


def test_thread_modules_are_not_reachable(run):
    result = run("import threading", limits=SHORT)
    assert result.status is Status.DENIED


def test_signal_module_is_not_reachable(run):
    assert run("import signal", limits=SHORT).status is Status.DENIED
    assert run("import os", limits=SHORT).status is Status.DENIED


def test_crashing_the_child_is_an_error_naming_the_signal(run_unrestricted):
    # A real fault: as process 1 of its PID namespace, the child ignores signals it sends itself.
    result = run_unrestricted("import ctypes\nctypes.string_at(0)")
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.message == "the process was killed by SIGSEGV"
    assert_next_run_works(run_unrestricted)


def test_exiting_the_child_is_an_error(run_unrestricted):
    result = run_unrestricted("print('bye')\nimport os\nos._exit(3)")
    assert result.status is Status.ERROR
    assert result.error is not None and "exited with code 3" in result.error.message
    assert result.stdout == "bye\n"
    assert_next_run_works(run_unrestricted)


def test_forged_stream_is_the_learners_error_not_the_sandboxs(run_unrestricted):
    code = (
        "import os\nfor fd in range(3, 32):\n"
        "    try:\n        os.write(fd, b'Z' * 64)\n    except OSError:\n        pass"
    )
    result = run_unrestricted(code)
    assert result.status is Status.ERROR
    assert result.error.type == "SandboxError"
    assert_next_run_works(run_unrestricted)


def test_ignoring_sigxcpu_does_not_escape_the_cpu_limit(run_unrestricted):
    code = "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True:\n    pass"
    result = run_unrestricted(code, limits=RunLimits(time_s=10, cpu_s=1))
    assert_limit(result, Status.TIMEOUT, "CPU time limit of 1 s reached")
    assert_next_run_works(run_unrestricted)


def test_raising_its_own_limits_is_refused(run_unrestricted):
    code = "import resource\nresource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2)"
    result = run_unrestricted(code)
    assert result.status is Status.ERROR
    assert result.error is not None and result.error.type in ("ValueError", "PermissionError")
