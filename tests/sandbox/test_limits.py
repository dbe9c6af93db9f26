"""Per-run limits: the values a child really runs under, clamping, and how an ending becomes a status."""

from __future__ import annotations

import os
import signal

import pytest

from sandbox import outcome
from sandbox.local import DEFAULT_MAX_LIMITS
from sandbox.result import RunLimits, Status
from tests.sandbox.helpers import assert_next_run_works

LIMITS_PROBE = (
    "import resource\n"
    "names = ['AS', 'CPU', 'FSIZE', 'NOFILE', 'NPROC', 'CORE', 'MEMLOCK']\n"
    "{n: resource.getrlimit(getattr(resource, 'RLIMIT_' + n)) for n in names}"
)


def rlimits(run_unrestricted, limits: RunLimits | None = None) -> dict[str, tuple[int, int]]:
    result = run_unrestricted(LIMITS_PROBE, limits=limits)
    assert result.status is Status.OK, result.error
    return eval(result.value)


def test_child_runs_under_small_fixed_limits(run_unrestricted):
    values = rlimits(run_unrestricted)
    assert values["FSIZE"] == (0, 0)
    assert values["CORE"] == (0, 0)
    assert values["MEMLOCK"] == (0, 0)
    assert values["NOFILE"][1] <= 32
    assert values["NPROC"][1] <= 16


def test_address_space_limit_is_inherited_size_plus_budget(run_unrestricted):
    small = rlimits(run_unrestricted, RunLimits(memory_mib=256))["AS"][0]
    large = rlimits(run_unrestricted, RunLimits(memory_mib=1024))["AS"][0]
    # Never absolute: a forked torch process already has hundreds of MiB of address space.
    assert small > 256 * 2**20 + 200 * 2**20
    assert 700 * 2**20 <= large - small <= 800 * 2**20


def test_memory_budget_is_usable_but_not_more(run_unrestricted):
    ok = run_unrestricted("len(bytearray(100 * 2**20))", limits=RunLimits(memory_mib=256))
    assert ok.status is Status.OK, ok.error
    too_much = run_unrestricted("len(bytearray(400 * 2**20))", limits=RunLimits(memory_mib=256))
    assert too_much.status is Status.MEMORY


def test_cpu_limit_follows_the_request(run_unrestricted):
    soft, hard = rlimits(run_unrestricted, RunLimits(cpu_s=3))["CPU"]
    assert 3 <= soft <= 5 and hard == soft + 1


def test_overrides_are_clamped_to_the_maxima(run_unrestricted):
    huge = RunLimits(time_s=10**6, cpu_s=10**6, memory_mib=10**6, output_bytes=10**9)
    soft, _ = rlimits(run_unrestricted, huge)["CPU"]
    assert soft <= DEFAULT_MAX_LIMITS.cpu_s + 2
    flood = run_unrestricted("while True:\n    print('y' * 4096)", limits=huge)
    assert flood.status is Status.OUTPUT_LIMIT
    kept = flood.stdout.rpartition("\nOutput limit")[0]
    assert len(kept.encode()) == DEFAULT_MAX_LIMITS.output_bytes


def test_too_many_open_files_fails_cleanly(run_unrestricted):
    result = run_unrestricted("files = [open('/dev/null') for _ in range(100)]")
    assert result.status is Status.ERROR
    assert result.error is not None and "Too many open files" in result.error.message
    assert_next_run_works(run_unrestricted)


def test_writing_a_byte_anywhere_fails_with_efbig_or_read_only(run_unrestricted):
    result = run_unrestricted("import os\nos.write(os.open('/dev/null', os.O_WRONLY), b'x')")
    assert result.status is Status.OK  # a character device is not a file: /dev/null still works
    result = run_unrestricted("open('/tmp/x', 'wb').write(b'x')")
    assert result.status is Status.ERROR


LIMITS = RunLimits(time_s=5, cpu_s=7, memory_mib=256, output_bytes=64 * 1024)


def _signalled(signum: int) -> int:
    return signum  # a wait status for "killed by signum" is the signal number itself


@pytest.mark.parametrize(
    ("status", "cpu_s", "expected", "message"),
    [
        (_signalled(signal.SIGSEGV), 0.1, Status.ERROR, "the process was killed by SIGSEGV"),
        (_signalled(signal.SIGABRT), 0.1, Status.ERROR, "the process was killed by SIGABRT"),
        (_signalled(signal.SIGXCPU), 7.0, Status.TIMEOUT, "CPU time limit of 7 s reached"),
        (_signalled(signal.SIGKILL), 8.0, Status.TIMEOUT, "CPU time limit of 7 s reached"),
        (_signalled(signal.SIGKILL), 0.5, Status.MEMORY, "Memory limit of 256 MiB reached"),
        (3 << 8, 0.1, Status.ERROR, "the process exited with code 3 before finishing"),
    ],
)
def test_exit_status_becomes_a_status(status, cpu_s, expected, message):
    result = outcome.from_exit(status, cpu_s, LIMITS, "partial\n", 12.0)
    assert result.status is expected
    assert result.error is not None and result.error.message == message
    assert result.stdout.startswith("partial\n")


def test_unknown_exit_is_internal_with_an_apology(caplog):
    result = outcome.from_exit(None, 0.0, LIMITS, "", 1.0)
    assert result.status is Status.INTERNAL
    assert result.error is not None and result.error.message == outcome.APOLOGY
    assert "exit status is unknown" in caplog.text


@pytest.mark.parametrize(
    ("limits", "text"),
    [
        (RunLimits(output_bytes=64 * 1024), "Output limit of 64 KiB reached"),
        (RunLimits(output_bytes=2 * 2**20), "Output limit of 2 MiB reached"),
        (RunLimits(output_bytes=1000), "Output limit of 1000 bytes reached"),
    ],
)
def test_output_limit_message_names_the_limit(limits, text):
    result = outcome.output_limit(limits, "abc", 1.0)
    assert result.stdout == f"abc\n{text}\n"


def test_timeout_message_keeps_fractional_seconds():
    assert outcome.timeout(RunLimits(time_s=0.5), "", 1.0).error.message == "Time limit of 0.5 s reached"
    assert outcome.timeout(RunLimits(time_s=5.0), "", 1.0).error.message == "Time limit of 5 s reached"


def test_wait_status_encoding_matches_the_os():
    assert os.WIFSIGNALED(_signalled(signal.SIGSEGV)) and os.WTERMSIG(_signalled(signal.SIGSEGV)) == 11
