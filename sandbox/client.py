"""The one interface the bot uses to run code, whatever runs it (local warm pool or HTTP service)."""

from __future__ import annotations

from typing import Protocol

from sandbox.result import RunRequest, RunResult


class SandboxBusyError(Exception):
    """Every runner's queue is full; ``retry_after`` says when to try again (seconds)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"the code runner is busy, try again in {retry_after:.0f} s")
        self.retry_after = retry_after


class SandboxClient(Protocol):
    """Run learners' code; expected failures come back as a ``RunResult`` status, never raised."""

    async def run(self, request: RunRequest) -> RunResult:
        """Run one request and return its result; raise ``SandboxBusyError`` only when saturated."""
        ...

    async def aclose(self) -> None:
        """Release the runner's processes or connections."""
        ...
