"""deploy/kubernetes/seccomp_profile.py turns deploy/seccomp-sandbox.json into the OCI profile the nodes
install, resolving Docker's conditions as Docker would for a container with no capabilities."""

from __future__ import annotations

import ctypes
import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from sandbox import linux
from tests.deploy import files
from tests.deploy.kubernetes import seccomp_profile_module

profile_script = seccomp_profile_module()
SANDBOX_UNSHARE_FLAGS = sorted(
    [
        linux.CLONE_NEWUSER,
        linux.CLONE_NEWPID,
        linux.CLONE_NEWNS,
        linux.CLONE_NEWUSER | linux.CLONE_NEWNET | linux.CLONE_NEWIPC,
    ]
)
RULE_KEYS = {"names", "action", "errnoRet", "args"}
CLONE3 = 435  # the same number on x86_64 and aarch64
CLONE_NEWUTS = 0x04000000
NATIVE = profile_script.MACHINES.get(os.uname().machine)


@pytest.fixture(scope="module")
def source() -> dict[str, Any]:
    return json.loads(files.SECCOMP_PROFILE.read_text(encoding="utf-8"))


def _render(source: dict[str, Any], arch: str = "amd64", kernel: str = "6.8.0") -> dict[str, Any]:
    rendered: dict[str, Any] = profile_script.render(source, arch, profile_script.kernel_version(kernel))
    return rendered


def _allowing(profile: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [r for r in profile["syscalls"] if name in r["names"] and r["action"] == "SCMP_ACT_ALLOW"]


@pytest.mark.parametrize(
    ("release", "version"),
    [("6.8.0-45-generic", (6, 8, 0)), ("6.18", (6, 18, 0)), ("4.19.112+", (4, 19, 112))],
)
def test_kernel_releases_parse_into_numbers(release: str, version: tuple[int, ...]) -> None:
    assert profile_script.kernel_version(release) == version


def test_the_name_carries_the_source_profile_s_content_hash(tmp_path: Path) -> None:
    copy = tmp_path / "profile.json"
    copy.write_bytes(files.SECCOMP_PROFILE.read_bytes())
    name = profile_script.profile_name(copy)
    assert name == profile_script.profile_name(files.SECCOMP_PROFILE)
    copy.write_bytes(files.SECCOMP_PROFILE.read_bytes() + b"\n")
    assert profile_script.profile_name(copy) != name
    assert name.startswith("torch-tutor/sandbox-") and name.endswith(".json")


def test_the_node_label_carries_the_same_hash() -> None:
    label = profile_script.node_label(files.SECCOMP_PROFILE)
    assert label == f"{profile_script.NODE_LABEL}={profile_script.digest(files.SECCOMP_PROFILE)}"
    assert label.split("=")[1] in profile_script.profile_name(files.SECCOMP_PROFILE)


def test_the_output_is_plain_oci_with_no_docker_conditions(source: dict[str, Any]) -> None:
    profile = _render(source)
    assert set(profile) == {"defaultAction", "architectures", "syscalls"}
    assert all(set(rule) <= RULE_KEYS for rule in profile["syscalls"])
    assert profile["defaultAction"] == source["defaultAction"]


@pytest.mark.parametrize(
    ("arch", "architectures"),
    [
        ("amd64", ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]),
        ("arm64", ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]),
    ],
)
def test_the_architectures_are_the_node_s_own_and_its_compat_modes(
    source: dict[str, Any], arch: str, architectures: list[str]
) -> None:
    assert _render(source, arch)["architectures"] == architectures


def test_rules_for_other_architectures_drop_out(source: dict[str, Any]) -> None:
    assert _allowing(_render(source, "amd64"), "arch_prctl")
    assert not _allowing(_render(source, "arm64"), "arch_prctl")
    assert _allowing(_render(source, "arm64"), "arm_fadvise64_64")


@pytest.mark.parametrize("name", ["bpf", "open_tree", "fsopen", "perf_event_open", "init_module", "reboot"])
def test_calls_docker_allows_only_with_a_capability_stay_refused(source: dict[str, Any], name: str) -> None:
    assert not _allowing(_render(source), name)


def test_clone_keeps_its_namespace_flag_mask_and_clone3_its_enosys(source: dict[str, Any]) -> None:
    profile = _render(source)
    (clone,) = _allowing(profile, "clone")
    assert clone["args"][0]["op"] == "SCMP_CMP_MASKED_EQ"
    (clone3,) = [rule for rule in profile["syscalls"] if "clone3" in rule["names"]]
    assert (clone3["action"], clone3["errnoRet"]) == ("SCMP_ACT_ERRNO", errno.ENOSYS)


def test_the_sandbox_rules_carry_over(source: dict[str, Any]) -> None:
    profile = _render(source)
    unshares = _allowing(profile, "unshare")
    assert sorted(rule["args"][0]["value"] for rule in unshares) == SANDBOX_UNSHARE_FLAGS
    setns = _allowing(profile, "setns")
    assert sorted(rule["args"][0]["value"] for rule in setns) == sorted(
        [linux.CLONE_NEWNS, linux.CLONE_NEWPID]
    )
    for name in ("mount", "umount2", "pivot_root"):
        assert _allowing(profile, name)


def test_a_rule_with_a_minimum_kernel_holds_only_from_that_kernel_on(source: dict[str, Any]) -> None:
    assert _allowing(_render(source, kernel="6.1.0"), "ptrace")
    assert not _allowing(_render(source, kernel="4.4.0"), "ptrace")


def test_every_capability_free_rule_of_the_source_survives(source: dict[str, Any]) -> None:
    plain = [
        rule
        for rule in source["syscalls"]
        if not (rule.get("includes") or {}) and not (rule.get("excludes") or {}).get("caps")
    ]
    rendered = _render(source)["syscalls"]
    for rule in plain:
        assert {"names": rule["names"], "action": rule["action"]}.items() <= next(
            r for r in rendered if r["names"] == rule["names"] and r.get("args") == (rule.get("args") or None)
        ).items()


def test_install_writes_the_named_profile_readable_by_the_kubelet(tmp_path: Path) -> None:
    path = profile_script.install(files.SECCOMP_PROFILE, tmp_path, "amd64", (6, 8, 0))
    assert path == tmp_path / profile_script.profile_name(files.SECCOMP_PROFILE)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert json.loads(path.read_text(encoding="utf-8"))["architectures"][0] == "SCMP_ARCH_X86_64"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_the_command_line_prints_the_name_and_the_label(capsys: pytest.CaptureFixture[str]) -> None:
    assert profile_script.main(["name"]) == 0
    assert profile_script.main(["label"]) == 0
    name, label = capsys.readouterr().out.splitlines()
    assert name == profile_script.profile_name(files.SECCOMP_PROFILE)
    assert label == profile_script.node_label(files.SECCOMP_PROFILE)


def test_the_command_line_refuses_an_unknown_architecture(capsys: pytest.CaptureFixture[str]) -> None:
    assert profile_script.main(["render", "--arch", "riscv64"]) == 2
    assert "unsupported architecture 'riscv64'" in capsys.readouterr().err


# --- the rendered profile, compiled by libseccomp and loaded in a child process


def _filter_from(profile: dict[str, Any]) -> Any:
    """Build the filter a runtime would from an OCI profile (unknown names skipped, as runc does)."""
    import pyseccomp as sc

    operators = {"SCMP_CMP_EQ": sc.EQ, "SCMP_CMP_NE": sc.NE, "SCMP_CMP_MASKED_EQ": sc.MASKED_EQ}
    assert profile["defaultAction"] == "SCMP_ACT_ERRNO"
    flt = sc.SyscallFilter(defaction=sc.ERRNO(errno.EPERM))
    for rule in profile["syscalls"]:
        if rule["action"] == "SCMP_ACT_ALLOW":
            action = sc.ALLOW
        else:
            assert rule["action"] == "SCMP_ACT_ERRNO"
            action = sc.ERRNO(rule.get("errnoRet", errno.EPERM))
        args = [
            sc.Arg(a["index"], operators[a["op"]], a["value"], a.get("valueTwo", 0))
            for a in rule.get("args", [])
        ]
        for name in rule["names"]:
            try:
                sc.resolve_syscall(sc.Arch.NATIVE, name)
            except (ValueError, RuntimeError):
                continue
            flt.add_rule(action, name, *args)
    return flt


def _errno_in_filtered_child(profile: dict[str, Any], call: str) -> int:
    """Load the profile in a forked child, make one call there, return its errno (0: it succeeded)."""
    flt = _filter_from(profile)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 255
        try:
            os.close(read_end)
            flt.load()
            libc = ctypes.CDLL(None, use_errno=True)
            calls = {
                "setns": lambda: libc.setns(-1, 0),
                "clone3": lambda: libc.syscall(CLONE3, None, 0),
                "mount": lambda: libc.mount(b"none", b"/nonexistent/torch-tutor", b"tmpfs", 0, None),
                "unshare-uts": lambda: libc.unshare(CLONE_NEWUTS),
            }
            result = calls[call]()
            os.write(write_end, str(0 if result == 0 else ctypes.get_errno()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        reported = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return int(reported)


needs_native = pytest.mark.skipif(NATIVE is None, reason="the profile has rules for x86_64 and aarch64 only")


@needs_native
def test_the_loaded_profile_refuses_setns_into_any_other_namespace_type(source: dict[str, Any]) -> None:
    # Allowed, setns(-1, 0) would fail with EBADF; only CLONE_NEWPID and CLONE_NEWNS are let through.
    assert _errno_in_filtered_child(_render(source, NATIVE or "", os.uname().release), "setns") == errno.EPERM


@needs_native
def test_the_loaded_profile_answers_clone3_with_enosys(source: dict[str, Any]) -> None:
    # glibc then falls back to clone for threads; EPERM would break thread creation.
    assert (
        _errno_in_filtered_child(_render(source, NATIVE or "", os.uname().release), "clone3") == errno.ENOSYS
    )


@needs_native
def test_the_loaded_profile_lets_mount_reach_the_kernel(source: dict[str, Any]) -> None:
    # The kernel looks the target up first: ENOENT shows the filter let the call through.
    assert (
        _errno_in_filtered_child(_render(source, NATIVE or "", os.uname().release), "mount") == errno.ENOENT
    )


@needs_native
@pytest.mark.skipif(os.geteuid() != 0, reason="only root could unshare a UTS namespace without the filter")
def test_the_loaded_profile_refuses_other_namespace_flags(source: dict[str, Any]) -> None:
    assert (
        _errno_in_filtered_child(_render(source, NATIVE or "", os.uname().release), "unshare-uts")
        == errno.EPERM
    )


def test_read_as_plain_oci_the_docker_profile_would_allow_what_it_means_to_refuse(
    source: dict[str, Any],
) -> None:
    # Why the nodes get a rendered profile: containerd reads a Localhost profile as OCI JSON, where Docker's
    # `includes`/`excludes` are unknown keys and silently ignored, so conditional rules apply to everyone.
    as_containerd_reads_it = {
        "defaultAction": source["defaultAction"],
        "syscalls": [{key: rule[key] for key in RULE_KEYS if key in rule} for rule in source["syscalls"]],
    }
    for name in ("bpf", "perf_event_open"):
        assert _allowing(as_containerd_reads_it, name)
        assert not _allowing(_render(source), name)
