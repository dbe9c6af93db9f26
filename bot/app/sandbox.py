"""Build the sandbox client the settings ask for: the embedded warm pool, or the HTTP service."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator

from bot.config import SandboxSettings
from sandbox.client import SandboxClient
from sandbox.result import RunLimits, RunRequest, RunResult


def run_limits(settings: SandboxSettings) -> RunLimits:
    """Return the per-run limits the settings configure."""
    return RunLimits(
        time_s=settings.time_limit,
        cpu_s=settings.cpu_limit,
        memory_mib=settings.memory_mib,
        output_bytes=settings.output_bytes,
    )


class DefaultLimits:
    """Give every request without limits of its own the configured ones (the service clamps them)."""

    def __init__(self, client: SandboxClient, limits: RunLimits) -> None:
        self._client = client
        self._limits = limits

    async def run(self, request: RunRequest) -> RunResult:
        """Run ``request``, with the configured limits unless it carries its own."""
        if request.limits is None:
            request = dataclasses.replace(request, limits=self._limits)
        return await self._client.run(request)

    async def aclose(self) -> None:
        """Close the wrapped client."""
        await self._client.aclose()


@contextlib.asynccontextmanager
async def open_sandbox(settings: SandboxSettings) -> AsyncIterator[SandboxClient]:
    """Start the sandbox client for the duration of the block and release it afterwards."""
    client: SandboxClient
    if settings.url:
        from sandbox.http_client import HttpSandbox

        token = settings.token.get_secret_value() if settings.token else None
        client = DefaultLimits(HttpSandbox(settings.url, token=token), run_limits(settings))
    else:
        from sandbox.local import LocalSandbox, PoolConfig

        config = PoolConfig(
            limits=run_limits(settings),
            queue_size=settings.queue_size,
            insecure_dev=settings.insecure_dev,
        )
        if settings.concurrency is not None:
            config = dataclasses.replace(config, concurrency=settings.concurrency)
        client = await LocalSandbox.create(config)
    try:
        yield client
    finally:
        await client.aclose()
