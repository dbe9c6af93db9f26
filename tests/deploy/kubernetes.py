"""Render deploy/kubernetes with the real ``kubectl kustomize`` and look things up in the result.

Each variant is an overlay, alone or with components (composed in a temporary kustomization that refers
to them by relative path, as an operator's own overlay would). Renders are cached: each runs once.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from tests.deploy.files import ROOT

KUBERNETES_DIR = ROOT / "deploy" / "kubernetes"
SECCOMP_SCRIPT = KUBERNETES_DIR / "seccomp_profile.py"
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job")
COMPONENTS = ("user-namespaces", "metrics-scraping", "queue-depth-autoscaling", "cloudnative-pg")

# name -> (overlay, components)
VARIANTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "small": ("small", ()),
    "large": ("large", ()),
    "small+user-namespaces+metrics-scraping+cloudnative-pg": (
        "small",
        ("user-namespaces", "metrics-scraping", "cloudnative-pg"),
    ),
    "large+user-namespaces+queue-depth-autoscaling+cloudnative-pg": (
        "large",
        ("user-namespaces", "queue-depth-autoscaling", "cloudnative-pg"),
    ),
}
OVERLAY_VARIANTS = ("small", "large")


def kubectl() -> str:
    """Return the kubectl executable, or skip saying why (.ci/run insists on it)."""
    found = shutil.which("kubectl")
    if found is None:
        pytest.skip("kubectl not found: these tests render deploy/kubernetes with `kubectl kustomize`")
    return found


def kustomize(directory: Path) -> list[dict[str, Any]]:
    """Run ``kubectl kustomize`` on a directory and return its documents; fail with kubectl's message."""
    result = subprocess.run(
        [kubectl(), "kustomize", str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"kubectl kustomize {directory} failed:\n{result.stderr}")
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@functools.cache
def _render(variant: str) -> tuple[dict[str, Any], ...]:
    overlay, components = VARIANTS[variant]
    overlay_dir = KUBERNETES_DIR / "overlays" / overlay
    if not components:
        return tuple(kustomize(overlay_dir))
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)

        def relative(path: Path) -> str:
            return os.path.relpath(path, here)

        kustomization = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": [relative(overlay_dir)],
            "components": [relative(KUBERNETES_DIR / "components" / name) for name in components],
        }
        (here / "kustomization.yaml").write_text(yaml.safe_dump(kustomization), encoding="utf-8")
        return tuple(kustomize(here))


@dataclass(frozen=True)
class Manifests:
    """The documents of one rendered variant."""

    variant: str
    docs: tuple[dict[str, Any], ...]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        """Return the documents of one kind."""
        return [doc for doc in self.docs if doc["kind"] == kind]

    def get(self, kind: str, name: str) -> dict[str, Any]:
        """Return the one document of this kind and name."""
        (doc,) = [doc for doc in self.of_kind(kind) if doc["metadata"]["name"] == name]
        return doc

    def find(self, kind: str, name: str) -> dict[str, Any] | None:
        """Return the document of this kind and name, or None."""
        found = [doc for doc in self.of_kind(kind) if doc["metadata"]["name"] == name]
        return found[0] if found else None

    def workloads(self) -> list[dict[str, Any]]:
        """Return every Deployment, StatefulSet and Job."""
        return [doc for doc in self.docs if doc["kind"] in WORKLOAD_KINDS]

    def config_map(self, generated_name: str) -> dict[str, Any]:
        """Return a ConfigMap by the name it is referred to with (kustomize adds a hash suffix)."""
        return self.get("ConfigMap", generated_name)


def render(variant: str) -> Manifests:
    """Return the rendered documents of a variant (see VARIANTS)."""
    return Manifests(variant, _render(variant))


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    """Return a workload's pod spec."""
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def containers(workload: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every container of a workload's pods, init containers first."""
    spec = pod_spec(workload)
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def container(workload: dict[str, Any], name: str) -> dict[str, Any]:
    """Return one container (or init container) of a workload by name."""
    (found,) = [item for item in containers(workload) if item["name"] == name]
    return found


def env_value(item: dict[str, Any], name: str) -> Any:
    """Return a container's literal env value, or its ``valueFrom``."""
    (entry,) = [entry for entry in item.get("env", []) if entry["name"] == name]
    return entry["value"] if "value" in entry else entry["valueFrom"]


def component_of(workload: dict[str, Any]) -> str:
    """Return a workload's ``app.kubernetes.io/component`` label."""
    label: str = workload["metadata"]["labels"]["app.kubernetes.io/component"]
    return label


def seccomp_profile_module() -> ModuleType:
    """Import deploy/kubernetes/seccomp_profile.py (a script, not a package module)."""
    name = "tutor_seccomp_profile"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SECCOMP_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
