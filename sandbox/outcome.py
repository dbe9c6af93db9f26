"""Turn how a child ended (a result frame, a limit the pool enforced, its exit status) into a RunResult."""

from __future__ import annotations

import logging
import os
import signal

from sandbox.result import RunError, RunLimits, RunResult, Status, failure

log = logging.getLogger(__name__)

APOLOGY = "Sorry, the code runner had a problem of its own (not your code). Please try again."


def _number(value: float) -> str:
    return f"{value:g}"


def _size(n_bytes: int) -> str:
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if n_bytes >= scale and n_bytes % scale == 0:
            return f"{n_bytes // scale} {unit}"
    return f"{n_bytes} bytes"


def with_notice(stdout: str, message: str) -> str:
    """Return ``stdout`` ending with a line that says ``message``."""
    separator = "" if not stdout or stdout.endswith("\n") else "\n"
    return f"{stdout}{separator}{message}\n"


def _limit(status: Status, message: str, stdout: str, duration_ms: float) -> RunResult:
    return failure(status, message, stdout=with_notice(stdout, message), duration_ms=duration_ms)


def timeout(limits: RunLimits, stdout: str, duration_ms: float) -> RunResult:
    """Return the result of a run stopped by the wall-clock limit."""
    message = f"Time limit of {_number(limits.time_s)} s reached"
    return _limit(Status.TIMEOUT, message, stdout, duration_ms)


def cpu_time(limits: RunLimits, stdout: str, duration_ms: float) -> RunResult:
    """Return the result of a run stopped by the CPU-time limit."""
    message = f"CPU time limit of {_number(limits.cpu_s)} s reached"
    return _limit(Status.TIMEOUT, message, stdout, duration_ms)


def output_limit(limits: RunLimits, stdout: str, duration_ms: float) -> RunResult:
    """Return the result of a run stopped for printing more than the output limit."""
    message = f"Output limit of {_size(limits.output_bytes)} reached"
    return _limit(Status.OUTPUT_LIMIT, message, stdout, duration_ms)


def memory(limits: RunLimits, stdout: str, duration_ms: float) -> RunResult:
    """Return the result of a run killed for using too much memory."""
    message = f"Memory limit of {limits.memory_mib} MiB reached"
    return _limit(Status.MEMORY, message, stdout, duration_ms)


def unreadable(stdout: str, duration_ms: float) -> RunResult:
    """Return the result of a run whose child sent something that is not a valid result."""
    message = "the run ended without a result the sandbox could read (did the code tamper with it?)"
    return RunResult(
        status=Status.ERROR,
        stdout=stdout,
        error=RunError(type="SandboxError", message=message),
        duration_ms=duration_ms,
    )


def closed_output(stdout: str, duration_ms: float) -> RunResult:
    """Return the result of a run whose process closed its output while still running (it was stopped)."""
    message = "the process closed its output before finishing and was stopped"
    return RunResult(
        status=Status.ERROR,
        stdout=stdout,
        error=RunError(type="SandboxError", message=message),
        duration_ms=duration_ms,
    )


def internal(detail: str, *, stdout: str = "", duration_ms: float = 0.0) -> RunResult:
    """Log ``detail`` and return the apology the learner sees."""
    log.error("sandbox internal failure: %s", detail)
    return failure(Status.INTERNAL, APOLOGY, stdout=stdout, duration_ms=duration_ms)


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def from_exit(
    wait_status: int | None, cpu_s: float, limits: RunLimits, stdout: str, duration_ms: float
) -> RunResult:
    """Explain a child that ended without sending its result, from its wait status and CPU time."""
    if wait_status is None:
        return internal(
            "the child ended without a result and its exit status is unknown",
            stdout=stdout,
            duration_ms=duration_ms,
        )
    if os.WIFSIGNALED(wait_status):
        signum = os.WTERMSIG(wait_status)
        if signum == signal.SIGXCPU or (signum == signal.SIGKILL and cpu_s >= limits.cpu_s):
            return cpu_time(limits, stdout, duration_ms)
        if signum == signal.SIGKILL:
            # Nobody else sends SIGKILL to an isolated child: the kernel's out-of-memory killer did.
            return memory(limits, stdout, duration_ms)
        message = f"the process was killed by {_signal_name(signum)}"
        kind = "Crash"
    else:
        code = os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else wait_status
        message = f"the process exited with code {code} before finishing"
        kind = "SystemExit"
    return RunResult(
        status=Status.ERROR,
        stdout=stdout,
        error=RunError(type=kind, message=message),
        duration_ms=duration_ms,
    )
