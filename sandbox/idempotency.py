"""Make a retried request with the same ``request_id`` run once: a bounded TTL cache plus in-flight runs.

Finished answers are kept as the bytes sent to the client, within a count and a byte budget (oldest out
first), so a flood of large results cannot grow the service's memory.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any


class RequestIdConflict(ValueError):
    """The request_id was already used for a different request."""


def fingerprint(body: dict[str, Any]) -> str:
    """Return a digest of what a request asks for (everything but its id)."""
    material = {key: value for key, value in body.items() if key != "request_id"}
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


class IdempotentRuns:
    """Remember recent answers by request_id; a concurrent retry awaits the first run instead of running."""

    def __init__(self, max_entries: int = 2048, ttl_s: float = 600.0, max_bytes: int = 64 * 2**20) -> None:
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._ttl_s = ttl_s
        self._done: OrderedDict[str, tuple[float, str, bytes]] = OrderedDict()
        self._bytes = 0
        self._running: dict[str, tuple[str, asyncio.Future[bytes]]] = {}

    @property
    def cached_bytes(self) -> int:
        """Return how many bytes of answers are kept."""
        return self._bytes

    async def run(
        self, request_id: str, digest: str, start: Callable[[], Awaitable[bytes]]
    ) -> tuple[bytes, bool]:
        """Return the answer for ``request_id`` and whether it was replayed rather than run now.

        The run itself is a task of its own: if the first requester goes away (a client timeout), it still
        finishes and its answer waits in the cache for the retry.
        """
        self._expire()
        cached = self._done.get(request_id)
        if cached is not None:
            _, cached_digest, answer = cached
            self._check(digest, cached_digest)
            return answer, True
        if request_id in self._running:
            running_digest, running = self._running[request_id]
            self._check(digest, running_digest)
            return await asyncio.shield(running), True
        task = asyncio.ensure_future(start())
        self._running[request_id] = (digest, task)
        task.add_done_callback(lambda done: self._finished(request_id, digest, done))
        return await asyncio.shield(task), False

    def _finished(self, request_id: str, digest: str, task: asyncio.Future[bytes]) -> None:
        del self._running[request_id]
        if task.cancelled() or task.exception() is not None:
            return  # nothing ran to completion (busy, shut down): nothing to replay
        answer = task.result()
        if len(answer) > self._max_bytes:
            return
        self._done[request_id] = (time.monotonic(), digest, answer)
        self._bytes += len(answer)
        while len(self._done) > self._max_entries or self._bytes > self._max_bytes:
            _, (_, _, dropped) = self._done.popitem(last=False)
            self._bytes -= len(dropped)

    @staticmethod
    def _check(digest: str, stored: str) -> None:
        if digest != stored:
            raise RequestIdConflict("request_id was already used for a different request")

    def _expire(self) -> None:
        cutoff = time.monotonic() - self._ttl_s
        while self._done:
            key, (stamp, _, answer) = next(iter(self._done.items()))
            if stamp >= cutoff:
                break
            del self._done[key]
            self._bytes -= len(answer)
