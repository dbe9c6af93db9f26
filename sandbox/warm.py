"""The warm parent: a lean, single-threaded process that holds torch and forks isolated children.

Started by the pool (``sandbox.local``) with a minimal environment and one inherited descriptor, the control
socket. It imports the executor's modules once, compiles the syscall filter, probes isolation, then keeps
``pool_size`` children forked ahead of demand: each isolates itself and waits for its request,
which the pool writes straight into the child's pipe. This process only forks, passes each new child's
descriptors to the pool, and reaps. No event loop and no threads here: a forked child of a threaded parent
can inherit a held lock, and torch's thread pools must never start in a process that forks.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import logging
import os
import select
import signal
import socket
import sys
from dataclasses import asdict, dataclass, field
from typing import Any, cast

from sandbox import child, isolation, linux, probe, protocol, userns
from sandbox.result import RunLimits
from sandbox.spawn import Spawner, UidPool

log = logging.getLogger("sandbox.warm")


@dataclass(frozen=True, slots=True)
class WarmConfig:
    """How the pool configures its warm parent (passed as JSON on the command line)."""

    control_fd: int
    executor: str = "sandbox.executor"
    pool_size: int = 2
    max_limits: RunLimits = field(default_factory=RunLimits)
    isolation: isolation.IsolationConfig = field(default_factory=isolation.IsolationConfig)
    user_namespace: bool = False  # enter a user namespace of its own first, mapped by the pool

    def to_json(self) -> str:
        """Serialise for the command line."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> WarmConfig:
        """Parse what ``to_json`` wrote."""
        data = json.loads(text)
        return cls(
            control_fd=data["control_fd"],
            executor=data["executor"],
            pool_size=data["pool_size"],
            max_limits=RunLimits(**data["max_limits"]),
            isolation=isolation.IsolationConfig(**data["isolation"]),
            user_namespace=data["user_namespace"],
        )


class WarmParent:
    """The fork-and-reap loop of the warm parent."""

    def __init__(self, config: WarmConfig, control: socket.socket) -> None:
        self._config = config
        self._control = control
        self._executor: child.Executor | None = None
        self._prepared: isolation.Prepared | None = None
        self._spawner: Spawner | None = None
        self._uids = UidPool(config.isolation.uid_base, config.isolation.uid_count)
        self._waiting: set[int] = set()  # forked, not yet handed a request
        self._live: dict[int, int] = {}  # forked, not yet reaped: pid -> uid
        self._wakeup_r, self._wakeup_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def start(self) -> dict[str, Any]:
        """Import, warm up, compile the filter and probe; raise on any failure."""
        executor = cast(child.Executor, importlib.import_module(self._config.executor))
        executor.warm_up()
        _warm_torch()
        prepared, spawner, outcome = _prepare_and_probe(self._config, self._uids)
        self._executor, self._prepared, self._spawner = executor, prepared, spawner
        # Objects that exist now are shared with every child; frozen, the child's collector leaves their
        # pages alone instead of copying them on its first collection.
        gc.freeze()
        collapsed = linux.collapse_to_huge_pages()
        prepared.seal_ranges = linux.large_mappings(isolation.SEAL_MIN_BYTES)
        return {"probe": outcome, "warnings": prepared.warnings, "huge_pages_mib": collapsed // 2**20}

    def _fork_child(self) -> None:
        assert self._prepared is not None and self._executor is not None and self._spawner is not None
        request_r, request_w = os.pipe2(os.O_CLOEXEC)
        output_r, output_w = os.pipe2(os.O_CLOEXEC)
        uid = self._uids.take()
        try:
            pid = self._spawner.fork()
        except BaseException:
            self._uids.release(uid)
            for fd in (request_r, request_w, output_r, output_w):
                os.close(fd)
            raise
        if pid == 0:
            lifeline = self._spawner.lifeline_r
            child.run_child(
                self._prepared, self._executor, request_r, output_w, lifeline_fd=lifeline, uid=uid
            )
        os.close(request_r)
        os.close(output_w)
        self._live[pid] = uid
        self._waiting.add(pid)
        pidfd = os.pidfd_open(pid)
        try:
            protocol.send_message(self._control, {"type": "child", "pid": pid}, [pidfd, request_w, output_r])
        finally:
            for fd in (pidfd, request_w, output_r):
                os.close(fd)

    def _reap(self) -> None:
        while self._live:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if info is None:
                return
            pid = info.si_pid
            # The unreaped child still owns its pid, so this cannot hit a recycled process group.
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            uid = self._live.pop(pid, None)
            if uid is not None:
                self._uids.release(uid)
            self._waiting.discard(pid)
            message = {
                "type": "exit",
                "pid": pid,
                "status": status,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "maxrss_kib": usage.ru_maxrss,
            }
            protocol.send_message(self._control, message)

    def _handle(self, message: dict[str, Any]) -> bool:
        kind = message.get("type")
        if kind == "used":
            self._waiting.discard(int(message["pid"]))
        elif kind == "ping":
            protocol.send_message(self._control, {"type": "pong", "nonce": message.get("nonce")})
        return kind != "stop"

    def serve(self) -> None:
        """Keep the pool of waiting children full until the pool says stop or goes away."""
        signal.set_wakeup_fd(self._wakeup_w)
        signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
        poller = select.poll()
        poller.register(self._control.fileno(), select.POLLIN)
        poller.register(self._wakeup_r, select.POLLIN)
        try:
            while True:
                self._reap()
                while len(self._waiting) < self._config.pool_size:
                    self._fork_child()
                for fd, _events in poller.poll():
                    if fd == self._wakeup_r:
                        _drain(self._wakeup_r)
                        continue
                    received = protocol.receive_message(self._control)
                    if received is None or not self._handle(received[0]):
                        return
        except (BrokenPipeError, ConnectionResetError):
            return  # the pool went away; its end of the socket is closed
        finally:
            self._stop_children()

    def _stop_children(self) -> None:
        for pid in list(self._live):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        for pid in list(self._live):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._live.clear()


def _prepare_and_probe(
    config: WarmConfig, uids: UidPool
) -> tuple[isolation.Prepared, Spawner, dict[str, object]]:
    degraded: list[str] = []
    ladder = isolation.fallbacks(config.isolation)
    for attempt in ladder:
        try:
            prepared = isolation.prepare(attempt, config.max_limits)
            spawner = Spawner(pid_namespaces=attempt.namespaces)
            outcome = probe.probe(prepared, spawner, uids)
        except (isolation.IsolationError, OSError) as exc:
            if attempt is ladder[-1]:
                raise
            degraded.append(f"WEAKER ISOLATION: {exc}; trying again with fewer measures")
            continue
        prepared.warnings[:0] = degraded
        if attempt != config.isolation:
            prepared.warnings.append(
                f"WEAKER ISOLATION: running with namespaces={attempt.namespaces}, "
                f"filesystem view={attempt.filesystem}"
            )
        return prepared, spawner, outcome
    raise AssertionError("unreachable: the ladder is never empty")


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass


def _warm_torch() -> None:
    torch = sys.modules.get("torch")
    if torch is None:
        return
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    # One tiny backward pass: autograd's first use costs milliseconds that every child would pay again.
    leaf = torch.ones(2, 2, requires_grad=True)
    (leaf * 3).mean().backward()


def _enter_user_namespace(control: socket.socket) -> None:
    """Enter a user namespace of its own and wait until the pool has mapped it (see ``sandbox.userns``)."""
    userns.enter()
    protocol.send_message(control, {"type": "map", "pid": os.getpid()})
    received = protocol.receive_message(control)
    if received is None or received[0].get("type") != "mapped":
        detail = received[0].get("error", "no answer") if received else "the pool went away"
        raise userns.UserNamespaceError(f"the pool could not map the warm parent's user namespace: {detail}")
    userns.become_root()


def _become_init_of_pid_namespace(control: socket.socket) -> None:
    """Continue as process 1 of a new PID namespace owned by the warm parent's user namespace.

    Only then may the warm parent return to its own PID namespace after creating one for a child (setns
    needs CAP_SYS_ADMIN over the namespace it returns to). It also means that when the warm parent dies,
    the kernel kills every child it forked. The process that forks stays behind only to wait, so that
    the pool's handle on it (and on its exit) keeps its meaning.
    """
    lifeline_r, lifeline_w = os.pipe()
    linux.unshare(linux.CLONE_NEWPID)
    pid = os.fork()
    if pid:
        control.close()
        os.close(lifeline_r)
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    os.close(lifeline_w)
    linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
    if select.select([lifeline_r], [], [], 0)[0]:
        os._exit(1)  # the waiting parent is already gone: nobody would notice this process
    os.close(lifeline_r)


def main(config_text: str) -> int:
    """Run the warm parent; the return value is the process's exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    config = WarmConfig.from_json(config_text)
    control = socket.socket(fileno=config.control_fd)
    parent = WarmParent(config, control)
    try:
        if config.user_namespace:
            _enter_user_namespace(control)
            _become_init_of_pid_namespace(control)
        details = parent.start()
    except Exception as exc:
        log.exception("the warm parent could not start")
        protocol.send_message(control, {"type": "fatal", "error": str(exc)})
        return 2
    protocol.send_message(control, {"type": "hello", "pid": probe.host_pid(), **details})
    parent.serve()
    return 0
