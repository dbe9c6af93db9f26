"""``HttpSandbox``: the ``SandboxClient`` that runs code on sandbox service replicas over HTTP.

Every request carries a ``request_id`` (the caller's, or a fresh one), so a retry is idempotent. Failover
to the next URL happens only when the request certainly never arrived (connection refused, unknown host)
or was refused unrun (503); once a request may have been received, it is retried on the same URL only,
with the same id, and otherwise reported as an ``internal`` result.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import aiohttp

from sandbox import outcome
from sandbox.client import SandboxBusyError
from sandbox.result import RunRequest, RunResult

log = logging.getLogger(__name__)

_NEVER_SENT = (aiohttp.ClientConnectorError, aiohttp.ClientProxyConnectionError)
_HEALTH_TIMEOUT_S = 3.0


class HttpSandbox:
    """Run code on one of several sandbox services (``tutor sandbox serve``), tried in turn."""

    def __init__(
        self,
        urls: str | Sequence[str],
        *,
        timeout_s: float = 90.0,
        retries: int = 1,
        retry_delay_s: float = 0.25,
        token: str | None = None,
        session: aiohttp.ClientSession | None = None,
    ) -> None:
        self._urls = [urls] if isinstance(urls, str) else list(urls)
        if not self._urls:
            raise ValueError("at least one sandbox URL is needed")
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._retries = retries
        self._retry_delay_s = retry_delay_s
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._session = session
        self._owns_session = session is None
        self._next = 0

    async def run(self, request: RunRequest) -> RunResult:
        """Run ``request`` on a replica; raise ``SandboxBusyError`` only when every replica is busy."""
        body = _body(request)
        start = self._next
        self._next = (self._next + 1) % len(self._urls)
        busy: list[float] = []
        for offset in range(len(self._urls)):
            url = self._urls[(start + offset) % len(self._urls)]
            try:
                return await self._post_with_retries(url, body)
            except _Unsent as exc:
                log.warning("sandbox %s unreachable (%s); trying the next one", url, exc)
            except SandboxBusyError as exc:
                busy.append(exc.retry_after)
        if busy:
            raise SandboxBusyError(min(busy))
        return outcome.internal(f"no sandbox service reachable at {', '.join(self._urls)}")

    async def healthy(self) -> bool:
        """Return whether any replica answers ``GET /healthz`` with 200 (busy replicas are healthy)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        timeout = aiohttp.ClientTimeout(total=_HEALTH_TIMEOUT_S)
        for url in self._urls:
            try:
                async with self._session.get(f"{url.rstrip('/')}/healthz", timeout=timeout) as response:
                    if response.status == 200:
                        return True
            except (TimeoutError, aiohttp.ClientError) as exc:
                log.debug("sandbox %s: health check failed: %r", url, exc)
        return False

    async def aclose(self) -> None:
        """Close the HTTP session if this client opened it."""
        if self._session is not None and self._owns_session:
            await self._session.close()
            self._session = None

    async def _post_with_retries(self, url: str, body: dict[str, Any]) -> RunResult:
        attempt = 0
        while True:
            try:
                return await self._post(url, body)
            except (TimeoutError, aiohttp.ClientError) as exc:
                if isinstance(exc, _NEVER_SENT):
                    if attempt == 0:
                        raise _Unsent(str(exc)) from exc
                    # A retry could not connect: the replica went away with our run; it is lost.
                    return outcome.internal(f"sandbox {url} went away during run {body['request_id']}: {exc}")
                if attempt >= self._retries:
                    return outcome.internal(f"sandbox {url} failed for run {body['request_id']}: {exc!r}")
                attempt += 1
                delay = retry_delay(self._retry_delay_s, attempt)
                log.warning("sandbox %s: %r; retrying run %s in %.2f s", url, exc, body["request_id"], delay)
                await asyncio.sleep(delay)

    async def _post(self, url: str, body: dict[str, Any]) -> RunResult:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        post = self._session.post(
            f"{url.rstrip('/')}/run", json=body, timeout=self._timeout, headers=self._headers
        )
        async with post as response:
            if response.status == 503:
                raise SandboxBusyError(_retry_after(response.headers.get("Retry-After")))
            if response.status != 200:
                text = (await response.text())[:500]
                return outcome.internal(f"sandbox {url} answered {response.status}: {text}")
            data = await response.json()
        try:
            return RunResult.from_json(data)
        except (KeyError, TypeError, ValueError) as exc:
            return outcome.internal(f"sandbox {url} sent a malformed result: {exc!r}")


def retry_delay(base_s: float, attempt: int) -> float:
    """Return the wait before retry number ``attempt``: doubling, with jitter so clients spread out."""
    return float(base_s * 2 ** (attempt - 1) * random.uniform(0.5, 1.5))


class _Unsent(Exception):
    """The request never reached the replica."""


def _body(request: RunRequest) -> dict[str, Any]:
    body: dict[str, Any] = {"code": request.code, "request_id": request.request_id or uuid.uuid4().hex}
    for name in ("setup", "check", "probe"):
        value = getattr(request, name)
        if value is not None:
            body[name] = value
    if request.limits is not None:
        body["limits"] = asdict(request.limits)
    if request.cells:
        body["cells"] = [{"code": cell.code, "seed": cell.seed} for cell in request.cells]
    if request.seed is not None:
        body["seed"] = request.seed
    return body


def _retry_after(header: str | None) -> float:
    try:
        return max(1.0, float(header)) if header else 1.0
    except ValueError:
        return 1.0
