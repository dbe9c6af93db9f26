"""How the warm parent forks: each child in a PID namespace of its own, with a uid no live sibling has.

In its own PID namespace a child is process 1 and sees no other process: whatever signal, priority or
trace it aims at a pid (directly, or through ``fcntl``'s SIGIO owner) can only reach itself. The warm
parent enters a new PID namespace for its next child (``unshare``), forks, and returns to its own
(``setns``); this needs CAP_SYS_ADMIN in the warm parent's user namespace, which root has, and so does the
warm parent of an unprivileged service in the user namespace it gets at start (``sandbox.userns``).
"""

from __future__ import annotations

import os

from sandbox import linux


class UidPool:
    """Hand out uids from a range so that no two live children share one."""

    def __init__(self, base: int, count: int) -> None:
        if count < 2:
            raise ValueError("the children's uid range needs at least two uids")
        self._base = base
        self._count = count
        self._next = 0
        self._taken: set[int] = set()

    def take(self) -> int:
        """Return a uid no live child has; raise ``RuntimeError`` when every uid is in use."""
        for _ in range(self._count):
            uid = self._base + self._next
            self._next = (self._next + 1) % self._count
            if uid not in self._taken:
                self._taken.add(uid)
                return uid
        raise RuntimeError(f"all {self._count} child uids are in use")

    def release(self, uid: int) -> None:
        """Give ``uid`` back once its child has been reaped."""
        self._taken.discard(uid)


class Spawner:
    """Fork children, each into a new PID namespace when ``pid_namespaces`` is set."""

    def __init__(self, *, pid_namespaces: bool) -> None:
        self._own = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC) if pid_namespaces else -1
        # The warm parent keeps the only write end: a child reads end-of-file once the warm parent is gone.
        self.lifeline_r, self._lifeline_w = os.pipe2(os.O_CLOEXEC)

    def fork(self) -> int:
        """Fork; return 0 in the child (process 1 of its namespace) and the child's pid in the parent."""
        if self._own < 0:
            return os.fork()
        linux.unshare(linux.CLONE_NEWPID)
        try:
            pid = os.fork()
        except BaseException:
            linux.setns(self._own, linux.CLONE_NEWPID)
            raise
        if pid:
            linux.setns(self._own, linux.CLONE_NEWPID)
        return pid
