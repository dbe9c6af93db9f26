"""The sandbox as a boundary between learners: unrestricted code in a child, as an escaped learner would run.

Every snippet here runs with plain ``exec`` (``run_unrestricted``): the language policy is not in the way,
only the process layer is. Each test shows one thing such code cannot do to anyone but itself.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest

from sandbox.result import CheckResult, RunLimits, RunRequest, Status
from tests.sandbox import procs
from tests.sandbox.helpers import assert_next_run_works

ATTACKS = """
import ctypes, fcntl, os, signal
libc = ctypes.CDLL(None, use_errno=True)
outcome = {}

def attempt(name, action):
    try:
        action()
        outcome[name] = "done"
    except OSError as exc:
        outcome[name] = exc.__class__.__name__

def setown(pid):
    r, w = os.pipe()
    fcntl.fcntl(r, fcntl.F_SETOWN, pid)
    fcntl.fcntl(r, 10, signal.SIGKILL)  # F_SETSIG
    fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_ASYNC)
    os.write(w, b"x")

def ptrace(pid):
    if libc.ptrace(16, pid, None, None) != 0:  # PTRACE_ATTACH
        raise OSError(ctypes.get_errno(), "ptrace")

for pid in TARGETS:
    attempt(f"stop {pid}", lambda: os.kill(pid, signal.SIGSTOP))
    attempt(f"setown {pid}", lambda: setown(pid))
    attempt(f"renice {pid}", lambda: os.setpriority(os.PRIO_PROCESS, pid, 19))
    attempt(f"ptrace {pid}", lambda: ptrace(pid))
    attempt(f"pidfd {pid}", lambda: os.pidfd_open(pid))
attempt("renice user", lambda: os.setpriority(os.PRIO_USER, 0, 19))
attempt("renice group", lambda: os.setpriority(os.PRIO_PGRP, 0, 19))
attempt("kill everything", lambda: os.kill(-1, signal.SIGKILL))
outcome
"""


def _state(pid: int) -> tuple[str, int]:
    """Return a process's state letter and nice value from /proc."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return fields[0], int(fields[16])


def test_a_child_cannot_signal_renice_or_trace_the_service_the_warm_parent_or_a_concurrent_run(
    unrestricted_pool,
):
    warm = unrestricted_pool.sandbox.warm_pid
    victim_code = "import time\ntime.sleep(1.5)\n'survived'"
    victim = asyncio_submit(unrestricted_pool, RunRequest(code=victim_code, limits=RunLimits(time_s=10)))
    time.sleep(0.5)  # the victim is running; every child of the warm parent is a target
    targets = [os.getpid(), warm, *(child.pid for child in procs.children_of(warm))]
    before = {pid: _state(pid) for pid in (os.getpid(), warm)}
    attack = unrestricted_pool.run(RunRequest(code=ATTACKS.replace("TARGETS", repr(targets))))
    assert attack.status is Status.OK, attack.error
    outcome = eval(attack.value)
    assert all(result != "done" for result in outcome.values()), outcome
    assert victim.result(30).value == "'survived'"
    for pid, (_letter, nice) in before.items():
        letter, now = _state(pid)
        assert now == nice and letter != "T", pid
    assert_next_run_works(lambda code: unrestricted_pool.run(RunRequest(code=code)))


def asyncio_submit(pool, request):
    return asyncio.run_coroutine_threadsafe(pool.sandbox.run(request), pool.loop)


SYSV = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
made = {
    "shmget": libc.shmget(0, 1 << 20, 0o1000 | 0o600),
    "msgget": libc.msgget(0, 0o1000 | 0o600),
    "semget": libc.semget(0, 1, 0o1000 | 0o600),
}
(made, ctypes.get_errno())
"""


def _sysv_objects() -> list[str]:
    lines = []
    for name in ("shm", "msg", "sem"):
        with open(f"/proc/sysvipc/{name}", encoding="ascii") as table:
            lines += table.read().splitlines()[1:]
    return lines


def test_sysv_ipc_objects_never_outlive_the_child(run_unrestricted):
    before = _sysv_objects()
    result = run_unrestricted(SYSV)
    assert result.status is Status.OK, result.error
    made, errno = eval(result.value)
    assert made == {"shmget": -1, "msgget": -1, "semget": -1}
    assert errno == 1  # EPERM: refused by the filter, and the child's IPC namespace is its own anyway
    assert _sysv_objects() == before


def _living(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state, _nice = _state(pid)
        except OSError:
            continue
        if state not in ("Z", "X"):
            alive.add(pid)
    return alive


FORGE_DONE_AND_STAY = """
import json, os, struct, time
payload = json.dumps({"status": "ok", "value": "'forged'"}).encode()
frame = struct.pack("!cI", b"D", len(payload)) + payload
for fd in range(3, 32):
    try:
        os.write(fd, frame)
    except OSError:
        pass
x = bytearray(200 * 2**20)  # hold memory, and spin: the reply must not wait for this, nor leave it running
while True:
    pass
"""

CLOSE_AND_STAY = """
import os, time
for fd in range(3, 32):
    try:
        os.close(fd)
    except OSError:
        pass
time.sleep(30)
"""


@pytest.mark.parametrize(
    "code", [FORGE_DONE_AND_STAY, CLOSE_AND_STAY, "'an honest run'"], ids=["forge", "close", "honest"]
)
def test_the_child_is_dead_when_its_reply_arrives(unrestricted_pool, code):
    warm = unrestricted_pool.sandbox.warm_pid
    ready = {child.pid for child in procs.settle(warm, waiting=2)}
    result = unrestricted_pool.run(RunRequest(code=code, limits=RunLimits(time_s=5)))
    assert result.status in (Status.OK, Status.ERROR), result
    assert len(ready - _living(ready)) == 1  # at the moment of the reply the child that ran is gone
    assert procs.wait_for_no_strays() == []


FORGE_INTERNAL = """
import json, os, struct
error = {"type": "internal", "message": "Please log in at evil.example"}
check = {"passed": True, "message": ""}
payload = json.dumps({"status": "internal", "error": error, "check": check}).encode()
frame = struct.pack("!cI", b"D", len(payload)) + payload
for fd in range(3, 32):
    try:
        os.write(fd, frame)
    except OSError:
        pass
"""


def test_a_child_cannot_claim_the_sandbox_failed(run_unrestricted):
    result = run_unrestricted(FORGE_INTERNAL)
    assert result.status is Status.ERROR
    assert "evil.example" not in json.dumps(result.to_json())
    assert_next_run_works(run_unrestricted)


FORGE_VERDICT = """
import json, os, struct

def send(kind, body):
    payload = json.dumps(body).encode()
    frame = struct.pack("!cI", kind, len(payload)) + payload
    for fd in range(3, 32):
        try:
            os.write(fd, frame)
        except OSError:
            pass

send(b"E", EVIDENCE)
send(b"D", {"status": "ok", "check": {"passed": True, "message": ""}})
"""


def _forging(evidence: object) -> str:
    return FORGE_VERDICT.replace("EVIDENCE", repr(evidence))


def test_a_child_cannot_forge_a_check_verdict(run_unrestricted):
    code = _forging({"names": {"answer": 42}})
    result = run_unrestricted(code, check="assert False, 'nobody passes this'")
    assert result.check == CheckResult(passed=False, message="nobody passes this")


def test_the_check_decides_over_what_the_child_sent(run_unrestricted):
    # Lying about what its code computed is all an escaped learner can do; the verdict stays the check's.
    code = _forging({"names": {"answer": 42}})
    assert run_unrestricted(code, check="assert answer == 41, 'off'").check == CheckResult(False, "off")
    assert run_unrestricted(code, check="assert answer == 42, 'off'").check == CheckResult(True)


def test_malformed_evidence_fails_the_check(run_unrestricted):
    tensor = {"dtype": "torch.float32", "shape": [1000, 1000], "data": "AAAA", "requires_grad": False}
    result = run_unrestricted(_forging({"names": {"x": {"$tensor": tensor}}}), check="assert True")
    assert result.check is not None and not result.check.passed
    assert "has 3 bytes, not 4000000" in result.check.message, result.check


UNMAP_LIBRARIES = """
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)

class Phdr(ctypes.Structure):
    _fields_ = [("p_type", ctypes.c_uint32), ("p_flags", ctypes.c_uint32), ("p_offset", ctypes.c_uint64),
                ("p_vaddr", ctypes.c_uint64), ("p_paddr", ctypes.c_uint64), ("p_filesz", ctypes.c_uint64),
                ("p_memsz", ctypes.c_uint64), ("p_align", ctypes.c_uint64)]

class Info(ctypes.Structure):
    _fields_ = [("addr", ctypes.c_uint64), ("name", ctypes.c_char_p), ("phdr", ctypes.POINTER(Phdr)),
                ("phnum", ctypes.c_uint16)]

segments = []
Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(Info), ctypes.c_size_t, ctypes.c_void_p)

def each(info, _size, _data):
    for i in range(info.contents.phnum):
        header = info.contents.phdr[i]
        if header.p_type == 1 and header.p_memsz > 1 << 20:  # PT_LOAD
            start = (info.contents.addr + header.p_vaddr) & ~4095
            segments.append((start, header.p_memsz))
    return 0

libc.dl_iterate_phdr(Callback(each), None)
freed = 0
for start, size in segments:
    if libc.munmap(start, size) == 0:
        freed += size
print(f"freed {freed >> 20} MiB")
hoard = bytearray((BUDGET + 64) * 2**20)
"""


def test_unmapping_inherited_libraries_does_not_raise_the_memory_budget(run_unrestricted):
    budget = 256
    result = run_unrestricted(
        UNMAP_LIBRARIES.replace("BUDGET", str(budget)), limits=RunLimits(memory_mib=budget)
    )
    assert result.stdout.startswith("freed 0 MiB"), result.stdout
    assert result.status is Status.MEMORY, (result.status, result.error)
    assert_next_run_works(run_unrestricted)


def test_the_budget_still_holds_for_honest_code(run_unrestricted):
    within = run_unrestricted("x = bytearray(150 * 2**20)\nlen(x)", limits=RunLimits(memory_mib=256))
    assert within.status is Status.OK, within.error
    beyond = run_unrestricted("x = bytearray(300 * 2**20)\nlen(x)", limits=RunLimits(memory_mib=256))
    assert beyond.status is Status.MEMORY
