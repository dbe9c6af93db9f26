"""deploy/seccomp-sandbox.json is Docker's default profile plus exactly the sandbox's namespace rules."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from sandbox import linux
from tests.deploy import files

# sha256 of the upstream profile as canonical JSON (sorted keys, no spaces); deploy/README.md says where it
# comes from and how to reproduce this.
UPSTREAM_CANONICAL_SHA256 = "af8fcb4cc4e869779f98c0dfb49ac6420c8ffc95cbdf5846bcfd93489b4b24c0"
OUR_MARK = "torch-tutor:"
# Every unshare the sandbox makes: the warm parent's user and PID namespaces, the mount namespace of the
# filesystem view (built once), then each child's user, network and IPC namespaces together.
SANDBOX_UNSHARE_FLAGS = sorted(
    [
        linux.CLONE_NEWUSER,
        linux.CLONE_NEWPID,
        linux.CLONE_NEWNS,
        linux.CLONE_NEWUSER | linux.CLONE_NEWNET | linux.CLONE_NEWIPC,
    ]
)


@pytest.fixture(scope="module")
def profile() -> dict[str, Any]:
    return json.loads(files.SECCOMP_PROFILE.read_text(encoding="utf-8"))


def _ours(profile: dict[str, Any]) -> list[dict[str, Any]]:
    return [rule for rule in profile["syscalls"] if rule.get("comment", "").startswith(OUR_MARK)]


def _unconditional_allows(profile: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [
        rule
        for rule in profile["syscalls"]
        if name in rule["names"]
        and rule["action"] == "SCMP_ACT_ALLOW"
        and not rule.get("includes", {}).get("caps")
    ]


def test_profile_denies_what_it_does_not_list(profile: dict[str, Any]) -> None:
    assert profile["defaultAction"] == "SCMP_ACT_ERRNO"


def test_profile_is_dockers_default_apart_from_our_rules(profile: dict[str, Any]) -> None:
    upstream = {**profile, "syscalls": [r for r in profile["syscalls"] if r not in _ours(profile)]}
    canonical = json.dumps(upstream, sort_keys=True, separators=(",", ":")).encode()
    assert hashlib.sha256(canonical).hexdigest() == UPSTREAM_CANONICAL_SHA256


def test_our_rules_only_allow_namespace_and_mount_calls(profile: dict[str, Any]) -> None:
    ours = _ours(profile)
    assert all(rule["action"] == "SCMP_ACT_ALLOW" for rule in ours)
    assert sorted({name for rule in ours for name in rule["names"]}) == [
        "mount",
        "pivot_root",
        "setns",
        "umount2",
        "unshare",
    ]


def test_unshare_is_allowed_only_with_the_flags_the_sandbox_passes(profile: dict[str, Any]) -> None:
    rules = _unconditional_allows(profile, "unshare")
    assert all(len(rule["args"]) == 1 and rule["args"][0]["op"] == "SCMP_CMP_EQ" for rule in rules)
    assert sorted(rule["args"][0]["value"] for rule in rules) == SANDBOX_UNSHARE_FLAGS


def test_setns_is_allowed_only_into_pid_and_mount_namespaces(profile: dict[str, Any]) -> None:
    rules = _unconditional_allows(profile, "setns")
    assert sorted(rule["args"][0]["value"] for rule in rules) == sorted(
        [linux.CLONE_NEWPID, linux.CLONE_NEWNS]
    )
    assert all(len(rule["args"]) == 1 and rule["args"][0]["index"] == 1 for rule in rules)


@pytest.mark.parametrize("name", ["mount", "umount2", "pivot_root"])
def test_mount_calls_are_allowed_without_capabilities(profile: dict[str, Any], name: str) -> None:
    assert _unconditional_allows(profile, name)


@pytest.mark.parametrize("name", ["bpf", "open_tree", "move_mount", "fsopen", "perf_event_open"])
def test_other_privileged_calls_still_need_cap_sys_admin(profile: dict[str, Any], name: str) -> None:
    assert not _unconditional_allows(profile, name)


def test_clone_still_refuses_namespace_flags_without_cap_sys_admin(profile: dict[str, Any]) -> None:
    clone_rules = [
        r for r in _unconditional_allows(profile, "clone") if not r.get("includes", {}).get("arches")
    ]
    assert clone_rules and all(rule["args"] for rule in clone_rules)
