"""Connection limits the HTTP service puts in front of aiohttp: a cap on connections and read deadlines.

aiohttp times out idle keep-alive connections but not a client that sends its request headers a byte at a
time. ``ConnectionGuard`` wraps the server's protocol factory: a connection whose next request has not been
fully read within ``header_timeout_s`` (from the moment it connected or its previous answer was sent) is
closed, and at most ``max_connections`` are open at once. At the cap, a new connection evicts the one that
has waited longest without a request in progress, so a flood of slow clients cannot lock out the bot; only
when every open connection is being served is a new one closed at once. Its middleware marks the
moment a request's headers are in, and the moment its answer is written. Reading the body has its own
deadline in the handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class _GuardedProtocol(asyncio.Protocol):
    """One connection: forwards everything to aiohttp's handler and holds the deadline."""

    def __init__(self, guard: ConnectionGuard, inner: Any) -> None:
        self._guard = guard
        self._inner = inner
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._admitted = False
        self.idle_since: float | None = None  # waiting for a request since then; None while serving one

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        if len(self._guard.open) >= self._guard.max_connections and not self._guard.evict_one():
            self._guard.refused += 1
            transport.abort()
            return
        self._admitted = True
        self._guard.open[transport] = self
        self.arm()
        self._inner.connection_made(transport)

    def arm(self) -> None:
        """Start the deadline for the next request's headers."""
        self.disarm()
        loop = asyncio.get_running_loop()
        self.idle_since = loop.time()
        self._timer = loop.call_later(self._guard.header_timeout_s, self._expire)

    def disarm(self) -> None:
        """Stop the deadline: a request is being served."""
        self.idle_since = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def close(self) -> None:
        """Hang up now."""
        if self._transport is not None:
            self._transport.abort()

    def _expire(self) -> None:
        self._guard.timed_out += 1
        self.close()

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return bool(self._inner.eof_received())

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm()
        if self._admitted and self._transport is not None:
            self._guard.open.pop(self._transport, None)
            self._inner.connection_lost(exc)


class ConnectionGuard:
    """Wrap an aiohttp server's protocol factory with a connection cap and a header deadline."""

    def __init__(self, *, max_connections: int, header_timeout_s: float) -> None:
        self.max_connections = max_connections
        self.header_timeout_s = header_timeout_s
        self.open: dict[asyncio.BaseTransport, _GuardedProtocol] = {}
        self.refused = 0
        self.evicted = 0
        self.timed_out = 0

    def evict_one(self) -> bool:
        """Close the connection that has waited longest for a request; False if all are being served."""
        waiting = [connection for connection in self.open.values() if connection.idle_since is not None]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda connection: connection.idle_since or 0.0)
        self.evicted += 1
        self.open = {transport: c for transport, c in self.open.items() if c is not oldest}
        oldest.close()
        return True

    def factory(self, inner_factory: Callable[[], Any]) -> Callable[[], asyncio.Protocol]:
        """Return a protocol factory for ``loop.create_server`` that guards each connection."""
        return lambda: _GuardedProtocol(self, inner_factory())

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Stop the header deadline while a request is served; restart it once its answer is sent."""
        connection = self.open.get(request.transport) if request.transport is not None else None
        if connection is not None:
            connection.disarm()
        try:
            return await handler(request)
        finally:
            if connection is not None:
                connection.arm()
