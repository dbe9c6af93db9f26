"""Check, once at pool start, that the boundary really holds on this kernel.

The warm parent forks one sibling that just waits, then one prober, both isolated exactly as a child that
serves runs. The prober tries what learner code must never manage: start a program, fork, open a socket,
write a file anywhere in its view, signal the warm parent or its sibling (directly or through ``fcntl``'s
SIGIO owner), renice other processes, use SysV IPC, hold a capability or see a secret. It must still manage
to start a thread. The warm parent refuses to serve if any escape succeeds or isolation itself fails.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import threading
from collections.abc import Callable

from sandbox import isolation, linux
from sandbox.spawn import Spawner, UidPool

# Paths a child must not find in its view: host accounts, process environments, mounted secrets.
SECRET_PATHS = (
    "/etc/shadow",
    "/etc/passwd",
    "/proc/self/environ",
    "/proc/1/environ",
    "/sys/kernel",
    "/run/secrets",
    "/var/run/secrets",
    "/root/.ssh",
    "/home",
)
_PRIO_USER = 2


def _writable_places() -> list[str]:
    places = ["/", "/tmp", "/dev", "/etc"]
    for entry in os.listdir("/"):
        path = os.path.join("/", entry)
        if os.path.isdir(path) and not os.path.islink(path):
            places.append(path)
    return places


def _attempts(warm_pid: int, sibling_pid: int) -> dict[str, Callable[[], object]]:
    def start_thread() -> object:
        done: list[int] = []
        worker = threading.Thread(target=lambda: done.append(1))
        worker.start()
        worker.join()
        return done

    def fork() -> object:
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        return os.waitpid(pid, 0)

    def write_anywhere() -> object:
        written = []
        for place in _writable_places():
            try:
                with open(os.path.join(place, ".probe"), "w", encoding="utf-8") as out:
                    out.write("x")
                written.append(place)
            except OSError:
                continue
        if written:
            return written
        raise PermissionError(1, "no directory of the view is writable")

    def signal_owner() -> object:
        read_end, write_end = os.pipe()
        return fcntl.fcntl(read_end, fcntl.F_SETOWN, warm_pid), write_end

    def secrets() -> object:
        found = [path for path in SECRET_PATHS if os.path.exists(path)] + list(os.environ)
        if found:
            return found
        raise FileNotFoundError(2, "no secret found")

    def capabilities() -> object:
        held = linux.effective_capabilities()
        if held:
            return hex(held)
        raise PermissionError(1, "no capability held")

    return {
        "fork": fork,
        "socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close(),
        "write_file": write_anywhere,
        "signal_parent": lambda: os.kill(warm_pid, 0),
        "signal_sibling": lambda: os.kill(sibling_pid, signal.SIGSTOP),
        "signal_owner": signal_owner,
        "renice_user": lambda: os.setpriority(_PRIO_USER, 0, 19),
        "sysv_ipc": _shmget,
        "secrets": secrets,
        "capabilities": capabilities,
        "thread": start_thread,
        "execve": lambda: os.execv("/bin/true", ["true"]),  # last: if allowed, nothing runs after it
    }


def _shmget() -> object:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    key_private, size, ipc_create = 0, 4096, 0o1000
    shm_id = libc.shmget(key_private, size, ipc_create | 0o600)
    if shm_id < 0:
        raise PermissionError(ctypes.get_errno(), "shmget refused")
    return shm_id


def host_pid() -> int:
    """Return this process's pid as the host sees it (its own PID namespace may number it 1)."""
    try:
        return int(os.readlink("/proc/self"))
    except (OSError, ValueError):
        return os.getpid()


def _report(write_fd: int, name: str, value: object) -> None:
    os.write(write_fd, json.dumps({name: value}).encode() + b"\n")


def _prober(
    prepared: isolation.Prepared, write_fd: int, lifeline: int, uid: int, *, warm_pid: int, sibling_pid: int
) -> None:
    try:
        report = isolation.isolate(prepared, [write_fd], lifeline, uid)
        isolation.lock_down(prepared, report)
    except BaseException as exc:
        _report(write_fd, "isolation_error", repr(exc))
        return
    measures = {"uid": report.uid, "namespaces": report.namespaces, "seccomp": report.seccomp}
    _report(write_fd, "report", measures)
    for name, attempt in _attempts(warm_pid, sibling_pid).items():
        # Said first: a successful execve replaces this process and can no longer report anything.
        _report(write_fd, name, "allowed")
        try:
            attempt()
        except OSError as exc:
            _report(write_fd, name, f"refused: {exc.strerror}")
        except RuntimeError as exc:  # threading reports a refused clone this way
            _report(write_fd, name, f"refused: {exc}")


def _sibling(prepared: isolation.Prepared, wait_fd: int, lifeline: int, uid: int) -> None:
    report = isolation.isolate(prepared, [wait_fd], lifeline, uid)
    isolation.lock_down(prepared, report)
    os.read(wait_fd, 1)


def _forked(spawner: Spawner, body: Callable[[], None]) -> int:
    pid = spawner.fork()
    if pid == 0:
        try:
            body()
        finally:
            os._exit(0)
    return pid


def probe(prepared: isolation.Prepared, spawner: Spawner, uids: UidPool) -> dict[str, object]:
    """Fork an isolated sibling and prober, try the escapes; raise ``IsolationError`` unless all fail."""
    read_fd, write_fd = os.pipe()
    wait_r, wait_w = os.pipe()
    warm_pid = host_pid()
    sibling_uid, prober_uid = uids.take(), uids.take()
    lifeline = spawner.lifeline_r
    try:
        sibling = _forked(spawner, lambda: _sibling(prepared, wait_r, lifeline, sibling_uid))
        prober = _forked(
            spawner,
            lambda: _prober(prepared, write_fd, lifeline, prober_uid, warm_pid=warm_pid, sibling_pid=sibling),
        )
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            output = pipe.read()
        os.waitpid(prober, 0)
        os.close(wait_w)  # the sibling reads end-of-file and exits, unless the prober stopped it
        os.kill(sibling, signal.SIGKILL)
        os.waitpid(sibling, 0)
        os.close(wait_r)
    finally:
        uids.release(sibling_uid)
        uids.release(prober_uid)
    return _verdict(prepared, output)


def _verdict(prepared: isolation.Prepared, output: bytes) -> dict[str, object]:
    outcome: dict[str, object] = {}
    for line in output.splitlines():
        try:
            outcome.update(json.loads(line))
        except ValueError:
            break
    if not outcome or "isolation_error" in outcome:
        detail = outcome.get("isolation_error", "no answer")
        raise isolation.IsolationError(f"isolation probe failed: {detail}")
    problems = [
        f"{name} was {value}"
        for name, value in outcome.items()
        if name not in ("report", "thread") and value == "allowed"
    ]
    if outcome.get("thread") != "allowed":
        problems.append(f"threads do not work ({outcome.get('thread')})")
    if problems and not prepared.config.insecure_dev:
        raise isolation.IsolationError("isolation probe: " + "; ".join(problems))
    prepared.warnings.extend(f"INSECURE: {problem}" for problem in problems)
    return outcome
