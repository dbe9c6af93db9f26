"""Fixtures for sandbox tests.

`run` executes a snippet the way the product does and returns its `RunResult`. Until the warm pool
(`sandbox.local.LocalSandbox`) exists it forks, calls `sandbox.executor.execute` in the child and sends the
result back as JSON, so a hostile snippet can never touch the test process itself.
"""

from __future__ import annotations

import json
import os
from typing import Protocol

import pytest

from sandbox.result import RunLimits, RunRequest, RunResult


class Runner(Protocol):
    def __call__(
        self,
        code: str,
        *,
        setup: str | None = None,
        check: str | None = None,
        limits: RunLimits | None = None,
    ) -> RunResult: ...


def _fork_and_execute(request: RunRequest) -> RunResult:
    from sandbox.executor import execute

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            chunks: list[str] = []
            result = execute(request, chunks.append)
            result = result.with_changes(stdout="".join(chunks))
            payload = json.dumps(result.to_json()).encode()
        except BaseException as exc:  # noqa: BLE001 - report anything to the parent
            payload = json.dumps({"status": "internal", "error": {"type": "internal", "message": repr(exc)}}).encode()
        with os.fdopen(write_fd, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    return RunResult.from_json(json.loads(data))


@pytest.fixture
def run() -> Runner:
    def _run(
        code: str,
        *,
        setup: str | None = None,
        check: str | None = None,
        limits: RunLimits | None = None,
    ) -> RunResult:
        return _fork_and_execute(RunRequest(code=code, setup=setup, check=check, limits=limits))

    return _run


