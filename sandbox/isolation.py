"""What a freshly forked child does to itself before any learner code runs.

``prepare`` runs once in the warm parent (compile the syscall filter, plan the filesystem view). The warm
parent forks every child into a PID namespace of its own (``sandbox.spawn``), with a uid of its own.
``isolate`` then runs in the child, in this order:

1. a new session and process group, an empty environment, every descriptor closed but the ones it keeps;
2. as the warm parent's root (real root, or root of the warm parent's own user namespace, see
   ``sandbox.userns``): the mount namespace of the filesystem view, a read-only root that holds only the
   interpreter and its libraries and an empty working directory (``fsview``), built once by the warm
   parent; read-only, it is the same for every child, and it stays owned by that root, out of reach;
3. no supplementary groups, then the child's own gid and uid, *before* the new user namespace (a user
   namespace entered as root keeps root's file access, and ``RLIMIT_NPROC`` means nothing to root);
4. new user, network and IPC namespaces: no network interface but a down loopback, SysV objects and
   message queues that die with the child; no capabilities left;
5. resource limits: address space, CPU seconds, file size 0, few descriptors, no processes beyond a few
   threads, no core dumps;
6. not dumpable, killed if the warm parent dies (checked through a lifeline pipe: in its own PID namespace
   the child cannot see its parent's pid).

``lock_down`` follows ``isolate`` before the child reports ready: it seals the child's large mappings, so
unmapping inherited libraries can never make room under the address-space limit (``apply_run_limits`` then
allows exactly the sealed size plus the run's budget), sets ``no_new_privs`` and loads the syscall filter.

Any failure raises ``IsolationError``; the caller must then exit without running anything. Where the kernel
refuses a measure, the pool does not start (fail closed). Only with ``insecure_dev`` does the warm parent
fall back to fewer measures (``fallbacks``: no filesystem view, then no namespaces), warning on every start.
"""

from __future__ import annotations

import errno
import math
import os
import resource
import select
import signal
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sandbox import fsview, linux, seccomp_filter
from sandbox.result import RunLimits

CAP_SYS_ADMIN = 21
DEFAULT_UID_BASE = 1_300_000_000
"""First uid of the children's range: far above any account or subordinate range a host normally uses."""
SEAL_MIN_BYTES = 1 << 20
"""Mappings this large are sealed; smaller ones (about 20 MiB in all) count against the run's budget."""


class IsolationError(RuntimeError):
    """A child could not isolate itself (it must not run anything), or isolation is unavailable."""


@dataclass(frozen=True, slots=True)
class IsolationConfig:
    """Knobs of the process isolation; the defaults are the production settings.

    Each live child runs as its own uid (and gid) taken from ``uid_base`` .. ``uid_base + uid_count - 1``,
    numbers no other process on the host uses.
    """

    uid_base: int = DEFAULT_UID_BASE
    uid_count: int = 65536
    max_open_files: int = 32
    max_threads: int = 8
    namespaces: bool = True
    filesystem: bool = True
    insecure_dev: bool = False


@dataclass(slots=True)
class Prepared:
    """What the warm parent computes once for all its children.

    ``view_fd`` holds the mount namespace with the read-only filesystem view, built once (every child
    enters the same one: it is read-only, so they cannot affect each other through it); ``seal_ranges`` are
    the warm parent's large mappings, which every child inherits and seals.
    """

    config: IsolationConfig
    bpf: bytes | None
    view: fsview.ViewPlan | None
    max_limits: RunLimits
    warnings: list[str] = field(default_factory=list)
    view_fd: int = -1
    seal_ranges: tuple[tuple[int, int], ...] = ()


@dataclass(slots=True)
class Report:
    """Which measures a child actually put in force, and the descriptors its later steps need."""

    uid: int
    namespaces: bool
    filesystem: bool
    seccomp: bool = False
    sealed_bytes: int = 0
    statm_fd: int = -1


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
    prepared = Prepared(config=config, bpf=bpf, view=view, max_limits=max_limits, warnings=warnings)
    if view is not None:
        if not can_administer_namespaces():
            raise IsolationError(_NO_NAMESPACES)
        prepared.view_fd = fsview.build_view_namespace(view)
    return prepared


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


def can_administer_namespaces() -> bool:
    """Tell whether this process may create PID, mount and IPC namespaces (CAP_SYS_ADMIN in its own)."""
    return bool(linux.effective_capabilities() & (1 << CAP_SYS_ADMIN))


def _close_fds_except(keep: Iterable[int]) -> None:
    keep_sorted = sorted({fd for fd in keep if fd >= 0})
    low = 0
    for fd in keep_sorted:
        if fd > low:
            os.closerange(low, fd)
        low = fd + 1
    linux.close_from(low)


def _drop_user(uid: int) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if 0 in os.getresuid() or 0 in os.getresgid():
        raise IsolationError("still root after dropping privileges")


_NO_NAMESPACES = (
    "the warm parent cannot create namespaces (no CAP_SYS_ADMIN in its user namespace); "
    "run the sandbox as root or give it a subordinate uid range (see the README, 'Deploy')"
)


def _enter_namespaces(prepared: Prepared, uid: int) -> None:
    if not can_administer_namespaces():
        raise IsolationError(_NO_NAMESPACES)
    # Enter the view as the namespace's root: after the uid drop this would be refused. The mount namespace
    # belongs to that root, out of the child's reach.
    if prepared.view_fd >= 0 and prepared.view is not None:
        linux.setns(prepared.view_fd, linux.CLONE_NEWNS)
        os.close(prepared.view_fd)
        os.chdir(prepared.view.workdir)
    _drop_user(uid)
    # Unmapped in the new user namespace, the child is "nobody" there and holds nothing outside it.
    linux.unshare(linux.CLONE_NEWUSER | linux.CLONE_NEWNET | linux.CLONE_NEWIPC)


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


def apply_run_limits(limits: RunLimits, report: Report, *, replaying: bool = False) -> None:
    """Lower the address-space and CPU limits to this run's budget (allowed after the filter is in).

    Replaying notebook cells adds the replay budget to the CPU limit.

    With sealed mappings the limit is their size plus the budget: everything else the child maps,
    inherited small mappings included, comes out of the budget, and nothing sealed can be unmapped.
    """
    base = report.sealed_bytes if report.sealed_bytes else virtual_size(report.statm_fd)
    resource.setrlimit(resource.RLIMIT_AS, (base + limits.memory_mib * 2**20,) * 2)
    cpu = math.ceil(cpu_seconds_used() + (limits.replay_s if replaying else 0.0)) + max(1, int(limits.cpu_s))
    # Soft limit sends SIGXCPU (reported as a timeout); the hard limit one second later kills outright.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _set_limits(prepared: Prepared, statm_fd: int) -> None:
    config = prepared.config
    max_budget = prepared.max_limits.memory_mib * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (virtual_size(statm_fd) + max_budget,) * 2)
    cpu = math.ceil(cpu_seconds_used()) + max(1, int(prepared.max_limits.cpu_s))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    _set_limit(resource.RLIMIT_FSIZE, 0)
    _set_limit(resource.RLIMIT_NOFILE, config.max_open_files)
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_MEMLOCK, 0)
    _set_limit(resource.RLIMIT_MSGQUEUE, 0)
    # Counted per uid in a user namespace: this process plus at most max_threads threads.
    _set_limit(resource.RLIMIT_NPROC, 1 + config.max_threads)


def _check_lifeline(lifeline_fd: int) -> None:
    # The warm parent holds the only write end: end-of-file here means it has exited.
    ready = select.select([lifeline_fd], [], [], 0)[0]
    os.close(lifeline_fd)
    if ready:
        raise IsolationError("the warm parent exited during isolation")


def isolate(prepared: Prepared, keep_fds: Iterable[int], lifeline_fd: int, uid: int) -> Report:
    """Apply every isolation measure but the last (``lock_down``) to this freshly forked process."""
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
        _close_fds_except([*keep, statm_fd, lifeline_fd, prepared.view_fd])
        if config.namespaces:
            _enter_namespaces(prepared, uid)
            linux.drop_capabilities()
        elif os.geteuid() == 0:
            _drop_user(uid)
        if prepared.view is None:
            os.chdir("/")  # not the warm parent's directory: nothing to create files in
        _set_limits(prepared, statm_fd)
        linux.prctl(linux.PR_SET_DUMPABLE, 0)
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        _check_lifeline(lifeline_fd)
    except IsolationError:
        raise
    except Exception as exc:
        raise IsolationError(f"isolation failed: {exc!r}") from exc
    return Report(
        uid=uid,
        namespaces=config.namespaces,
        filesystem=prepared.view is not None,
        statm_fd=statm_fd,
    )


def lock_down(prepared: Prepared, report: Report) -> None:
    """Seal the address space and load the syscall filter: the last step before serving a request."""
    try:
        try:
            report.sealed_bytes = linux.seal(prepared.seal_ranges)
        except OSError as exc:
            if exc.errno != errno.ENOSYS or not prepared.config.insecure_dev:
                raise IsolationError(f"the address space cannot be sealed: {exc.strerror}") from exc
        if prepared.bpf is not None:
            seccomp_filter.install(seccomp_filter.for_pid(prepared.bpf, os.getpid()))
            report.seccomp = True
    except IsolationError:
        raise
    except Exception as exc:
        raise IsolationError(f"isolation failed: {exc!r}") from exc
