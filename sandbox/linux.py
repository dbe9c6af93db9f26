"""Thin ctypes wrappers for the Linux calls Python 3.11 lacks (namespaces, mounts, capabilities, seccomp).

Every wrapper raises ``OSError`` with the C ``errno`` on failure, like the ``os`` module does.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
CLONE_THREAD = 0x00010000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_NOATIME = 0x400
MS_NODIRATIME = 0x800
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_RELATIME = 1 << 21
MNT_DETACH = 0x2

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

# Syscalls glibc 2.36 has no wrapper for, by architecture (the sandbox runs on these two only).
_SYSCALL_NUMBERS = {
    "x86_64": {"pivot_root": 155, "capset": 126, "capget": 125, "mseal": 462},
    "aarch64": {"pivot_root": 41, "capset": 91, "capget": 90, "mseal": 462},
}
_CAP_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
_libc.mount.argtypes = (ctypes.c_char_p,) * 3 + (ctypes.c_ulong, ctypes.c_char_p)
_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
_libc.unshare.argtypes = [ctypes.c_int]
_libc.setns.argtypes = [ctypes.c_int, ctypes.c_int]
_libc.close_range.argtypes = [ctypes.c_uint, ctypes.c_uint, ctypes.c_int]
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
_libc.syscall.restype = ctypes.c_long
_libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)

MADV_COLLAPSE = 25
_HUGE_PAGE = 2 * 2**20


class _SockFilter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter)))


class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


class _CapData(ctypes.Structure):
    _fields_ = tuple((name, ctypes.c_uint32) for name in ("effective", "permitted", "inheritable"))


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def _path(value: str | None) -> bytes | None:
    return os.fsencode(value) if value is not None else None


def unshare(flags: int) -> None:
    """Move this process into new namespaces."""
    _check(_libc.unshare(flags), "unshare")


def setns(fd: int, nstype: int) -> None:
    """Move this process (or, for a PID namespace, its future children) into the namespace behind ``fd``."""
    _check(_libc.setns(fd, nstype), "setns")


def syscall_number(name: str) -> int:
    """Return the number of a syscall glibc has no wrapper for, on this machine's architecture."""
    machine = os.uname().machine
    try:
        return _SYSCALL_NUMBERS[machine][name]
    except KeyError:
        raise OSError(f"no syscall number for {name} on {machine}") from None


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """Attach a filesystem (or bind a path) at ``target``."""
    _check(_libc.mount(_path(source), _path(target), _path(fstype), flags, _path(data)), f"mount {target}")


def umount2(target: str, flags: int) -> None:
    """Detach the filesystem at ``target``."""
    _check(_libc.umount2(_path(target), flags), f"umount {target}")


def pivot_root(new_root: str, put_old: str) -> None:
    """Make ``new_root`` the root of this mount namespace."""
    result = _libc.syscall(syscall_number("pivot_root"), _path(new_root), _path(put_old))
    _check(result, "pivot_root")


def prctl(option: int, arg2: int = 0, arg3: int = 0, arg4: int = 0, arg5: int = 0) -> int:
    """Change a process attribute (the raw prctl call)."""
    return _check(_libc.prctl(option, arg2, arg3, arg4, arg5), f"prctl({option})")


def drop_capabilities() -> None:
    """Clear the effective, permitted and inheritable capability sets of this thread."""
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.syscall(syscall_number("capset"), ctypes.byref(header), ctypes.byref(data)), "capset")


def effective_capabilities() -> int:
    """Return this thread's effective capability set as one integer (bit n = capability n)."""
    header = _CapHeader(_CAP_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.syscall(syscall_number("capget"), ctypes.byref(header), ctypes.byref(data)), "capget")
    return int(data[0].effective) | int(data[1].effective) << 32


def large_mappings(min_size: int) -> tuple[tuple[int, int], ...]:
    """Return the (start, end) of this process's mappings of ``min_size`` bytes or more.

    The warm parent reads this once; its children inherit the same mappings and seal them without reading
    ``/proc/self/maps`` (which costs a millisecond or more in a torch-sized process).
    """
    with open("/proc/self/maps", "rb") as maps:
        lines = maps.read().splitlines()
    ranges = []
    for line in lines:
        if line.endswith(b"[vsyscall]"):
            continue  # above the user address space: never unmappable, and mseal refuses it
        low, _, high = line.split(b" ", 1)[0].partition(b"-")
        start, end = int(low, 16), int(high, 16)
        if end - start >= min_size:
            ranges.append((start, end))
    return tuple(ranges)


def seal(ranges: tuple[tuple[int, int], ...]) -> int:
    """Seal each (start, end) range (mseal); return how many bytes were sealed.

    A sealed mapping can no longer be unmapped, moved, remapped or have its protection changed, so it counts
    towards the address space for good. A range no longer mapped as a whole is skipped. Raises ``OSError``
    (ENOSYS) on kernels before 6.10.
    """
    number = syscall_number("mseal")
    sealed = 0
    for start, end in ranges:
        if _libc.syscall(number, ctypes.c_ulong(start), ctypes.c_ulong(end - start), ctypes.c_ulong(0)) == 0:
            sealed += end - start
        elif ctypes.get_errno() == errno.ENOSYS:
            raise OSError(errno.ENOSYS, "mseal: this kernel cannot seal mappings (Linux 6.10 or later can)")
    return sealed


def close_from(low: int) -> None:
    """Close every descriptor from ``low`` up (close_range: one call, whatever the descriptor limit)."""
    _check(_libc.close_range(low, ctypes.c_uint(0xFFFFFFFF), 0), "close_range")


def collapse_to_huge_pages() -> int:
    """Back this process's private anonymous memory with huge pages where possible; return bytes collapsed.

    Fork copies, and exit frees, one page-table entry per mapped 4 KiB page of a warm torch process (tens
    of thousands); with 2 MiB pages both shrink several-fold. Best effort: older kernels lack MADV_COLLAPSE.
    """
    collapsed = 0
    with open("/proc/self/maps", encoding="ascii", errors="replace") as maps:
        lines = maps.read().splitlines()
    for line in lines:
        fields = line.split()
        if fields[1] != "rw-p" or (len(fields) > 5 and fields[5] != "[heap]"):
            continue
        low, high = (int(part, 16) for part in fields[0].split("-"))
        start = (low + _HUGE_PAGE - 1) & ~(_HUGE_PAGE - 1)
        end = high & ~(_HUGE_PAGE - 1)
        if end - start >= _HUGE_PAGE and _libc.madvise(start, end - start, MADV_COLLAPSE) == 0:
            collapsed += end - start
    return collapsed


def load_seccomp_bpf(program: bytes) -> None:
    """Install a classic-BPF seccomp program on this thread (no_new_privs must be set first)."""
    count = len(program) // ctypes.sizeof(_SockFilter)
    instructions = (_SockFilter * count).from_buffer_copy(program)
    fprog = _SockFprog(count, ctypes.cast(instructions, ctypes.POINTER(_SockFilter)))
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0), "seccomp")
