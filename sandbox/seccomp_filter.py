"""The syscall filter: an allow-list, compiled once in the warm parent, patched and loaded in each child.

Default-deny: a syscall that is not listed kills the process (SIGSYS), which the pool reports as a crash.
Three lists decide everything else, by libseccomp's architecture-independent names (a name the running
architecture lacks, such as ``open`` on aarch64, is skipped: it cannot be called there either):

- ``ALLOWED``: what Python, glibc, torch, numpy and matplotlib need to compute, print and start threads.
- ``ALLOWED_FOR_SELF`` and the argument rules in ``_conditional_rules``: calls that are harmless aimed at
  the caller and an attack aimed at anyone else (signals, priorities, affinity, resource limits), and
  calls with dangerous commands (``fcntl`` owner and signal commands, ``prctl``, ``clone`` without
  ``CLONE_THREAD``, ``personality``). Where a rule must name "myself" it compares against
  ``SELF_PID_MARK``; the child replaces that constant with its own pid before loading (``for_pid``), so the
  costly compile happens only once.
- ``REFUSED``: calls that tutorial code or libraries may reasonably try (a socket, a subprocess, writing a
  file): they fail with ``EPERM`` so the learner sees a ``PermissionError`` rather than a dead process.

Only x86_64 and aarch64 are supported; ``check_architecture`` refuses anything else with a clear message.
"""

from __future__ import annotations

import errno
import platform
import struct
import tempfile

from sandbox import linux
from sandbox.surface.names import name_tuple

SELF_PID_MARK = 0x2BADC0DE  # above pid_max (2**22), so it can never be a real pid
SUPPORTED_MACHINES = ("x86_64", "aarch64")
_BPF_JMP_JEQ_K = 0x15
_INSTRUCTION = struct.Struct("=HBBI")
_K = struct.Struct("=I")  # the constant operand, the last field of an instruction
_K_OFFSET = _INSTRUCTION.size - _K.size

ALLOWED = name_tuple(
    """
    read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 lseek close close_range
    dup dup2 dup3 pipe pipe2 fstat stat lstat newfstatat statx fstatfs statfs access faccessat faccessat2
    readlink readlinkat getcwd chdir fchdir getdents getdents64 open openat fadvise64 readahead
    mmap munmap mremap mprotect madvise brk mincore msync
    rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigsuspend rt_sigtimedwait sigaltstack
    restart_syscall pause alarm getitimer setitimer
    timer_create timer_settime timer_gettime timer_getoverrun timer_delete
    clock_gettime clock_getres clock_nanosleep nanosleep gettimeofday time times
    futex futex_waitv futex_wait futex_wake futex_requeue set_robust_list get_robust_list set_tid_address
    rseq membarrier sched_yield sched_getaffinity sched_getparam sched_getscheduler sched_getattr
    sched_get_priority_max sched_get_priority_min sched_rr_get_interval getcpu arch_prctl
    exit exit_group getpid getppid gettid getuid geteuid getgid getegid getgroups getresuid getresgid
    getpgid getpgrp getsid getrusage getrlimit getpriority ioprio_get sysinfo uname umask capget
    getrandom poll ppoll select pselect6 epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait
    epoll_pwait2 eventfd eventfd2 get_mempolicy
    """
)

ALLOWED_FOR_SELF = name_tuple(
    """
    sched_setaffinity sched_setparam sched_setscheduler sched_setattr prlimit64 setrlimit
    """
)
"""Calls whose first argument is a pid: allowed only for 0, which means the caller (glibc passes 0)."""

REFUSED = name_tuple(
    """
    execve execveat fork vfork
    socket socketpair connect bind listen accept accept4 sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg
    shutdown getsockopt setsockopt getsockname getpeername
    ptrace process_vm_readv process_vm_writev kcmp process_madvise process_mrelease pidfd_open
    pidfd_getfd pidfd_send_signal tkill rt_sigqueueinfo rt_tgsigqueueinfo ioprio_set
    shmget shmat shmdt shmctl msgget msgsnd msgrcv msgctl semget semop semtimedop semctl
    mq_open mq_unlink mq_timedsend mq_timedreceive mq_notify mq_getsetattr
    mount umount2 pivot_root chroot unshare setns fsopen fsmount fsconfig fspick move_mount open_tree
    mount_setattr open_by_handle_at name_to_handle_at
    mkdir mkdirat rmdir unlink unlinkat rename renameat renameat2 link linkat symlink symlinkat creat
    chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat truncate ftruncate fallocate utime utimes
    utimensat futimesat mknod mknodat setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr
    setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid setgroups capset setpgid setsid
    keyctl add_key request_key bpf perf_event_open userfaultfd memfd_create memfd_secret mseal
    io_uring_setup io_uring_enter io_uring_register io_setup io_submit
    mbind set_mempolicy migrate_pages move_pages mlock mlock2 mlockall
    wait4 waitid splice tee vmsplice sendfile copy_file_range
    inotify_init inotify_init1 fanotify_init signalfd signalfd4 timerfd_create
    landlock_create_ruleset landlock_add_rule landlock_restrict_self seccomp
    """
)

# Numbers below are the same on x86_64 and aarch64 (asm-generic).
_F_SETFL = 4
_O_ASYNC = 0o20000
# fcntl: F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_GETLK, F_DUPFD_CLOEXEC, F_GETPIPE_SZ.
_SAFE_FCNTL = (0, 1, 2, 3, 5, 1030, 1032)
# fcntl: F_SETLK(W), F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX, OFD locks,
# F_SETLEASE, F_GETLEASE, F_NOTIFY, F_SETPIPE_SZ, seals. An owner or signal would let SIGIO reach
# another process.
_REFUSED_FCNTL = (6, 7, 8, 9, 10, 11, 15, 16, 36, 37, 38, 1024, 1025, 1026, 1031, 1033, 1034)
# ioctl: TCGETS, TIOCGWINSZ, FIONREAD, FIONBIO, FIONCLEX, FIOCLEX (is it a terminal, is data waiting).
_SAFE_IOCTL = (0x5401, 0x5413, 0x541B, 0x5421, 0x5450, 0x5451)
# prctl: PR_GET_DUMPABLE, PR_SET_NAME, PR_GET_NAME, PR_GET_SECCOMP, PR_CAPBSET_READ, PR_GET_NO_NEW_PRIVS,
# PR_SET_VMA (glibc names its malloc arenas with it).
_SAFE_PRCTL = (3, 15, 16, 21, 23, 39, 0x53564D41)
# prctl: undoing isolation (PDEATHSIG, DUMPABLE, SECCOMP, NO_NEW_PRIVS), PR_SET_PTRACER, PR_SET_MM,
# PR_SET_CHILD_SUBREAPER.
_REFUSED_PRCTL = (1, 4, 22, 38, 0x59616D61, 35, 36)
_PRIO_PROCESS = 0
_PERSONALITY_QUERY = 0xFFFFFFFF


class FilterError(RuntimeError):
    """The syscall filter could not be compiled or installed."""


def check_architecture(machine: str | None = None) -> None:
    """Raise ``FilterError`` unless this is an architecture whose syscalls the filter was reviewed for."""
    machine = machine or platform.machine()
    if machine not in SUPPORTED_MACHINES:
        supported = " and ".join(SUPPORTED_MACHINES)
        raise FilterError(f"the sandbox supports Linux on {supported} only; this machine is {machine}")


def compile_filter() -> bytes:
    """Compile the filter to classic BPF (the slow part, done once in the warm parent)."""
    check_architecture()
    try:
        import pyseccomp as sc  # imported here: a missing libseccomp must become FilterError
    except (ImportError, OSError) as exc:  # OSError: libseccomp itself is missing
        raise FilterError(f"pyseccomp/libseccomp unavailable: {exc}") from exc
    try:
        flt = sc.SyscallFilter(sc.KILL_PROCESS)
        refuse = sc.ERRNO(errno.EPERM)
        for name in ALLOWED:
            _add(flt, sc.ALLOW, name)
        for name in REFUSED:
            _add(flt, refuse, name)
        _conditional_rules(sc, flt, refuse)
        with tempfile.TemporaryFile() as out:
            flt.export_bpf(out)
            out.seek(0)
            program = out.read()
    except OSError as exc:
        raise FilterError(f"could not compile the syscall filter: {exc}") from exc
    if not program or len(program) % _INSTRUCTION.size or _count_marks(program) == 0:
        raise FilterError("libseccomp produced an unexpected BPF program")
    return program


def _add(flt: object, action: object, name: str, *args: object) -> None:
    import pyseccomp as sc

    if sc.resolve_syscall(sc.system_arch(), name) == -1:
        return  # newer than this libseccomp: unlisted, so the default (kill) applies
    flt.add_rule(action, name, *args)  # type: ignore[attr-defined]


def _conditional_rules(sc: object, flt: object, refuse: object) -> None:
    allow = sc.ALLOW  # type: ignore[attr-defined]
    arg, eq, ne, masked = sc.Arg, sc.EQ, sc.NE, sc.MASKED_EQ  # type: ignore[attr-defined]
    # Threads only: a clone without CLONE_THREAD would be a new process. clone3 hides its flags in
    # memory the filter cannot read; ENOSYS makes glibc fall back to clone.
    _add(flt, sc.ERRNO(errno.ENOSYS), "clone3")  # type: ignore[attr-defined]
    _add(flt, allow, "clone", arg(0, masked, linux.CLONE_THREAD, linux.CLONE_THREAD))
    _add(flt, refuse, "clone", arg(0, masked, linux.CLONE_THREAD, 0))
    # Signals: to itself only (its own pid; in its PID namespace it is process 1).
    for name in ("kill", "tgkill"):
        _add(flt, allow, name, arg(0, eq, SELF_PID_MARK))
        _add(flt, refuse, name, arg(0, ne, SELF_PID_MARK))
    # Priorities: its own only (PRIO_PROCESS, who = 0); never PRIO_PGRP or PRIO_USER.
    _add(flt, allow, "setpriority", arg(0, eq, _PRIO_PROCESS), arg(1, eq, 0))
    _add(flt, refuse, "setpriority", arg(0, ne, _PRIO_PROCESS))
    _add(flt, refuse, "setpriority", arg(1, ne, 0))
    for name in ALLOWED_FOR_SELF:
        _add(flt, allow, name, arg(0, eq, 0))
        _add(flt, refuse, name, arg(0, ne, 0))
    # fcntl: descriptor flags and duplication; never an owner, a signal, a lease or O_ASYNC (SIGIO).
    for command in _SAFE_FCNTL:
        _add(flt, allow, "fcntl", arg(1, eq, command))
    _add(flt, allow, "fcntl", arg(1, eq, _F_SETFL), arg(2, masked, _O_ASYNC, 0))
    _add(flt, refuse, "fcntl", arg(1, eq, _F_SETFL), arg(2, masked, _O_ASYNC, _O_ASYNC))
    for command in _REFUSED_FCNTL:
        _add(flt, refuse, "fcntl", arg(1, eq, command))
    for request in _SAFE_IOCTL:
        _add(flt, allow, "ioctl", arg(1, eq, request))
    for option in _SAFE_PRCTL:
        _add(flt, allow, "prctl", arg(0, eq, option))
    for option in _REFUSED_PRCTL:
        _add(flt, refuse, "prctl", arg(0, eq, option))
    _add(flt, allow, "personality", arg(0, eq, _PERSONALITY_QUERY))
    _add(flt, refuse, "personality", arg(0, ne, _PERSONALITY_QUERY))


def _count_marks(program: bytes) -> int:
    return sum(
        1
        for code, _jt, _jf, k in _INSTRUCTION.iter_unpack(program)
        if code == _BPF_JMP_JEQ_K and k == SELF_PID_MARK
    )


def for_pid(program: bytes, pid: int) -> bytes:
    """Return ``program`` with every comparison against ``SELF_PID_MARK`` aimed at ``pid`` instead."""
    # Every child runs this: searching for the mark's bytes costs microseconds, where unpacking each of
    # the ~400 instructions in Python cost about 0.3 ms.
    out = bytearray(program)
    mark = _K.pack(SELF_PID_MARK)
    offset = out.find(mark)
    while offset >= 0:
        start = offset - _K_OFFSET
        if start % _INSTRUCTION.size == 0 and _INSTRUCTION.unpack_from(out, start)[0] == _BPF_JMP_JEQ_K:
            _K.pack_into(out, offset, pid)
        offset = out.find(mark, offset + 1)
    return bytes(out)


def install(program: bytes) -> None:
    """Set no_new_privs and load ``program`` (already patched) on the calling thread."""
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    linux.load_seccomp_bpf(program)
