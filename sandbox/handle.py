"""The pool's view of one forked child: its descriptors, its output stream and how it ended."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import os
import signal
from dataclasses import dataclass
from typing import Any

from sandbox import protocol

_READ_SIZE = 256 * 1024


class End(enum.Enum):
    """Why the child's stream ended."""

    DONE = "done"  # a result frame arrived
    FAILED = "failed"  # the child reported its own failure (isolation, executor crash)
    EOF = "eof"  # the stream closed without a result: the process died
    OUTPUT_LIMIT = "output_limit"  # it printed past the limit and was killed
    BAD_STREAM = "bad_stream"  # it sent something that is not a frame


@dataclass(frozen=True, slots=True)
class ExitInfo:
    """How the warm parent saw the child end."""

    status: int
    cpu_s: float
    maxrss_kib: int


class ChildHandle:
    """Descriptors of one child (pidfd, request pipe, output pipe) and the futures of its life."""

    def __init__(self, pid: int, pidfd: int, request_fd: int, output_fd: int) -> None:
        self.pid = pid
        self._pidfd = pidfd
        self._request_fd = request_fd
        self._output_fd = output_fd
        self._loop = asyncio.get_running_loop()
        self._reader = protocol.FrameReader()
        self._output = bytearray()
        self._output_cap: int | None = None
        self.ready: asyncio.Future[dict[str, Any]] = self._loop.create_future()
        self.ended: asyncio.Future[End] = self._loop.create_future()
        self.exited: asyncio.Future[ExitInfo | None] = self._loop.create_future()
        self.dead: asyncio.Future[None] = self._loop.create_future()  # the process has exited
        self.killed = False  # the pool killed it (after its result, a limit, or a stream it closed early)
        self.result: dict[str, Any] | None = None
        self.evidence: bytes | None = None  # what a check's probe captured (untrusted, checked when read)
        self.started = False  # the child confirmed it read the request
        self.untrusted = False  # learner code has run: frames from now on may be forged
        self.detail = ""
        os.set_blocking(output_fd, False)
        os.set_blocking(request_fd, False)
        self._loop.add_reader(output_fd, self._on_readable)
        self._loop.add_reader(pidfd, self._on_dead)  # a pidfd turns readable when its process exits

    @property
    def output(self) -> str:
        """Return everything the child printed (at most the cap past the output limit)."""
        return self._output.decode("utf-8", "replace")

    def output_within(self, limit: int) -> str:
        """Return what the child printed, cut at ``limit`` bytes (never inside a character)."""
        return self._output[:limit].decode("utf-8", "ignore")

    @property
    def output_size(self) -> int:
        """Return how many bytes the child printed."""
        return len(self._output)

    def begin(self, output_limit: int) -> None:
        """Start accepting printed text; past the cap for ``output_limit`` the child is killed."""
        self._output_cap = protocol.output_cap(output_limit)

    async def send_request(self, payload: bytes) -> None:
        """Write the request into the child's pipe and close it; a dead child is noticed by the reader."""
        view = memoryview(payload)
        try:
            while view:
                try:
                    view = view[os.write(self._request_fd, view) :]
                except BlockingIOError:
                    writable: asyncio.Future[None] = self._loop.create_future()
                    # The loop may call the writer again before this task runs to remove it.
                    self._loop.add_writer(self._request_fd, _resolve, writable)
                    waiters: list[asyncio.Future[Any]] = [writable, self.ended]
                    try:
                        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                    finally:
                        self._loop.remove_writer(self._request_fd)
                    if self.ended.done():
                        return
        except OSError:
            return  # EPIPE: the child is gone; its stream's end explains why
        finally:
            self._close_request()

    def kill(self) -> None:
        """Kill the child now (through its pidfd, so a recycled pid can never be hit)."""
        if self._pidfd >= 0:
            self.killed = True
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    async def wait_dead(self, timeout_s: float) -> bool:
        """Wait until the process has exited; return False if it is still there after ``timeout_s``."""
        done, _ = await asyncio.wait([self.dead], timeout=timeout_s)
        return bool(done)

    def _on_dead(self) -> None:
        self._loop.remove_reader(self._pidfd)
        if not self.dead.done():
            self.dead.set_result(None)

    def set_exit(self, info: ExitInfo | None) -> None:
        """Record how the child ended (None: unknown, the warm parent is gone) and release it."""
        if not self.exited.done():
            self.exited.set_result(info)
        if info is None:
            self.kill()
        # The exit report can overtake the last frames still sitting in the pipe: read them first.
        self._on_readable()
        self._finish(End.EOF)
        self._close_request()
        if self._pidfd >= 0:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = -1
        if not self.dead.done():
            self.dead.set_result(None)  # reaped, or nobody can tell any more: either way it is gone

    def _close_request(self) -> None:
        if self._request_fd >= 0:
            os.close(self._request_fd)
            self._request_fd = -1

    def _finish(self, end: End) -> None:
        if self._output_fd >= 0:
            self._loop.remove_reader(self._output_fd)
            os.close(self._output_fd)
            self._output_fd = -1
        if not self.ended.done():
            self.ended.set_result(end)
        if not self.ready.done():
            self.ready.set_exception(ChildGone(f"child {self.pid} ended ({end.value}) before it was ready"))
            self.ready.exception()  # mark retrieved: an idle child dying is logged by the pool

    def _on_readable(self) -> None:
        try:
            while self._output_fd >= 0:
                try:
                    data = os.read(self._output_fd, _READ_SIZE)
                except BlockingIOError:
                    return
                if not data:
                    self._finish(End.EOF)
                    return
                for kind, payload in self._reader.feed(data):
                    self._on_frame(kind, payload)
                    if self.ended.done():
                        return
        except (protocol.FrameError, ValueError) as exc:
            self.detail = f"bad stream from child {self.pid}: {exc}"
            self.kill()
            self._finish(End.BAD_STREAM)

    def _on_frame(self, kind: bytes, payload: bytes) -> None:
        if kind == protocol.READY and not self.ready.done():
            self.ready.set_result(json.loads(payload))
        elif kind == protocol.STARTED and self._output_cap is not None and not self.started:
            self.started = True
        elif kind == protocol.UNTRUSTED and self.started:
            self.untrusted = True
        elif kind == protocol.OUTPUT and self.started:
            self._output += payload
            if self._output_cap is not None and len(self._output) > self._output_cap:
                self.kill()
                self._finish(End.OUTPUT_LIMIT)
        elif kind == protocol.EVIDENCE and self.started and self.evidence is None:
            self.evidence = payload
        elif kind == protocol.DONE and self.started:
            self.result = json.loads(payload)
            self._finish(End.DONE)
        elif kind == protocol.FAILED:
            self.detail = payload.decode("utf-8", "replace")
            self._finish(End.FAILED)
        else:
            raise protocol.FrameError(f"unexpected frame {kind!r}")


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class ChildGone(Exception):
    """A child ended before it could take a request."""
