"""Run by test_isolation as root: become an ordinary user, fork, isolate the non-root way, report as JSON.

The production container runs the sandbox as an unprivileged user, which takes the other branch of
``isolation.isolate`` (user, network and mount namespaces at once, mapping its own uid). This script lets a
root test run exercise that branch without forking the test process itself.
"""

from __future__ import annotations

import ctypes
import json
import os
import socket
import sys

from sandbox import fsview, isolation
from sandbox.result import RunLimits

UID = 10001


def effective_capabilities() -> int:
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.syscall(125, header, data) == 0  # capget on x86_64
    return data[0] | data[3] << 32


def attempt(action) -> str:
    try:
        return f"allowed {action()!r}"
    except Exception as exc:
        return f"refused {type(exc).__name__}"


def main() -> None:
    prepared = isolation.prepare(isolation.IsolationConfig(), RunLimits())
    assert prepared.view is not None
    # Only what an ordinary user can reach on a machine whose interpreter lives under /root.
    exposed = tuple(item for item in prepared.view.exposed if not item.path.startswith("/root"))
    prepared.view = fsview.ViewPlan(exposed=exposed, symlinks=prepared.view.symlinks)
    os.setgroups([])
    os.setresgid(UID, UID, UID)
    os.setresuid(UID, UID, UID)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        report: dict[str, object] = {}
        try:
            isolation.isolate(prepared, [write_fd], os.getppid())
            report["capabilities"] = effective_capabilities()
            report["root"] = sorted(os.listdir("/"))
            report["cwd"] = [os.getcwd(), os.listdir(".")]
            report["socket"] = attempt(socket.socket)
            report["fork"] = attempt(os.fork)
            report["write"] = attempt(lambda: open("x", "w").write("y"))  # noqa: SIM115
            report["signal_parent"] = attempt(lambda: os.kill(os.getppid(), 0))
        except BaseException as exc:
            report["error"] = repr(exc)
        os.write(write_fd, json.dumps(report).encode())
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        sys.stdout.write(pipe.read().decode())
    os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
