"""The process layer on its own: snippets run by plain ``exec`` (no language policy) in an isolated child.

Whatever got past RestrictedPython would be exactly here; the OS must still refuse.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from sandbox import seccomp_filter
from sandbox.isolation import IsolationConfig, fallbacks
from sandbox.local import LocalSandbox, PoolConfig
from sandbox.result import Status
from sandbox.warm_process import WarmStartError
from tests.sandbox import procs
from tests.sandbox.conftest import SECRET_ENV
from tests.sandbox.helpers import assert_next_run_works

REPO = Path(__file__).resolve().parents[2]


def assert_refused(result, error_type: str = "PermissionError") -> None:
    assert result.status is Status.ERROR, (result.status, result.error, result.stdout)
    assert result.error is not None and result.error.type == error_type, result.error


ESCAPES = [
    pytest.param("import os\nos.execv('/bin/true', ['true'])", "PermissionError", id="execv"),
    pytest.param("import os\nos.fork()", "PermissionError", id="fork"),
    pytest.param("import subprocess\nsubprocess.run(['true'])", "PermissionError", id="subprocess-run"),
    pytest.param(
        "import socket\ns = socket.socket()\ns.connect(('127.0.0.1', 22))",
        "PermissionError",
        id="tcp-connect",
    ),
    pytest.param("import socket\nsocket.socket(socket.AF_UNIX)", "PermissionError", id="unix-socket"),
    pytest.param("import socket\nsocket.socketpair()", "PermissionError", id="socketpair"),
    pytest.param("open('note.txt', 'w').write('x')", "OSError", id="write-cwd"),
    pytest.param("open('/tmp/note.txt', 'w').write('x')", "OSError", id="write-tmp"),
    pytest.param("import os\nos.mkdir('/usr/evil')", "PermissionError", id="mkdir-usr"),
    pytest.param("import os\nos.setuid(0)", "PermissionError", id="setuid-root"),
    pytest.param("import os\nos.kill(-1, 9)", "PermissionError", id="kill-everything"),
    pytest.param("import os\nos.killpg(os.getpgid(0), 9)", "PermissionError", id="killpg"),
    pytest.param("import os\nos.pidfd_open(os.getppid())", "PermissionError", id="pidfd-open"),
    pytest.param(
        "import os\nos.unshare(0)"
        if hasattr(os, "unshare")
        else "import ctypes\nimport os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "assert libc.unshare(0x10000000) == -1\nraise PermissionError(ctypes.get_errno())",
        "PermissionError",
        id="unshare-userns",
    ),
]


@pytest.mark.parametrize(("code", "error_type"), ESCAPES)
def test_os_layer_refuses_escape_without_the_policy(run_unrestricted, code, error_type):
    assert_refused(run_unrestricted(code), error_type)
    assert_next_run_works(run_unrestricted)


def test_threads_still_work_under_the_filter(run_unrestricted):
    code = (
        "import threading\nout = []\n"
        "t = threading.Thread(target=lambda: out.append(torch.ones(3).sum().item()))\n"
        "t.start(); t.join()\nout"
    )
    result = run_unrestricted(code)
    assert result.status is Status.OK, result.error
    assert result.value == "[3.0]"


def test_thread_bomb_stops_at_the_process_limit(run_unrestricted):
    code = (
        "import threading, time\nstop = threading.Event()\n"
        "for i in range(1000):\n    threading.Thread(target=stop.wait, daemon=True).start()\n"
    )
    result = run_unrestricted(code)
    assert result.status is Status.ERROR
    assert result.error is not None and "can't start new thread" in result.error.message
    assert_next_run_works(run_unrestricted)


def test_fork_bomb_is_refused_and_leaves_nothing(run_unrestricted, unrestricted_pool):
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    from sandbox.result import RunLimits

    result = run_unrestricted(code, limits=RunLimits(time_s=1))
    assert result.status is Status.TIMEOUT
    assert procs.wait_for_no_strays() == []
    assert_next_run_works(run_unrestricted)


def test_child_is_nobody_in_its_namespace_with_an_empty_environment(run_unrestricted):
    result = run_unrestricted("import os\n(os.getuid(), os.getgid(), os.getgroups(), dict(os.environ))")
    assert result.status is Status.OK, result.error
    uid, gid, groups, environment = eval(result.value)
    assert (uid, gid) == (65534, 65534)  # unmapped in its own user namespace
    assert groups == []
    assert environment == {}


def test_every_waiting_child_has_a_host_uid_of_its_own(unrestricted_pool):
    deadline = time.monotonic() + 10
    while unrestricted_pool.sandbox.stats().ready_children < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # ready means isolated: a child that is still starting is root for a moment
    children = procs.settle(unrestricted_pool.sandbox.warm_pid, waiting=2)
    uids = [child.uid for child in children]
    assert len(set(uids)) == 2, uids
    assert all(uid in procs.CHILD_UIDS for uid in uids), uids


def test_no_secret_from_the_bot_environment_reaches_the_warm_parent(unrestricted_pool):
    warm_pid = unrestricted_pool.sandbox.warm_pid
    with open(f"/proc/{warm_pid}/environ", "rb") as environ:
        text = environ.read().decode()
    for key, value in SECRET_ENV.items():
        assert key not in text and value not in text
    assert "OMP_NUM_THREADS=1" in text


def test_warm_parent_inherits_no_descriptor_but_its_control_socket(unrestricted_pool):
    warm_pid = unrestricted_pool.sandbox.warm_pid
    targets = [os.readlink(f"/proc/{warm_pid}/fd/{fd}") for fd in os.listdir(f"/proc/{warm_pid}/fd")]
    sockets = [target for target in targets if target.startswith("socket:")]
    assert len(sockets) == 1, targets


@pytest.fixture
def secret_files():
    name = f"tutor-secret-{uuid.uuid4().hex}"
    paths = [Path("/tmp") / name, REPO / f".{name}.env"]
    for path in paths:
        path.write_text("TOKEN=hunter2\n")
        path.chmod(0o644)  # world-readable on purpose: only the mount namespace hides it
    yield paths
    for path in paths:
        path.unlink()


def test_files_outside_the_view_are_invisible(run_unrestricted, secret_files):
    for path in secret_files:
        result = run_unrestricted(f"open({str(path)!r}).read()")
        assert_refused(result, "FileNotFoundError")


@pytest.mark.parametrize(
    "path",
    [
        "/proc/1/environ",
        "/proc/self/environ",
        "/etc/shadow",
        "/etc/passwd",
        "/root/.bash_history",
        "/sys/kernel/notes",
    ],
)
def test_host_secrets_are_unreadable(run_unrestricted, path):
    result = run_unrestricted(f"open({path!r}, 'rb').read()")
    assert result.status is Status.ERROR, (path, result.value)


def fsview_workdirs() -> tuple[str, ...]:
    from sandbox import fsview

    return fsview._WORKDIR_CHOICES


def test_working_directory_is_empty_and_read_only(run_unrestricted):
    result = run_unrestricted("import os\n(os.getcwd(), os.listdir('.'), sorted(os.listdir('/')))")
    assert result.status is Status.OK, result.error
    cwd, entries, root = eval(result.value)
    assert entries == []
    assert "home" not in root and "proc" not in root and "var" not in root
    # /tmp unless the installation itself lives there (a checkout under /tmp), then the next free choice.
    assert cwd in fsview_workdirs()


def test_interpreter_and_sandbox_code_stay_readable(run_unrestricted):
    result = run_unrestricted("import json.tool, sandbox.result\nsandbox.result.Status.OK.value")
    assert result.status is Status.OK, result.error


def test_probe_found_every_escape_refused(unrestricted_pool):
    probe = unrestricted_pool.sandbox.info["probe"]
    for name in ("execve", "fork", "socket", "write_file", "signal_parent"):
        assert str(probe[name]).startswith("refused"), (name, probe[name])
    assert probe["thread"] == "allowed"
    assert probe["report"]["seccomp"] is True


def test_filter_is_patched_with_the_childs_own_pid():
    program = seccomp_filter.compile_filter()
    patched = seccomp_filter.for_pid(program, 4321)
    ks = [k for _code, _jt, _jf, k in struct.iter_unpack("=HBBI", patched)]
    assert seccomp_filter.SELF_PID_MARK not in ks
    assert 4321 in ks
    assert len(patched) == len(program)


def test_filter_patch_touches_only_comparisons_against_the_mark():
    mark = seccomp_filter.SELF_PID_MARK
    load = struct.pack("=HBBI", 0x20, 0, 0, mark)  # the mark as another instruction's operand
    unaligned = struct.pack("=HI", 0, mark) + bytes(2)  # the mark's bytes across two fields
    compare = struct.pack("=HBBI", 0x15, 1, 2, mark)
    patched = seccomp_filter.for_pid(load + unaligned + compare, 4321)
    assert patched == load + unaligned + struct.pack("=HBBI", 0x15, 1, 2, 4321)


SABOTAGE = "tests.sandbox.sabotage_executor"


async def test_refuses_to_start_without_the_syscall_filter():
    with pytest.raises(WarmStartError, match="syscall filter"):
        await LocalSandbox.create(PoolConfig(executor=SABOTAGE, concurrency=1, start_timeout_s=60))
    assert procs.wait_for_no_strays() == []


async def test_insecure_dev_starts_without_the_filter_and_says_so(caplog):
    config = PoolConfig(executor=SABOTAGE, concurrency=1, insecure_dev=True, start_timeout_s=60)
    async with LocalSandbox.start(config) as sandbox:
        assert sandbox.stats().healthy
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "INSECURE" in messages


def test_production_isolation_has_no_fallback():
    assert fallbacks(IsolationConfig()) == [IsolationConfig()]


def test_insecure_dev_falls_back_one_measure_at_a_time():
    ladder = fallbacks(IsolationConfig(insecure_dev=True))
    assert [(c.namespaces, c.filesystem) for c in ladder] == [(True, True), (True, False), (False, False)]


UNPRIVILEGED_RANGE = 700_000


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to build a private world for an ordinary user")
@pytest.mark.skipif(shutil.which("newuidmap") is None, reason="newuidmap missing: .ci/run installs 'uidmap'")
def test_an_unprivileged_service_gives_each_child_a_subordinate_uid():
    done = subprocess.run(
        [
            "unshare",
            "--mount",
            "sh",
            str(REPO / "tests/sandbox/unprivileged_world.sh"),
            str(REPO),
            sys.executable,
            str(UNPRIVILEGED_RANGE),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["pool_uid"] == 10001
    assert report["warm_uid"] == 10001  # root of its own user namespace, the service's uid on the host
    assert report["who"][0] == "ok"
    uids = report["child_uids"]
    # The two pre-forked children, plus a used one not yet reaped when the machine is busy.
    assert len(uids) >= 2 and len(set(uids)) == len(uids), uids
    assert all(UNPRIVILEGED_RANGE < uid < UNPRIVILEGED_RANGE + 65536 for uid in uids), uids
    for name in ("signal_pool", "fork", "socket"):
        assert report[name] == ["error", "PermissionError"], (name, report[name])


def test_an_installation_under_tmp_is_in_the_view_and_the_view_is_built_elsewhere(
    tmp_path, monkeypatch
) -> None:
    from sandbox import fsview

    venv = tmp_path / "clone" / ".venv"
    venv.mkdir(parents=True)
    monkeypatch.setattr(fsview, "_needed_paths", lambda: {str(venv)})
    plan = fsview.plan_view()
    assert str(venv) in [item.path for item in plan.exposed]
    assert not str(venv).startswith(plan.staging + "/")


def test_an_installation_under_tmp_gets_another_working_directory(tmp_path, monkeypatch) -> None:
    from sandbox import fsview

    venv = tmp_path / "clone" / ".venv"
    venv.mkdir(parents=True)
    monkeypatch.setattr(fsview, "_needed_paths", lambda: {str(venv)})
    assert fsview.plan_view().workdir == "/work"


def test_the_working_directory_is_tmp_when_nothing_lives_there(monkeypatch) -> None:
    from sandbox import fsview

    monkeypatch.setattr(fsview, "_needed_paths", lambda: {"/usr"})
    assert fsview.plan_view().workdir == "/tmp"
