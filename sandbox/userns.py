"""The warm parent's own user namespace, with a range of uids for its children.

The warm parent never runs as the service's root or user: the first thing it does is enter a new user
namespace and ask the pool to map it. The map makes the warm parent root of that namespace (as the
service's own uid on the host, so it can still read the interpreter it was started from) and gives it a
range of host uids that nothing else uses, one per child::

    uid_map:  0 <service uid> 1
              1 <first child uid> <count>

As root of its namespace the warm parent may create the PID, mount, network and IPC namespaces of its
children and switch each child to a uid of the range; it holds no capability on the host.

Who writes the map depends on the service: as root (with CAP_SETUID and CAP_SETGID) the pool writes
``/proc/<pid>/uid_map`` itself, with the range of ``IsolationConfig`` (default: 65536 uids from
1,300,000,000). An unprivileged service needs the standard helpers ``newuidmap``/``newgidmap`` (Debian's
``uidmap`` package) and a subordinate range for its user in ``/etc/subuid`` and ``/etc/subgid``
(``tutor:100000:65536``); the children then run as those subordinate uids.
"""

from __future__ import annotations

import os
import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

from sandbox import linux


class UserNamespaceError(RuntimeError):
    """The warm parent's user namespace cannot be set up; the message says what the host must provide."""


@dataclass(frozen=True, slots=True)
class IdRange:
    """Host ids ``start`` .. ``start + count - 1``."""

    start: int
    count: int


@dataclass(frozen=True, slots=True)
class MapPlan:
    """How to map the warm parent's namespace: its own ids as 0, the children's ranges from 1 on."""

    uid: int
    gid: int
    uids: IdRange
    gids: IdRange
    helpers: bool  # True: newuidmap/newgidmap write the maps; False: the pool writes them itself

    def lines(self, own: int, ids: IdRange) -> str:
        """Return the text of one map file."""
        return f"0 {own} 1\n1 {ids.start} {ids.count}\n"


def subordinate_range(path: Path, user: str, uid: int) -> IdRange | None:
    """Return the first range ``/etc/subuid``-style ``path`` grants ``user`` (by name or number)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        fields = line.strip().split(":")
        if len(fields) != 3 or fields[0] not in (user, str(uid)):
            continue
        try:
            start, count = int(fields[1]), int(fields[2])
        except ValueError:
            continue
        if count >= 2:
            return IdRange(start, count)
    return None


def plan(uid_base: int, uid_count: int, etc: Path = Path("/etc")) -> MapPlan:
    """Decide the map for a warm parent started by this process; raise ``UserNamespaceError`` if none."""
    uid, gid = os.geteuid(), os.getegid()
    if uid == 0:
        own = IdRange(uid_base, uid_count)
        return MapPlan(uid=uid, gid=gid, uids=own, gids=own, helpers=False)
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    uids = subordinate_range(etc / "subuid", user, uid)
    gids = subordinate_range(etc / "subgid", user, uid)
    missing = [tool for tool in ("newuidmap", "newgidmap") if shutil.which(tool) is None]
    if uids is None or gids is None or missing:
        problems = []
        if missing:
            problems.append(f"{' and '.join(missing)} (Debian/Ubuntu package 'uidmap')")
        if uids is None or gids is None:
            example = f"{user}:100000:65536"
            problems.append(f"a range for user '{user}' in /etc/subuid and /etc/subgid, e.g. '{example}'")
        raise UserNamespaceError(
            "running as an unprivileged user, the sandbox needs "
            + " and ".join(problems)
            + " to give every child a uid of its own (or run it as root); see the README, 'Deploy'"
        )
    return MapPlan(uid=uid, gid=gid, uids=uids, gids=gids, helpers=True)


def helper_commands(plan: MapPlan, pid: int) -> list[list[str]]:
    """Return the newuidmap and newgidmap command lines that map ``pid``'s namespace."""
    return [
        ["newuidmap", str(pid), "0", str(plan.uid), "1", "1", str(plan.uids.start), str(plan.uids.count)],
        ["newgidmap", str(pid), "0", str(plan.gid), "1", "1", str(plan.gids.start), str(plan.gids.count)],
    ]


def write_maps(plan: MapPlan, pid: int) -> None:
    """Write ``pid``'s uid and gid maps directly (needs CAP_SETUID and CAP_SETGID, i.e. root)."""
    for name, own, ids in (("uid_map", plan.uid, plan.uids), ("gid_map", plan.gid, plan.gids)):
        fd = os.open(f"/proc/{pid}/{name}", os.O_WRONLY)
        try:
            os.write(fd, plan.lines(own, ids).encode())
        finally:
            os.close(fd)


def enter() -> None:
    """Move the calling (single-threaded) warm parent into a new user namespace, still unmapped."""
    linux.unshare(linux.CLONE_NEWUSER)


def become_root() -> None:
    """Once mapped, take the namespace's root ids (the service's own ids already map to 0)."""
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)
    if not (linux.effective_capabilities() >> 21) & 1:
        raise UserNamespaceError("the warm parent holds no CAP_SYS_ADMIN in its own user namespace")
