"""What a freshly forked child does to itself before any learner code runs.

``prepare`` runs once in the warm parent (compile the syscall filter, plan the filesystem view);
``isolate`` runs in every child, in this order:

1. a new session and process group, so one signal reaches everything the child is;
2. an empty environment;
3. every file descriptor closed but the ones it was told to keep;
4. a private mount namespace with a read-only root that holds only the interpreter and its libraries and
   an empty working directory (see ``fsview``). As root this happens first, while the interpreter's
   directories are still readable, and the namespace stays owned by host root, out of the child's reach;
5. as root: no supplementary groups, then the unprivileged gid/uid, *before* the user namespace
   (``RLIMIT_NPROC`` means nothing to root, and a user namespace entered as root keeps host root's file
   access);
6. new user and network namespaces: no network interface but a down loopback (not root: user, network
   and mount namespaces together, mapping the caller's own uid, then step 4);
7. no capabilities left in the new user namespace;
8. resource limits: address space (inherited size + budget, never absolute), CPU seconds, file size 0,
   few descriptors, no new processes beyond a few threads, no core dumps;
9. not dumpable (siblings running as the same uid cannot read its memory), killed if the warm parent
   dies;
10. ``no_new_privs`` and the syscall filter, the last step since it also forbids some of the above.

Any failure raises ``IsolationError``; the caller must then exit without running anything. Where the kernel
refuses a measure, the pool does not start (fail closed). Only with ``insecure_dev`` does the warm parent
fall back to fewer measures (``fallbacks``: no filesystem view, then no namespaces), warning on every start.
"""

from __future__ import annotations

import math
import os
import resource
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sandbox import fsview, linux, seccomp_filter
from sandbox.result import RunLimits

NOBODY = 65534


class IsolationError(RuntimeError):
    """A child could not isolate itself (it must not run anything), or isolation is unavailable."""


@dataclass(frozen=True, slots=True)
class IsolationConfig:
    """Knobs of the process isolation; the defaults are the production settings."""

    uid: int = NOBODY
    gid: int = NOBODY
    max_open_files: int = 32
    max_threads: int = 8
    namespaces: bool = True
    filesystem: bool = True
    insecure_dev: bool = False


@dataclass(slots=True)
class Prepared:
    """What the warm parent computes once for all its children."""

    config: IsolationConfig
    bpf: bytes | None
    view: fsview.ViewPlan | None
    max_limits: RunLimits
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Report:
    """Which measures a child actually put in force."""

    uid: int
    namespaces: bool
    filesystem: bool
    seccomp: bool
    statm_fd: int


def prepare(config: IsolationConfig, max_limits: RunLimits) -> Prepared:
    """Compile the filter and plan the filesystem view; raise ``IsolationError`` if the filter fails."""
    warnings: list[str] = []
    try:
        bpf: bytes | None = seccomp_filter.compile_filter()
    except seccomp_filter.FilterError as exc:
        if not config.insecure_dev:
            raise IsolationError(f"the syscall filter cannot be installed: {exc}") from exc
        warnings.append(f"INSECURE: running without the syscall filter ({exc})")
        bpf = None
    view = fsview.plan_view() if config.namespaces and config.filesystem else None
    return Prepared(config=config, bpf=bpf, view=view, max_limits=max_limits, warnings=warnings)


def fallbacks(config: IsolationConfig) -> list[IsolationConfig]:
    """Return ``config`` and, in insecure development mode only, weaker configurations to try in order."""
    ladder = [config]
    if not config.insecure_dev:
        return ladder
    if config.namespaces and config.filesystem:
        ladder.append(replace(config, filesystem=False))
    if config.namespaces:
        ladder.append(replace(config, namespaces=False, filesystem=False))
    return ladder


def _close_fds_except(keep: Iterable[int]) -> None:
    keep_sorted = sorted({fd for fd in keep if fd >= 0})
    low = 0
    for fd in keep_sorted:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 1 << 20)


def _drop_user(config: IsolationConfig) -> None:
    if os.geteuid() != 0:
        return
    os.setgroups([])
    os.setresgid(config.gid, config.gid, config.gid)
    os.setresuid(config.uid, config.uid, config.uid)
    if 0 in os.getresuid() or 0 in os.getresgid():
        raise IsolationError("still root after dropping privileges")


def _map_ids(uid: int, gid: int) -> None:
    for name, text in (("setgroups", "deny"), ("uid_map", f"0 {uid} 1"), ("gid_map", f"0 {gid} 1")):
        fd = os.open(f"/proc/self/{name}", os.O_WRONLY)
        try:
            os.write(fd, text.encode())
        finally:
            os.close(fd)


def _enter_namespaces(prepared: Prepared) -> None:
    view = prepared.view
    if os.geteuid() == 0:
        # Build the view as host root: after the uid drop the interpreter may sit under an unreadable
        # home directory. The mount namespace then belongs to host root, out of the child's reach.
        if view is not None:
            linux.unshare(linux.CLONE_NEWNS)
            fsview.enter_view(view)
        _drop_user(prepared.config)
        linux.unshare(linux.CLONE_NEWUSER | linux.CLONE_NEWNET)
        return
    uid, gid = os.geteuid(), os.getegid()
    linux.unshare(linux.CLONE_NEWUSER | linux.CLONE_NEWNET | linux.CLONE_NEWNS)
    # A non-dumpable process (one that changed uid) has root-owned /proc/self/*_map files: unwritable.
    linux.prctl(linux.PR_SET_DUMPABLE, 1)
    _map_ids(uid, gid)  # mounting needs a mapped uid (ns root = our own uid)
    if view is not None:
        fsview.enter_view(view)


def _set_limit(kind: int, value: int) -> None:
    resource.setrlimit(kind, (value, value))


def virtual_size(statm_fd: int) -> int:
    """Return this process's virtual memory size in bytes, read from an open /proc/self/statm."""
    pages = int(os.pread(statm_fd, 128, 0).split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def cpu_seconds_used() -> float:
    """Return the CPU time this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def apply_run_limits(limits: RunLimits, statm_fd: int) -> None:
    """Lower the address-space and CPU limits to this run's budget (allowed after the filter is in)."""
    resource.setrlimit(resource.RLIMIT_AS, (virtual_size(statm_fd) + limits.memory_mib * 2**20,) * 2)
    cpu = math.ceil(cpu_seconds_used()) + max(1, int(limits.cpu_s))
    # Soft limit sends SIGXCPU (reported as a timeout); the hard limit one second later kills outright.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _set_limits(prepared: Prepared, statm_fd: int) -> None:
    config = prepared.config
    apply_run_limits(prepared.max_limits, statm_fd)
    _set_limit(resource.RLIMIT_FSIZE, 0)
    _set_limit(resource.RLIMIT_NOFILE, config.max_open_files)
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_MEMLOCK, 0)
    _set_limit(resource.RLIMIT_MSGQUEUE, 0)
    # Counted per user (per user namespace here): this process plus at most max_threads threads.
    _set_limit(resource.RLIMIT_NPROC, 1 + config.max_threads)


def isolate(prepared: Prepared, keep_fds: Iterable[int], parent_pid: int) -> Report:
    """Apply every isolation measure to the calling (single-threaded, freshly forked) process."""
    config = prepared.config
    keep = list(keep_fds)
    try:
        os.setsid()
        os.environ.clear()
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        # Writing to a file past RLIMIT_FSIZE must fail with EFBIG, not kill the run.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        statm_fd = os.open("/proc/self/statm", os.O_RDONLY)
        _close_fds_except([*keep, statm_fd])
        if config.namespaces:
            _enter_namespaces(prepared)
            linux.drop_capabilities()
        else:
            _drop_user(config)
        if prepared.view is None:
            os.chdir("/")  # not the warm parent's directory: nothing to create files in as nobody
        _set_limits(prepared, statm_fd)
        linux.prctl(linux.PR_SET_DUMPABLE, 0)
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:
            raise IsolationError("the warm parent exited during isolation")
        if prepared.bpf is not None:
            seccomp_filter.install(seccomp_filter.for_pid(prepared.bpf, os.getpid()))
    except IsolationError:
        raise
    except Exception as exc:
        raise IsolationError(f"isolation failed: {exc!r}") from exc
    return Report(
        uid=os.getuid(),
        namespaces=config.namespaces,
        filesystem=prepared.view is not None,
        seccomp=prepared.bpf is not None,
        statm_fd=statm_fd,
    )
