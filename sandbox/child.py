"""The life of one forked child: isolate, wait for one request, run it, report, exit.

The child runs nothing before its request. The warm parent has already imported and run everything a run
needs (``sandbox.executor.warm_up``); what a first run in a fresh child still pays is copying the pages it
writes, the parent's objects' reference counts mostly (about 1,200 copy-on-write faults for a small autograd
snippet). A trusted snippet run here first only moved those faults ahead of the request and added its own
execution: about 5 ms of CPU per run, for a first-run latency gain that vanishes once the cores are busy.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import asdict
from typing import NoReturn, Protocol

from sandbox import isolation, protocol
from sandbox.bounds import cap_result
from sandbox.result import RunRequest, RunResult, Status, failure

EXIT_FAILED = 70


class Executor(Protocol):
    """What the child needs from the in-process half of the sandbox (``sandbox.executor``)."""

    def warm_up(self) -> None:
        """Import and prepare everything runs need (called once in the warm parent)."""

    def execute(
        self,
        request: RunRequest,
        emit: Callable[[str], None],
        learner_code_starts: Callable[[], None],
        send_evidence: Callable[[bytes], None],
    ) -> RunResult:
        """Run ``request`` in this process, streaming printed text through ``emit``.

        ``learner_code_starts`` must be called before any learner code runs (after trusted setup);
        ``send_evidence`` takes what a check's probe captured (``sandbox.evidence``).
        """
        ...


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Emitter:
    """Stream printed text as output frames, and stop sending once past what the pool accepts."""

    def __init__(self, fd: int, limit: int) -> None:
        self._fd = fd
        self._budget = protocol.output_cap(limit) + 1  # one byte more tells the pool the cap was crossed
        self._lock = threading.Lock()

    def evidence(self, data: bytes) -> None:
        """Send what a check's probe captured."""
        with self._lock:
            _write_all(self._fd, protocol.frame(protocol.EVIDENCE, data))

    def untrusted(self) -> None:
        """Tell the pool that learner code starts now."""
        with self._lock:
            _write_all(self._fd, protocol.frame(protocol.UNTRUSTED, b""))

    def __call__(self, text: str) -> None:
        with self._lock:
            if self._budget <= 0 or not text:
                return
            data = text.encode("utf-8", "replace")[: self._budget]
            self._budget -= len(data)
            for start in range(0, len(data), protocol.OUTPUT_CHUNK):
                chunk = data[start : start + protocol.OUTPUT_CHUNK]
                _write_all(self._fd, protocol.frame(protocol.OUTPUT, chunk))


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def run_child(
    prepared: isolation.Prepared,
    executor: Executor,
    request_fd: int,
    output_fd: int,
    *,
    lifeline_fd: int,
    uid: int,
) -> NoReturn:
    """Serve exactly one request in this freshly forked process, then exit (never returns)."""
    status = 0
    try:
        report = isolation.isolate(prepared, [request_fd, output_fd], lifeline_fd, uid)
        isolation.lock_down(prepared, report)
        _write_all(output_fd, protocol.frame(protocol.READY, json.dumps(asdict(report)).encode()))
        request = protocol.decode_request(_read_all(request_fd))
        os.close(request_fd)
        _write_all(output_fd, protocol.frame(protocol.STARTED, b""))
        assert request.limits is not None
        isolation.apply_run_limits(request.limits, report, replaying=bool(request.cells))
        emitter = _Emitter(output_fd, request.limits.output_bytes)
        result = executor.execute(request, emitter, emitter.untrusted, emitter.evidence)
        try:
            payload = json.dumps(cap_result(result.with_changes(stdout="")).to_json()).encode()
        except MemoryError:  # the learner's objects left no room even to describe the run
            message = f"Memory limit of {request.limits.memory_mib} MiB reached"
            payload = json.dumps(failure(Status.MEMORY, message).to_json()).encode()
        _write_all(output_fd, protocol.frame(protocol.DONE, payload))
    except BaseException as exc:  # anything here is the sandbox's failure, never the learner's
        status = EXIT_FAILED
        detail = "".join(traceback.format_exception(exc))[-4000:]
        with contextlib.suppress(OSError):
            _write_all(output_fd, protocol.frame(protocol.FAILED, detail.encode("utf-8", "replace")))
    finally:
        # Close before exiting: tearing down a torch-sized address space takes milliseconds, and the
        # pool must not wait for that to see the end of the stream.
        with contextlib.suppress(OSError):
            os.close(output_fd)
        os._exit(status)
