"""The syscall filter: compiled once in the warm parent, patched with the child's pid and loaded in the child.

The filter allows by default and refuses (EPERM, or ENOSYS for ``clone3``) what a tutorial never needs and
an escape always does: new processes and programs, sockets, namespaces, mounts, kernel modules, tracing,
and signals or scheduling aimed at any process but the caller. Threads stay possible (``clone`` with
``CLONE_THREAD``). Rules that must name "myself" compare against ``SELF_PID_MARK``; the child replaces that
constant in the exported BPF with its own pid before loading, so the costly compile happens only once.
"""

from __future__ import annotations

import errno
import struct
import tempfile

from sandbox import linux

SELF_PID_MARK = 0x2BADC0DE  # above pid_max (2**22), so it can never be a real pid
_BPF_JMP_JEQ_K = 0x15
_INSTRUCTION = struct.Struct("=HBBI")

DENIED_SYSCALLS: tuple[str, ...] = (
    # new programs and processes
    "execve",
    "execveat",
    "fork",
    "vfork",
    # network
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    # other processes' memory and state
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "process_madvise",
    "process_mrelease",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "tkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "migrate_pages",
    "move_pages",
    # namespaces, mounts and the filesystem tree
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "fsopen",
    "fsmount",
    "fsconfig",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "open_by_handle_at",
    "name_to_handle_at",
    "mknod",
    "mknodat",
    # kernel state
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "syslog",
    "settimeofday",
    "clock_settime",
    "adjtimex",
    "clock_adjtime",
    "iopl",
    "ioperm",
    "vhangup",
    "uselib",
    "sysfs",
    "lookup_dcookie",
    # keys, BPF, perf, async kernel interfaces
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "fanotify_init",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "memfd_create",
    "memfd_secret",
    "seccomp",
)

# prctl options that would undo isolation or expose the process to its siblings.
_DENIED_PRCTL = (
    linux.PR_SET_PDEATHSIG,
    linux.PR_SET_DUMPABLE,
    linux.PR_SET_SECCOMP,
    0x59616D61,  # PR_SET_PTRACER
    35,  # PR_SET_MM
    36,  # PR_SET_CHILD_SUBREAPER
)

# Syscalls whose first argument is a pid: allowed only for 0, which means "myself" (glibc passes 0).
_SELF_ONLY = ("sched_setaffinity", "sched_setscheduler", "sched_setparam", "sched_setattr", "prlimit64")


class FilterError(RuntimeError):
    """The syscall filter could not be compiled or installed."""


def compile_filter() -> bytes:
    """Compile the filter to classic BPF (the slow part, done once in the warm parent)."""
    try:
        import pyseccomp as sc  # imported here: a missing libseccomp must become FilterError
    except (ImportError, OSError) as exc:  # OSError: libseccomp itself is missing
        raise FilterError(f"pyseccomp/libseccomp unavailable: {exc}") from exc
    try:
        flt = sc.SyscallFilter(sc.ALLOW)
        deny = sc.ERRNO(errno.EPERM)
        for name in DENIED_SYSCALLS:
            try:
                flt.add_rule(deny, name)
            except (OSError, ValueError, RuntimeError):
                continue  # a syscall this kernel/libseccomp does not know cannot be called either
        # glibc falls back to clone() when clone3 reports ENOSYS; clone's flags are inspectable, clone3's not.
        flt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
        flt.add_rule(deny, "clone", sc.Arg(0, sc.MASKED_EQ, linux.CLONE_THREAD, 0))
        flt.add_rule(deny, "kill", sc.Arg(0, sc.NE, SELF_PID_MARK))
        flt.add_rule(deny, "tgkill", sc.Arg(0, sc.NE, SELF_PID_MARK))
        flt.add_rule(deny, "setpriority", sc.Arg(1, sc.NE, 0))
        flt.add_rule(deny, "ioprio_set", sc.Arg(1, sc.NE, 0))
        for name in _SELF_ONLY:
            flt.add_rule(deny, name, sc.Arg(0, sc.NE, 0))
        for option in _DENIED_PRCTL:
            flt.add_rule(deny, "prctl", sc.Arg(0, sc.EQ, option))
        flt.add_rule(deny, "personality", sc.Arg(0, sc.NE, 0xFFFFFFFF))
        with tempfile.TemporaryFile() as out:
            flt.export_bpf(out)
            out.seek(0)
            program = out.read()
    except OSError as exc:
        raise FilterError(f"could not compile the syscall filter: {exc}") from exc
    if not program or len(program) % _INSTRUCTION.size or _count_marks(program) == 0:
        raise FilterError("libseccomp produced an unexpected BPF program")
    return program


def _count_marks(program: bytes) -> int:
    return sum(
        1
        for code, _jt, _jf, k in _INSTRUCTION.iter_unpack(program)
        if code == _BPF_JMP_JEQ_K and k == SELF_PID_MARK
    )


def for_pid(program: bytes, pid: int) -> bytes:
    """Return ``program`` with every comparison against ``SELF_PID_MARK`` aimed at ``pid`` instead."""
    out = bytearray(program)
    for offset in range(0, len(out), _INSTRUCTION.size):
        code, jt, jf, k = _INSTRUCTION.unpack_from(out, offset)
        if code == _BPF_JMP_JEQ_K and k == SELF_PID_MARK:
            _INSTRUCTION.pack_into(out, offset, code, jt, jf, pid)
    return bytes(out)


def install(program: bytes) -> None:
    """Set no_new_privs and load ``program`` (already patched) on the calling thread."""
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    linux.load_seccomp_bpf(program)
