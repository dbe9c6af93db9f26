"""Start the warm parent as a separate process and talk to it over the control socket (bot side)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib.util
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from sandbox import protocol, userns
from sandbox.handle import ChildHandle, ExitInfo
from sandbox.isolation import IsolationConfig
from sandbox.warm import WarmConfig

log = logging.getLogger("sandbox.warm")

# Read before numpy or torch start: libraries size their thread pools from these at import time.
WARM_ENVIRONMENT = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
}
_BOOTSTRAP = (
    "import sys; sys.path[:0] = sys.argv[2:]; "
    "from sandbox.warm import main; raise SystemExit(main(sys.argv[1]))"
)
_LOUD = ("WARNING", "ERROR", "CRITICAL", "Traceback")


class WarmStartError(RuntimeError):
    """The warm parent refused to start (for example, isolation is unavailable) or died while starting."""


def _import_roots(*modules: str) -> list[str]:
    roots: list[str] = []
    for name in modules:
        spec = importlib.util.find_spec(name.partition(".")[0])
        locations = list(spec.submodule_search_locations or []) if spec else []
        origin = spec.origin if spec and spec.origin and not locations else None
        for location in [*locations, *([origin] if origin else [])]:
            root = os.path.dirname(os.path.abspath(location))
            if root not in roots:
                roots.append(root)
    return roots


class WarmProcess:
    """One warm parent process: spawn it, receive its children, report their exits and its death."""

    def __init__(
        self,
        config: WarmConfig,
        on_child: Callable[[ChildHandle], None],
        on_lost: Callable[[WarmProcess], None],
    ) -> None:
        self._config = config
        self._on_child = on_child
        self._on_lost = on_lost
        self._children: dict[int, ChildHandle] = {}
        self._socket: socket.socket | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._hello: asyncio.Future[dict[str, Any]] | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._map_plan: userns.MapPlan | None = None
        self._pongs: dict[int, asyncio.Future[None]] = {}
        self._nonce = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self.pid: int | None = None
        self.alive = False
        self.info: dict[str, Any] = {}

    def _plan_user_namespace(self) -> tuple[userns.MapPlan | None, IsolationConfig]:
        """Decide the warm parent's user namespace; its children's uids are then 1..count inside it."""
        isolation = self._config.isolation
        if not isolation.namespaces:
            return None, isolation
        try:
            plan = userns.plan(isolation.uid_base, isolation.uid_count)
        except userns.UserNamespaceError as exc:
            if not isolation.insecure_dev:
                raise WarmStartError(str(exc)) from None
            log.warning("INSECURE: %s; starting without a user namespace for the warm parent", exc)
            return None, isolation
        inside = dataclasses.replace(isolation, uid_base=1, uid_count=min(plan.uids.count, plan.gids.count))
        return plan, inside

    async def start(self, timeout_s: float) -> dict[str, Any]:
        """Spawn the warm parent and wait for its greeting; raise ``WarmStartError`` if it refuses."""
        loop = asyncio.get_running_loop()
        self._map_plan, isolation = self._plan_user_namespace()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        config = WarmConfig(
            control_fd=theirs.fileno(),
            executor=self._config.executor,
            pool_size=self._config.pool_size,
            max_limits=self._config.max_limits,
            isolation=isolation,
            user_namespace=self._map_plan is not None,
        )
        argv = [
            sys.executable,
            "-I",
            "-c",
            _BOOTSTRAP,
            config.to_json(),
            *_import_roots("sandbox", self._config.executor),
        ]
        try:
            self._process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                env=dict(WARM_ENVIRONMENT),
                pass_fds=[theirs.fileno()],
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.pid = self._process.pid
        self._socket = ours
        ours.setblocking(False)
        self._hello = loop.create_future()
        self.alive = True
        loop.add_reader(ours.fileno(), self._on_control)
        self._stderr_task = asyncio.create_task(self._relay_stderr())
        try:
            self.info = await asyncio.wait_for(asyncio.shield(self._hello), timeout_s)
            self.pid = int(self.info.get("pid", self.pid))  # the serving process, not the one that waits
        except TimeoutError:
            await self.stop()
            raise WarmStartError(f"the warm parent did not start within {timeout_s:g} s") from None
        except WarmStartError:
            await self.stop()
            raise
        return self.info

    async def ping(self, timeout_s: float) -> bool:
        """Tell whether the warm parent answers its control socket within ``timeout_s``."""
        if self._socket is None or not self.alive:
            return False
        self._nonce += 1
        nonce = self._nonce
        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pongs[nonce] = answered
        try:
            protocol.send_message(self._socket, {"type": "ping", "nonce": nonce})
            await asyncio.wait_for(answered, timeout_s)
            return True
        except (OSError, TimeoutError):
            return False
        finally:
            self._pongs.pop(nonce, None)

    def send_used(self, pid: int) -> None:
        """Tell the warm parent a child was given a request, so it forks a replacement."""
        if self._socket is not None and self.alive:
            try:
                protocol.send_message(self._socket, {"type": "used", "pid": pid})
            except OSError:
                self._lost()

    async def stop(self) -> None:
        """Stop the warm parent and every child it forked."""
        if self._socket is not None and self.alive:
            with contextlib.suppress(OSError):
                protocol.send_message(self._socket, {"type": "stop"})
        self._lost(notify=False)
        if self._process is not None:
            try:
                await asyncio.wait_for(self._process.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    self._process.kill()
                await self._process.wait()
        if self._stderr_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._stderr_task
        # asyncio closes the subprocess transport in callbacks queued by the exit; let them run now,
        # before a caller closes the loop.
        for _ in range(3):
            await asyncio.sleep(0)

    def _on_control(self) -> None:
        assert self._socket is not None
        while self.alive:
            try:
                received = protocol.receive_message(self._socket)
            except BlockingIOError:
                return
            except (OSError, ValueError):
                log.exception("control channel broken")
                received = None
            if received is None:
                self._lost()
                return
            self._on_message(*received)

    def _on_message(self, message: dict[str, Any], fds: list[int]) -> None:
        kind = message.get("type")
        if kind == "child" and len(fds) == 3:
            handle = ChildHandle(int(message["pid"]), *fds)
            self._children[handle.pid] = handle
            self._on_child(handle)
            return
        for fd in fds:
            os.close(fd)
        if kind == "exit":
            exited = self._children.pop(int(message["pid"]), None)
            if exited is not None:
                exited.set_exit(
                    ExitInfo(int(message["status"]), float(message["cpu_s"]), int(message["maxrss_kib"]))
                )
        elif kind == "pong":
            waiter = self._pongs.get(int(message.get("nonce") or 0))
            if waiter is not None and not waiter.done():
                waiter.set_result(None)
        elif kind == "map" and self._map_plan is not None:
            task = asyncio.create_task(self._map(self._map_plan, int(message["pid"])))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        elif kind == "hello" and self._hello is not None and not self._hello.done():
            self._hello.set_result(message)
        elif kind == "fatal" and self._hello is not None and not self._hello.done():
            self._hello.set_exception(WarmStartError(str(message.get("error"))))
        else:
            log.warning("unexpected control message %r", message)

    async def _map(self, plan: userns.MapPlan, pid: int) -> None:
        reply: dict[str, Any] = {"type": "mapped"}
        try:
            if plan.helpers:
                for argv in userns.helper_commands(plan, pid):
                    helper = await asyncio.create_subprocess_exec(
                        *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
                    )
                    _, err = await helper.communicate()
                    if helper.returncode != 0:
                        raise OSError(f"{argv[0]} failed: {err.decode('utf-8', 'replace').strip()}")
            else:
                userns.write_maps(plan, pid)
        except OSError as exc:
            reply = {"type": "unmapped", "error": str(exc)}
        if self._socket is not None and self.alive:
            with contextlib.suppress(OSError):
                protocol.send_message(self._socket, reply)

    def _lost(self, *, notify: bool = True) -> None:
        if not self.alive:
            return
        self.alive = False
        if self._socket is not None:
            asyncio.get_running_loop().remove_reader(self._socket.fileno())
            self._socket.close()
        for handle in self._children.values():
            handle.set_exit(None)
        self._children.clear()
        started = self._hello is not None and self._hello.done() and self._hello.exception() is None
        if self._hello is not None and not self._hello.done():
            self._hello.set_exception(WarmStartError("the warm parent exited while starting"))
        # Death while starting is start()'s to report; only a serving warm parent is restarted.
        if notify and started:
            self._on_lost(self)

    async def _relay_stderr(self) -> None:
        assert self._process is not None and self._process.stderr is not None
        while line := await self._process.stderr.readline():
            text = line.decode("utf-8", "replace").rstrip()
            level = logging.WARNING if text.startswith(_LOUD) else logging.INFO
            log.log(level, "[warm %s] %s", self.pid, text)
