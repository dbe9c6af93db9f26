"""deploy/kubernetes runs nothing privileged: every pod is non-root, read-only, capability-less and kept
off the node; the sandbox gets exactly the grants of the compose file's sandbox service, and its seccomp
profile is the content of deploy/seccomp-sandbox.json."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.deploy import files
from tests.deploy.kubernetes import (
    VARIANTS,
    Manifests,
    component_of,
    container,
    containers,
    pod_spec,
    render,
    seccomp_profile_module,
)

profile_script = seccomp_profile_module()
IMAGE_UID = 10001


@pytest.fixture(scope="module", params=list(VARIANTS))
def manifests(request: pytest.FixtureRequest) -> Manifests:
    return render(request.param)


def _all_containers(manifests: Manifests) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for workload in manifests.workloads():
        for item in containers(workload):
            yield workload, item


def _effective(workload: dict[str, Any], item: dict[str, Any], key: str) -> Any:
    """Return a security setting as the kubelet applies it: the container's, else the pod's."""
    own = item.get("securityContext", {})
    return own[key] if key in own else pod_spec(workload).get("securityContext", {}).get(key)


def test_nothing_runs_privileged_or_with_cap_sys_admin(manifests: Manifests) -> None:
    for _workload, item in _all_containers(manifests):
        context = item.get("securityContext", {})
        assert context.get("privileged", False) is False, item["name"]
        added = context.get("capabilities", {}).get("add", [])
        assert not {"SYS_ADMIN", "CAP_SYS_ADMIN", "ALL"} & set(added), item["name"]


def test_every_container_drops_every_capability_and_adds_none_but_the_sandbox_s(manifests: Manifests) -> None:
    for workload, item in _all_containers(manifests):
        capabilities = item["securityContext"]["capabilities"]
        assert capabilities["drop"] == ["ALL"], item["name"]
        allowed = profile_script.CONTAINER_CAPABILITIES if component_of(workload) == "sandbox" else set()
        assert set(capabilities.get("add", [])) == set(allowed), item["name"]


def test_no_container_but_the_sandbox_can_gain_privileges(manifests: Manifests) -> None:
    # The sandbox's newuidmap/newgidmap are setuid programs; they can gain no more than the bounding set.
    for workload, item in _all_containers(manifests):
        expected = component_of(workload) == "sandbox" and item["name"] == "sandbox"
        assert item["securityContext"]["allowPrivilegeEscalation"] is expected, item["name"]


def test_every_container_runs_as_the_image_user(manifests: Manifests) -> None:
    for workload, item in _all_containers(manifests):
        assert _effective(workload, item, "runAsNonRoot") is True, item["name"]
        assert _effective(workload, item, "runAsUser") == IMAGE_UID, item["name"]
        assert _effective(workload, item, "runAsGroup") == IMAGE_UID, item["name"]


def test_every_root_filesystem_is_read_only_with_a_memory_tmp(manifests: Manifests) -> None:
    for workload, item in _all_containers(manifests):
        assert item["securityContext"]["readOnlyRootFilesystem"] is True, item["name"]
        (mount,) = [m for m in item["volumeMounts"] if m["mountPath"] == "/tmp"]
        (volume,) = [v for v in pod_spec(workload)["volumes"] if v["name"] == mount["name"]]
        assert volume["emptyDir"]["medium"] == "Memory" and volume["emptyDir"]["sizeLimit"]


def test_no_pod_shares_anything_of_the_node(manifests: Manifests) -> None:
    for workload in manifests.workloads():
        spec = pod_spec(workload)
        for key in ("hostNetwork", "hostPID", "hostIPC"):
            assert not spec.get(key, False), key
        assert all(set(volume) == {"name", "emptyDir"} for volume in spec.get("volumes", []))
        for item in containers(workload):
            assert all("hostPort" not in port for port in item.get("ports", []))


def test_no_pod_gets_a_kubernetes_api_token_or_service_variables(manifests: Manifests) -> None:
    for workload in manifests.workloads():
        assert pod_spec(workload)["automountServiceAccountToken"] is False
        assert pod_spec(workload)["enableServiceLinks"] is False


def test_the_bot_and_the_migration_keep_the_runtime_s_default_profiles(manifests: Manifests) -> None:
    for workload, item in _all_containers(manifests):
        if component_of(workload) == "sandbox":
            continue
        assert _effective(workload, item, "seccompProfile") == {"type": "RuntimeDefault"}, item["name"]
        assert _effective(workload, item, "appArmorProfile") == {"type": "RuntimeDefault"}, item["name"]


def test_the_sandbox_gets_exactly_the_grants_its_isolation_needs(manifests: Manifests) -> None:
    deployment = manifests.get("Deployment", "tutor-sandbox")
    sandbox = container(deployment, "sandbox")
    # README "Deploy → Kubernetes" says why each one is there; the same as the compose file's sandbox.
    assert sandbox["securityContext"] == {
        "privileged": False,
        "allowPrivilegeEscalation": True,
        "capabilities": {"drop": ["ALL"], "add": ["SETUID", "SETGID"]},
        "readOnlyRootFilesystem": True,
        "seccompProfile": {"type": "Localhost", "localhostProfile": profile_script.profile_name()},
        "appArmorProfile": {"type": "Unconfined"},
    }


def test_the_sandbox_seccomp_profile_is_the_content_of_the_compose_profile(manifests: Manifests) -> None:
    # The profile's file name on the nodes carries the sha256 of deploy/seccomp-sandbox.json: when that
    # file changes, this fails until the manifests name the new content (and operators install it).
    sandbox = container(manifests.get("Deployment", "tutor-sandbox"), "sandbox")
    expected = profile_script.profile_name(files.SECCOMP_PROFILE)
    assert sandbox["securityContext"]["seccompProfile"]["localhostProfile"] == expected


def test_sandbox_pods_go_only_to_nodes_that_have_the_profile(manifests: Manifests) -> None:
    key, value = profile_script.node_label(files.SECCOMP_PROFILE).split("=")
    assert pod_spec(manifests.get("Deployment", "tutor-sandbox"))["nodeSelector"] == {key: value}


def test_orphaned_sandbox_children_are_reaped_by_the_pod_s_init(manifests: Manifests) -> None:
    # compose runs the sandbox with `init: true` for the same reason.
    assert pod_spec(manifests.get("Deployment", "tutor-sandbox"))["shareProcessNamespace"] is True


def test_user_namespaces_come_with_their_component_only(manifests: Manifests) -> None:
    expected = False if "user-namespaces" in VARIANTS[manifests.variant][1] else None
    assert [pod_spec(w).get("hostUsers") for w in manifests.workloads()] == [expected] * 3
