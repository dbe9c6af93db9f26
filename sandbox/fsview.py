"""The child's filesystem: a new, read-only root that shows the interpreter, its libraries and nothing else.

The warm parent plans the view once (``plan_view``): which directories the child needs (the Python
installation, the directories of every module it imported, the shared libraries it mapped). A helper it
forks once builds the view in a mount namespace of its own (``build_view_namespace``, ``enter_view``): an
empty tmpfs, read-only bind mounts of the planned paths at their usual places, a few device nodes, then
``pivot_root`` into it and an unmount of the old root. Every child then enters that namespace: read-only
from top to bottom, it is the same for all of them (building it per child cost milliseconds a run).
Intermediate directories are the tmpfs's own (0755), so an interpreter under a root-only home directory
stays importable after the uid drop.

What a child can still read (world-readable files only, all read-only): ``/usr`` (system libraries and
programs, which it cannot execute), the Python installation and virtualenv (``sys.prefix``,
``sys.base_prefix``), the source of every package the warm parent imported (``sandbox/`` itself), the
directories of mapped shared libraries, ``/etc/ld.so.cache``, ``/etc/localtime`` and ``/dev/null``,
``/dev/zero``, ``/dev/random``, ``/dev/urandom``. Simply absent: ``/proc``, ``/sys``, the rest of ``/etc``
(``passwd``, ``shadow``), ``/home``, ``/root``, ``/var``, ``/run``, the host's ``/tmp`` and the
repository's other files (``.env``, databases). The working directory is empty: ``/tmp``, or the first of
``/work``, ``/sandbox-work`` that holds nothing shown when the installation itself lives under ``/tmp`` (a
checkout there, whose leading directories would show in it).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from sandbox import linux

_WORKDIR_CHOICES = ("/tmp", "/work", "/sandbox-work")
"""The child's working directory: the first that holds nothing the view shows, so it is empty."""
_STAGING_CHOICES = ("/tmp", "/mnt", "/media", "/srv", "/opt")
"""Where the view is assembled: any existing directory that holds nothing the view needs (it gets covered)."""
_OLD_ROOT = ".old-root"
_DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")
_FILES = ("/etc/ld.so.cache", "/etc/localtime")
_BASE_DIRS = ("/usr",)
_SYMLINK_DIRS = ("/bin", "/lib", "/lib64", "/lib32", "/libx32", "/sbin")


@dataclass(frozen=True, slots=True)
class Exposed:
    """A path shown read-only inside the child."""

    path: str
    is_dir: bool


@dataclass(frozen=True, slots=True)
class ViewPlan:
    """Everything the child needs to build its filesystem view without looking anything up."""

    exposed: tuple[Exposed, ...]
    symlinks: tuple[tuple[str, str], ...]
    staging: str = "/tmp"
    workdir: str = "/tmp"


def _needed_paths() -> set[str]:
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *_BASE_DIRS}
    for name, module in list(sys.modules.items()):
        if module is None or name == "__main__":
            continue
        origin = getattr(module, "__file__", None)
        if not origin:
            continue
        top = name.partition(".")[0]
        top_module = sys.modules.get(top)
        top_file = getattr(top_module, "__file__", None) or origin
        if os.path.basename(top_file) == "__init__.py":
            paths.add(os.path.dirname(top_file))
        else:
            paths.add(top_file)
    paths.update(_mapped_files())
    return {os.path.realpath(p) for p in paths if os.path.exists(p)}


def _mapped_files() -> set[str]:
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return set()
    found = set()
    for line in lines:
        parts = line.split(maxsplit=5)
        if len(parts) == 6 and parts[5].startswith("/") and not parts[5].endswith(" (deleted)"):
            found.add(os.path.dirname(parts[5]))
    return found


def _outermost(paths: set[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path == k or path.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(path)
    return kept


def plan_view() -> ViewPlan:
    """Decide what the child will see (call in the warm parent, after every allowed module is imported)."""
    paths = _needed_paths() | {p for p in (*_DEVICES, *_FILES) if os.path.exists(p)}
    outermost = [path for path in _outermost(paths) if path not in ("/", "/tmp")]  # never the whole host
    staging = _first_free(_STAGING_CHOICES, outermost, must_exist=True)
    workdir = _first_free(_WORKDIR_CHOICES, outermost, must_exist=False)
    if staging is None or workdir is None:
        raise RuntimeError(
            f"no directory to build the sandbox's view in: each of {_STAGING_CHOICES} or "
            f"{_WORKDIR_CHOICES} holds Python"
        )
    exposed = tuple(Exposed(path=path, is_dir=os.path.isdir(path)) for path in outermost)
    symlinks = tuple((link, os.readlink(link)) for link in _SYMLINK_DIRS if os.path.islink(link))
    return ViewPlan(exposed=exposed, symlinks=symlinks, staging=staging, workdir=workdir)


def _first_free(choices: tuple[str, ...], outermost: list[str], *, must_exist: bool) -> str | None:
    for choice in choices:
        if must_exist and not os.path.isdir(choice):
            continue
        if not any(_within(path, choice) for path in outermost):
            return choice
    return None


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory + "/")


def _make_mount_point(root: str, item: Exposed) -> str:
    target = root + item.path
    if item.is_dir:
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
    return target


_STATVFS_TO_MS = (
    (os.ST_NOSUID, linux.MS_NOSUID),
    (os.ST_NODEV, linux.MS_NODEV),
    (os.ST_NOEXEC, linux.MS_NOEXEC),
    (os.ST_NOATIME, linux.MS_NOATIME),
    (os.ST_NODIRATIME, linux.MS_NODIRATIME),
    (os.ST_RELATIME, linux.MS_RELATIME),
)


def _make_read_only(target: str) -> None:
    # A bind mount's flags change only by remounting it, and inside a user namespace the remount must
    # repeat the flags the host locked (nodev, atime, ...), so read them back first.
    current = os.statvfs(target).f_flag
    flags = linux.MS_REMOUNT | linux.MS_BIND | linux.MS_RDONLY | linux.MS_NOSUID
    for st_flag, ms_flag in _STATVFS_TO_MS:
        if current & st_flag:
            flags |= ms_flag
    linux.mount(None, target, None, flags)


def build_view_namespace(plan: ViewPlan) -> int:
    """Build the view once in a mount namespace of its own; return a descriptor that keeps it alive.

    A short-lived helper process enters a new mount namespace and builds the view there; the caller opens
    that namespace (children ``setns`` into it) and the helper exits. Needs CAP_SYS_ADMIN.
    """
    ready_r, ready_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(ready_r)
            os.close(done_w)
            # /proc is the host's: it knows this process by its host pid, not by the caller's numbering.
            host_pid = os.readlink("/proc/self")
            linux.unshare(linux.CLONE_NEWNS)
            enter_view(plan)
            os.write(ready_w, host_pid.encode())
            os.read(done_r, 1)
            status = 0
        finally:
            os._exit(status)
    os.close(ready_w)
    os.close(done_r)
    try:
        host_pid = os.read(ready_r, 32).decode()
        if not host_pid.isdigit():
            raise OSError("the filesystem view could not be built")
        return os.open(f"/proc/{host_pid}/ns/mnt", os.O_RDONLY | os.O_CLOEXEC)
    finally:
        os.close(ready_r)
        os.close(done_w)
        os.waitpid(pid, 0)


def enter_view(plan: ViewPlan) -> None:
    """Build the read-only root from ``plan`` and pivot into it (call in the child, in its own namespaces)."""
    root = plan.staging
    linux.mount(None, "/", None, linux.MS_REC | linux.MS_PRIVATE)
    linux.mount("tmpfs", root, "tmpfs", linux.MS_NOSUID | linux.MS_NODEV, "size=1m,nr_inodes=4096,mode=0755")
    bound: list[str] = []
    for item in plan.exposed:
        target = _make_mount_point(root, item)
        linux.mount(item.path, target, None, linux.MS_BIND | linux.MS_REC)
        bound.append(target)
    for link, destination in plan.symlinks:
        if not os.path.lexists(root + link):
            os.symlink(destination, root + link)
    os.makedirs(root + plan.workdir, mode=0o755, exist_ok=True)
    os.makedirs(root + "/" + _OLD_ROOT, mode=0o700)
    for target in bound:
        _make_read_only(target)
    linux.pivot_root(root, root + "/" + _OLD_ROOT)
    os.chdir("/")
    linux.umount2("/" + _OLD_ROOT, linux.MNT_DETACH)
    os.rmdir("/" + _OLD_ROOT)
    linux.mount(None, "/", None, linux.MS_REMOUNT | linux.MS_RDONLY | linux.MS_NOSUID | linux.MS_NODEV)
    os.chdir(plan.workdir)
