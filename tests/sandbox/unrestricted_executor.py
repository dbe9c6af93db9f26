"""An executor WITHOUT the language policy: plain ``exec`` inside the isolated child.

It exists to prove that the process layer holds on its own (an attacker who got past RestrictedPython
still cannot start programs, fork, open sockets or write files), and as a stand-in with the signature of
``sandbox.executor`` (``warm_up()``, ``execute(request, emit)``). Never used outside tests.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import sys
import time
import traceback
from collections.abc import Callable

from sandbox import evidence
from sandbox.execution import run_check
from sandbox.result import CheckResult, RunError, RunRequest, RunResult, Status, failure


def warm_up() -> None:
    import os  # noqa: F401 - preloaded so snippets can use them after the uid drop
    import resource  # noqa: F401
    import signal  # noqa: F401
    import socket  # noqa: F401
    import subprocess  # noqa: F401
    import threading  # noqa: F401

    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    (torch.ones(2, 2) + 1).sum()


class _Stream(io.TextIOBase):
    def __init__(self, emit: Callable[[str], None]) -> None:
        self._emit = emit

    def write(self, text: str) -> int:
        self._emit(text)
        return len(text)


def _compile(code: str):
    tree = ast.parse(code, "<learner>", "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    return compile(tree, "<learner>", "exec"), compile(last, "<learner>", "eval") if last else None


def _verdict(request: RunRequest) -> RunResult:
    """Decide a check over evidence, as the real executor does (no learner code runs here either)."""
    import torch

    assert request.check is not None and request.evidence is not None
    namespace = {"__builtins__": builtins, "torch": torch, "__name__": "__check__"}
    if request.setup:
        exec(request.setup, namespace)
    try:
        namespace.update(evidence.restore(request.evidence))
    except evidence.EvidenceError as exc:
        return RunResult(status=Status.OK, check=CheckResult(passed=False, message=f"check crashed: {exc}"))
    return RunResult(status=Status.OK, check=run_check(request.check, namespace))


def execute(
    request: RunRequest,
    emit: Callable[[str], None],
    learner_code_starts: Callable[[], None] = lambda: None,
    send_evidence: Callable[[bytes], None] = lambda _data: None,
) -> RunResult:
    import torch

    if request.evidence is not None:
        return _verdict(request)
    started = time.perf_counter()
    namespace = {"__builtins__": builtins, "torch": torch, "__name__": "__learner__"}
    stream = _Stream(emit)
    try:
        body, last = _compile(request.code)
    except SyntaxError as exc:
        return RunResult(status=Status.SYNTAX, error=RunError("SyntaxError", str(exc.msg), exc.lineno))
    value = None
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            if request.setup:
                exec(request.setup, namespace)
            learner_code_starts()
            exec(body, namespace)
            if last is not None:
                result = eval(last, namespace)
                value = None if result is None else repr(result)[:10_000]
            if request.check:
                if request.probe:
                    exec(request.probe, namespace)
                send_evidence(evidence.capture(namespace, evidence.names_read_by(request.check)))
    except MemoryError:
        return failure(Status.MEMORY, "Memory limit reached")
    except BaseException as exc:  # the learner's failure is data
        if isinstance(exc, RuntimeError) and "can't allocate memory" in str(exc):
            return failure(Status.MEMORY, "Memory limit reached")
        line = None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename == "<learner>":
                line = lineno
        return RunResult(status=Status.ERROR, error=RunError(type(exc).__name__, str(exc)[:2000], line))
    finally:
        sys.stdout.flush()
    duration = (time.perf_counter() - started) * 1000
    return RunResult(status=Status.OK, value=value, duration_ms=duration)
