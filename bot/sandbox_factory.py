"""Build the sandbox client the settings ask for: the embedded warm pool, or the HTTP service."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator

from bot.config import SandboxSettings
from sandbox.client import SandboxClient
from sandbox.result import RunLimits


def run_limits(settings: SandboxSettings) -> RunLimits:
    """Return the per-run limits the settings configure."""
    return RunLimits(
        time_s=settings.time_limit,
        cpu_s=settings.cpu_limit,
        memory_mib=settings.memory_mib,
        output_bytes=settings.output_bytes,
    )


@contextlib.asynccontextmanager
async def open_sandbox(settings: SandboxSettings) -> AsyncIterator[SandboxClient]:
    """Start the sandbox client for the duration of the block and release it afterwards."""
    client: SandboxClient
    if settings.url:
        from sandbox.http_client import HttpSandbox

        client = HttpSandbox(settings.url)
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
