"""Check, once at pool start, that isolation really works on this kernel.

One isolated child tries what learner code must never manage (start a program, fork, open a socket, write
a file, signal its parent) and what it must still manage (start a thread); the warm parent refuses to serve
if any escape succeeds or isolation itself fails.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable

from sandbox import isolation


def _attempts(parent_pid: int) -> dict[str, Callable[[], object]]:
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

    def write_file() -> object:
        with open("probe.txt", "w", encoding="utf-8") as out:
            return out.write("x")

    return {
        "fork": fork,
        "socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close(),
        "write_file": write_file,
        "signal_parent": lambda: os.kill(parent_pid, 0),
        "thread": start_thread,
        "execve": lambda: os.execv("/bin/true", ["true"]),  # last: if allowed, nothing runs after it
    }


def _report(write_fd: int, name: str, value: object) -> None:
    os.write(write_fd, json.dumps({name: value}).encode() + b"\n")


def _child(prepared: isolation.Prepared, write_fd: int, parent_pid: int) -> None:
    try:
        report = isolation.isolate(prepared, [write_fd], parent_pid)
    except BaseException as exc:
        _report(write_fd, "isolation_error", repr(exc))
        return
    measures = {"uid": report.uid, "namespaces": report.namespaces, "seccomp": report.seccomp}
    _report(write_fd, "report", measures)
    for name, attempt in _attempts(parent_pid).items():
        # Said first: a successful execve replaces this process and can no longer report anything.
        _report(write_fd, name, "allowed")
        try:
            attempt()
        except OSError as exc:
            _report(write_fd, name, f"refused: {exc.strerror}")
        except RuntimeError as exc:  # threading reports a refused clone this way
            _report(write_fd, name, f"refused: {exc}")


def probe(prepared: isolation.Prepared) -> dict[str, object]:
    """Fork one isolated child, try the escapes; raise ``IsolationError`` unless all are refused."""
    read_fd, write_fd = os.pipe()
    parent_pid = os.getpid()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            _child(prepared, write_fd, parent_pid)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks = []
    with os.fdopen(read_fd, "rb") as pipe:
        chunks.append(pipe.read())
    os.waitpid(pid, 0)
    outcome: dict[str, object] = {}
    for line in b"".join(chunks).splitlines():
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
