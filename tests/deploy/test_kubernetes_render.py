"""deploy/kubernetes renders with the real `kubectl kustomize`, and every object validates offline against
the Kubernetes API schemas that kubernetes-validate bundles: the oldest release the manifests support and
the newest one the package knows."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from typing import Any

import kubernetes_validate
import pytest
from kubernetes_validate.utils import SchemaNotFoundError, ValidationError, latest_version
from packaging.version import Version

from tests.deploy import kubernetes
from tests.deploy.kubernetes import KUBERNETES_DIR, VARIANTS, render

# appArmorProfile in the security context and the preStop `sleep` action arrived in Kubernetes 1.30.
OLDEST_SUPPORTED = "1.30"
NEWEST_BUNDLED = latest_version()
CUSTOM_RESOURCES = {("postgresql.cnpg.io/v1", "Cluster")}


def _validate(doc: dict[str, Any], version: str) -> str | None:
    """Return the validation error of one object, or None when it is valid."""
    try:
        kubernetes_validate.validate(doc, version, strict=True)
    except ValidationError as error:
        where = ".".join(str(part) for part in error.path)
        return f"{doc['kind']}/{doc['metadata']['name']}: {where}: {error.message}"
    return None


def _kinds(variant: str) -> set[tuple[str, str]]:
    return {
        (doc["kind"], re.sub(r"-[a-z0-9]{10}$", "-<hash>", doc["metadata"]["name"]))
        for doc in render(variant).docs
    }


def test_kubectl_bundles_kustomize_5_or_newer() -> None:
    output = subprocess.run(
        [kubernetes.kubectl(), "version", "--client", "-o", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    kustomize_version = json.loads(output)["kustomizeVersion"]
    assert Version(kustomize_version.lstrip("v")) >= Version("5")


def test_the_bundled_schemas_reach_a_current_kubernetes_release() -> None:
    assert Version(NEWEST_BUNDLED) >= Version("1.33")


@pytest.mark.parametrize("version", [OLDEST_SUPPORTED, NEWEST_BUNDLED])
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_object_validates_against_the_kubernetes_schemas(variant: str, version: str) -> None:
    docs = [doc for doc in render(variant).docs if (doc["apiVersion"], doc["kind"]) not in CUSTOM_RESOURCES]
    assert [error for doc in docs if (error := _validate(doc, version))] == []


def test_the_base_alone_renders_and_validates() -> None:
    docs = kubernetes.kustomize(KUBERNETES_DIR / "base")
    assert [error for doc in docs if (error := _validate(doc, NEWEST_BUNDLED))] == []


def test_validation_refuses_a_misspelt_field() -> None:
    # The strict schemas reject what the API server would silently drop.
    deployment = copy.deepcopy(render("small").get("Deployment", "tutor-sandbox"))
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["periodSecond"] = 5
    assert "periodSecond" in (_validate(deployment, NEWEST_BUNDLED) or "")


def test_validation_refuses_a_field_newer_than_the_release() -> None:
    deployment = render("small").get("Deployment", "tutor-sandbox")
    assert "appArmorProfile" in (_validate(deployment, "1.29") or "")


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_only_objects_without_a_kubernetes_schema_are_the_operator_s_database(variant: str) -> None:
    unknown = set()
    for doc in render(variant).docs:
        try:
            kubernetes_validate.validate(doc, NEWEST_BUNDLED, strict=True)
        except SchemaNotFoundError:
            unknown.add((doc["apiVersion"], doc["kind"]))
    assert unknown <= CUSTOM_RESOURCES
    assert bool(unknown) == ("cloudnative-pg" in VARIANTS[variant][1])


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_object_lives_in_the_torch_tutor_namespace(variant: str) -> None:
    for doc in render(variant).docs:
        if doc["kind"] == "Namespace":
            assert doc["metadata"]["name"] == "torch-tutor"
        else:
            assert doc["metadata"]["namespace"] == "torch-tutor", doc["metadata"]["name"]


SHARED = {
    ("Namespace", "torch-tutor"),
    ("ConfigMap", "tutor-bot-settings-<hash>"),
    ("Deployment", "tutor-sandbox"),
    ("Service", "tutor-sandbox"),
    ("PodDisruptionBudget", "tutor-sandbox"),
    ("StatefulSet", "tutor-bot"),
    ("Service", "tutor-bot"),
    ("PodDisruptionBudget", "tutor-bot"),
    ("Job", "tutor-migrate"),
    ("NetworkPolicy", "tutor-sandbox"),
    ("NetworkPolicy", "tutor-bot"),
    ("NetworkPolicy", "tutor-migrate"),
}


def test_small_is_the_shared_set_without_an_autoscaler() -> None:
    assert _kinds("small") == SHARED


def test_large_adds_the_sandbox_autoscaler() -> None:
    assert _kinds("large") == SHARED | {("HorizontalPodAutoscaler", "tutor-sandbox")}


def test_components_add_the_scraping_policy_and_the_database_cluster() -> None:
    added = {
        ("NetworkPolicy", "tutor-bot-metrics-scraping"),
        ("NetworkPolicy", "tutor-sandbox-metrics-scraping"),
        ("Cluster", "tutor-postgres"),
    }
    assert _kinds("small+user-namespaces+metrics-scraping+cloudnative-pg") == SHARED | added
