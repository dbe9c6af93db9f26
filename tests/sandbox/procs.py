"""Look at processes through /proc: what a pool left running, and what its warm parent can see."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from sandbox.isolation import DEFAULT_UID_BASE

CHILD_UIDS = range(DEFAULT_UID_BASE, DEFAULT_UID_BASE + 65536)


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    uid: int
    cmdline: str


def processes() -> list[Proc]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
            with open(f"/proc/{entry}/cmdline", "rb") as cmd:
                cmdline = cmd.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        found.append(Proc(int(entry), int(fields["PPid"]), int(fields["Uid"].split()[0]), cmdline))
    return found


def children_of(pid: int) -> list[Proc]:
    return [proc for proc in processes() if proc.ppid == pid]


def warm_parents() -> set[int]:
    """Return the pids of every serving warm parent (each is the child of the process that waits for it)."""
    procs = processes()
    # Children are forked, not executed, so they share the warm parent's command line.
    forked = {proc.pid for proc in procs if "sandbox.warm" in proc.cmdline}
    by_pid = {proc.pid: proc for proc in procs}
    return {pid for pid in forked if by_pid[pid].ppid in forked and by_pid[pid].uid not in CHILD_UIDS}


def strays() -> list[Proc]:
    """Processes with a child's uid that are not a warm parent's direct children: escapes or leftovers."""
    warm = warm_parents()
    return [proc for proc in processes() if proc.uid in CHILD_UIDS and proc.ppid not in warm]


def settle(warm_pid: int, waiting: int, timeout: float = 5.0) -> list[Proc]:
    """Wait until the warm parent has exactly ``waiting`` children (the ready ones); return them."""
    deadline = time.monotonic() + timeout
    while True:
        children = children_of(warm_pid)
        if len(children) == waiting or time.monotonic() > deadline:
            return children
        time.sleep(0.05)


def wait_for_no_strays(timeout: float = 3.0) -> list[Proc]:
    """Return the strays still there after ``timeout`` (processes being torn down need a moment)."""
    deadline = time.monotonic() + timeout
    while (found := strays()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found
