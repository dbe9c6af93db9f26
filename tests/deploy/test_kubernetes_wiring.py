"""deploy/kubernetes wires its objects together and to the code: selectors, ports, probes, settings."""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from bot.adapters.discord.service import DRAIN_MARGIN
from bot.app.sharding import ENV_NAMES as POD_ENV_NAMES
from bot.app.sharding import pod_role_from_env
from bot.config import SandboxSettings, Settings
from bot.observability.server import build_app
from sandbox.local import DEFAULT_MAX_LIMITS, PoolStats
from sandbox.service import SandboxService, ServiceConfig
from tests.deploy import files
from tests.deploy.kubernetes import (
    OVERLAY_VARIANTS,
    VARIANTS,
    Manifests,
    container,
    containers,
    env_value,
    pod_spec,
    render,
)
from tests.fakes import FakeSandbox

# Figures of benchmarks/sandbox_service_load.py as README "Performance" records them.
SERVICE_RSS_MIB = 113
WARM_PARENT_RSS_MIB = 332
README = files.ROOT / "README.md"


@pytest.fixture(scope="module", params=list(VARIANTS))
def manifests(request: pytest.FixtureRequest) -> Manifests:
    return render(request.param)


@pytest.fixture(scope="module", params=OVERLAY_VARIANTS)
def overlay(request: pytest.FixtureRequest) -> Manifests:
    return render(request.param)


def _selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


def _template_labels(workload: dict[str, Any]) -> dict[str, str]:
    labels: dict[str, str] = workload["spec"]["template"]["metadata"]["labels"]
    return labels


def _workloads_selected(manifests: Manifests, selector: dict[str, str]) -> list[str]:
    return [w["metadata"]["name"] for w in manifests.workloads() if _selects(selector, _template_labels(w))]


def _option(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def _port_named(item: dict[str, Any], name: str) -> int:
    (port,) = [p["containerPort"] for p in item.get("ports", []) if p["name"] == name]
    return int(port)


def _mebibytes(quantity: str) -> int:
    match = re.fullmatch(r"(\d+)(Mi|Gi)", quantity)
    assert match, quantity
    return int(match[1]) * (1024 if match[2] == "Gi" else 1)


def _setting_names(model: type[BaseModel], prefix: str = "TUTOR_") -> set[str]:
    names = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= _setting_names(annotation, f"{prefix}{name.upper()}__")
        else:
            names.add(f"{prefix}{name.upper()}")
    return names


def _env_names(manifests: Manifests, item: dict[str, Any]) -> set[str]:
    names = {entry["name"] for entry in item.get("env", [])}
    for source in item.get("envFrom", []):
        names |= set(manifests.config_map(source["configMapRef"]["name"])["data"])
    return names


def _routes(app: web.Application) -> set[tuple[str, str]]:
    return {(route.method, route.resource.canonical) for route in app.router.routes() if route.resource}


SANDBOX_ROUTES = _routes(SandboxService(FakeSandbox(), ServiceConfig()).app())
BOT_ROUTES = _routes(build_app(CollectorRegistry(), {}))


# --- selectors and labels


def test_every_workload_selects_its_own_pods(manifests: Manifests) -> None:
    for workload in manifests.of_kind("Deployment") + manifests.of_kind("StatefulSet"):
        selector = workload["spec"]["selector"]["matchLabels"]
        assert _workloads_selected(manifests, selector) == [workload["metadata"]["name"]]


def test_each_service_selects_the_pods_of_exactly_one_workload(manifests: Manifests) -> None:
    selected = {
        service["metadata"]["name"]: _workloads_selected(manifests, service["spec"]["selector"])
        for service in manifests.of_kind("Service")
    }
    assert selected == {"tutor-sandbox": ["tutor-sandbox"], "tutor-bot": ["tutor-bot"]}


def test_each_disruption_budget_covers_one_workload(manifests: Manifests) -> None:
    selected = {
        budget["metadata"]["name"]: _workloads_selected(manifests, budget["spec"]["selector"]["matchLabels"])
        for budget in manifests.of_kind("PodDisruptionBudget")
    }
    assert selected == {"tutor-sandbox": ["tutor-sandbox"], "tutor-bot": ["tutor-bot"]}


def test_every_network_policy_selects_pods_of_ours(manifests: Manifests) -> None:
    for policy in manifests.of_kind("NetworkPolicy"):
        selector = policy["spec"]["podSelector"]
        labels = selector.get("matchLabels") or {
            expr["key"]: expr["values"][0] for expr in selector.get("matchExpressions", [])
        }
        assert _workloads_selected(manifests, labels), policy["metadata"]["name"]


def test_the_statefulset_is_governed_by_a_headless_service() -> None:
    manifests = render("small")
    service = manifests.get("Service", manifests.get("StatefulSet", "tutor-bot")["spec"]["serviceName"])
    assert service["spec"]["clusterIP"] == "None"


def test_the_large_autoscaler_scales_the_sandbox_deployment() -> None:
    target = render("large").get("HorizontalPodAutoscaler", "tutor-sandbox")["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "tutor-sandbox")


def test_autoscaled_sandbox_has_no_fixed_replica_count_and_small_has_two() -> None:
    assert "replicas" not in render("large").get("Deployment", "tutor-sandbox")["spec"]
    assert render("small").get("Deployment", "tutor-sandbox")["spec"]["replicas"] == 2


def test_queue_depth_component_adds_the_sandbox_gauge_to_the_cpu_target() -> None:
    manifests = render("large+user-namespaces+queue-depth-autoscaling+cloudnative-pg")
    metrics = manifests.get("HorizontalPodAutoscaler", "tutor-sandbox")["spec"]["metrics"]
    names = [
        m["resource"]["name"] if m["type"] == "Resource" else m["pods"]["metric"]["name"] for m in metrics
    ]
    assert names == ["cpu", "sandbox_queue_depth"]


def test_the_sandbox_exports_the_gauge_the_autoscaler_reads() -> None:
    stats = PoolStats(
        healthy=True, concurrency=2, queue_size=32, running=0, waiting=3, ready_children=2, restarts=0
    )
    service = SandboxService(FakeSandbox(), ServiceConfig(), stats=lambda: stats)
    gauges = {metric.name: metric.samples[0].value for metric in service.registry.collect()}
    assert gauges["sandbox_queue_depth"] == 3


# --- ports


def test_each_service_targets_a_port_its_pods_declare(manifests: Manifests) -> None:
    for service in manifests.of_kind("Service"):
        (workload,) = [
            w for w in manifests.workloads() if _selects(service["spec"]["selector"], _template_labels(w))
        ]
        (main,) = pod_spec(workload)["containers"]
        for port in service["spec"]["ports"]:
            assert _port_named(main, port["targetPort"]) == port["port"]


def test_the_sandbox_listens_on_every_interface_on_its_declared_port(manifests: Manifests) -> None:
    sandbox = container(manifests.get("Deployment", "tutor-sandbox"), "sandbox")
    assert sandbox["args"][:2] == ["sandbox", "serve"]
    assert _option(sandbox["args"], "--host") == "0.0.0.0"
    assert int(_option(sandbox["args"], "--port")) == _port_named(sandbox, "http")


def test_the_bot_reaches_the_sandbox_through_its_service(manifests: Manifests) -> None:
    url = urlsplit(
        env_value(container(manifests.get("StatefulSet", "tutor-bot"), "bot"), "TUTOR_SANDBOX__URL")
    )
    service = manifests.get("Service", url.hostname or "")
    assert (url.scheme, url.path) == ("http", "")
    assert [port["port"] for port in service["spec"]["ports"]] == [url.port]


def test_the_bot_serves_its_probes_and_metrics_on_its_declared_port(manifests: Manifests) -> None:
    bot = container(manifests.get("StatefulSet", "tutor-bot"), "bot")
    assert bot["args"] == ["serve"]
    assert env_value(bot, "TUTOR_METRICS__HOST") == "0.0.0.0"
    assert int(env_value(bot, "TUTOR_METRICS__PORT")) == _port_named(bot, "metrics")


def test_every_probe_asks_a_declared_port_for_a_route_its_process_serves(manifests: Manifests) -> None:
    routes = {"sandbox": SANDBOX_ROUTES, "bot": BOT_ROUTES}
    probed = 0
    for workload in manifests.workloads():
        for item in containers(workload):
            for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
                if kind not in item:
                    continue
                probe = item[kind]["httpGet"]
                _port_named(item, probe["port"])
                assert ("GET", probe["path"]) in routes[item["name"]], f"{item['name']} {kind}"
                probed += 1
    assert probed == 6


@pytest.mark.parametrize(
    ("workload", "name", "liveness", "readiness"),
    [
        (("Deployment", "tutor-sandbox"), "sandbox", "/healthz", "/readyz"),
        (("StatefulSet", "tutor-bot"), "bot", "/healthz", "/readyz"),
    ],
)
def test_liveness_asks_healthz_and_readiness_asks_readyz(
    overlay: Manifests, workload: tuple[str, str], name: str, liveness: str, readiness: str
) -> None:
    item = container(overlay.get(*workload), name)
    assert item["livenessProbe"]["httpGet"]["path"] == liveness
    assert item["readinessProbe"]["httpGet"]["path"] == readiness


# --- settings and secrets


def test_every_tutor_variable_the_manifests_set_is_a_setting(manifests: Manifests) -> None:
    known = _setting_names(Settings) | set(POD_ENV_NAMES)
    for workload in manifests.workloads():
        for item in containers(workload):
            names = {name for name in _env_names(manifests, item) if name.startswith("TUTOR_")}
            assert names - known == set(), item["name"]


def test_the_setting_names_come_from_the_settings_model() -> None:
    # Guards the check above: it must see nested groups and plain keys alike.
    names = _setting_names(Settings)
    assert {"TUTOR_DATABASE_URL", "TUTOR_SANDBOX__URL", "TUTOR_DISCORD__SHARD_COUNT"} <= names
    assert "TUTOR_SANDBOX" not in names


def test_bot_and_sandbox_read_the_same_sandbox_token(manifests: Manifests) -> None:
    bot = container(manifests.get("StatefulSet", "tutor-bot"), "bot")
    sandbox = container(manifests.get("Deployment", "tutor-sandbox"), "sandbox")
    token = env_value(bot, "TUTOR_SANDBOX__TOKEN")
    assert "secretKeyRef" in token
    assert token == env_value(sandbox, "TUTOR_SANDBOX__TOKEN")


def test_the_sandbox_gets_no_secret_but_its_token(manifests: Manifests) -> None:
    sandbox = container(manifests.get("Deployment", "tutor-sandbox"), "sandbox")
    secret_refs = [entry for entry in sandbox["env"] if "secretKeyRef" in entry.get("valueFrom", {})]
    assert [entry["name"] for entry in secret_refs] == ["TUTOR_SANDBOX__TOKEN"]
    assert "envFrom" not in sandbox


def test_the_bot_the_schema_wait_and_the_migration_use_one_database_url(manifests: Manifests) -> None:
    bot = manifests.get("StatefulSet", "tutor-bot")
    refs = [
        env_value(container(bot, "bot"), "TUTOR_DATABASE_URL"),
        env_value(container(bot, "wait-for-schema"), "TUTOR_DATABASE_URL"),
        env_value(container(manifests.get("Job", "tutor-migrate"), "migrate"), "TUTOR_DATABASE_URL"),
    ]
    assert all("secretKeyRef" in ref for ref in refs)
    assert refs[0] == refs[1] == refs[2]


def test_every_secret_the_overlays_read_is_created_in_the_readme(overlay: Manifests) -> None:
    readme = README.read_text(encoding="utf-8")
    for workload in overlay.workloads():
        for item in containers(workload):
            for entry in item.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref is None:
                    continue
                assert f"create secret generic {ref['name']}" in readme, ref
                assert f"--from-literal={ref['key']}=" in readme, ref


# --- shards, replicas, termination


def test_pod_replicas_follows_the_statefulset_replica_count(manifests: Manifests) -> None:
    statefulset = manifests.get("StatefulSet", "tutor-bot")
    replicas = env_value(container(statefulset, "bot"), "TUTOR_POD_REPLICAS")
    assert replicas == str(statefulset["spec"]["replicas"])


def test_the_pod_name_comes_from_the_downward_api(manifests: Manifests) -> None:
    bot = container(manifests.get("StatefulSet", "tutor-bot"), "bot")
    assert env_value(bot, "TUTOR_POD_NAME") == {"fieldRef": {"fieldPath": "metadata.name"}}


def test_large_shards_discord_over_several_pods() -> None:
    statefulset = render("large").get("StatefulSet", "tutor-bot")
    assert statefulset["spec"]["replicas"] > 1
    assert int(env_value(container(statefulset, "bot"), "TUTOR_DISCORD__SHARD_COUNT")) > 1


def test_the_bot_pods_together_run_every_shard_once_and_telegram_once(
    manifests: Manifests, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env file
    statefulset = manifests.get("StatefulSet", "tutor-bot")
    bot = container(statefulset, "bot")
    literal = {entry["name"]: entry["value"] for entry in bot["env"] if "value" in entry}
    for name in [name for name in os.environ if name.startswith("TUTOR_")]:
        monkeypatch.delenv(name)
    for name, value in literal.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TUTOR_DISCORD__TOKEN", "discord-token")
    monkeypatch.setenv("TUTOR_TELEGRAM__TOKEN", "telegram-token")
    settings = Settings()
    replicas = statefulset["spec"]["replicas"]
    roles = [
        pod_role_from_env({**literal, "TUTOR_POD_NAME": f"tutor-bot-{ordinal}"}, settings)
        for ordinal in range(replicas)
    ]
    assert all(role is not None for role in roles)
    shards = [shard for role in roles if role for shard in role.shard_ids]
    count = settings.discord.shard_count
    assert sorted(shards) == (list(range(count)) if count else [])
    assert sum(role.runs_telegram for role in roles if role) == 1


def test_the_bot_stops_within_its_grace_period(manifests: Manifests) -> None:
    statefulset = manifests.get("StatefulSet", "tutor-bot")
    literal = {
        entry["name"]: entry["value"] for entry in container(statefulset, "bot")["env"] if "value" in entry
    }
    time_limit = float(literal.get("TUTOR_SANDBOX__TIME_LIMIT", SandboxSettings().time_limit))
    drain = float(literal.get("TUTOR_DISCORD__DRAIN_TIMEOUT", time_limit + DRAIN_MARGIN))
    # Draining, then closing the sandbox client and the database: a few seconds more.
    assert pod_spec(statefulset)["terminationGracePeriodSeconds"] >= drain + 10


def test_the_sandbox_finishes_its_longest_run_within_its_grace_period(manifests: Manifests) -> None:
    deployment = manifests.get("Deployment", "tutor-sandbox")
    sleep = container(deployment, "sandbox")["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pod_spec(deployment)["terminationGracePeriodSeconds"] >= sleep + DEFAULT_MAX_LIMITS.time_s + 5


def test_the_bot_waits_for_the_migrated_schema_before_it_starts(manifests: Manifests) -> None:
    wait = container(manifests.get("StatefulSet", "tutor-bot"), "wait-for-schema")
    assert wait["command"][:2] == ["sh", "-c"]
    assert "until tutor db check;" in wait["command"][2]
    assert shlex.split(wait["command"][2])[0] == "until"


def test_the_migration_is_a_job_that_upgrades_the_schema_once(manifests: Manifests) -> None:
    job = manifests.get("Job", "tutor-migrate")
    assert container(job, "migrate")["args"] == ["db", "upgrade"]
    assert pod_spec(job)["restartPolicy"] == "Never"
    assert job["spec"].get("parallelism", 1) == 1 and job["spec"].get("completions", 1) == 1


# --- image and resources


def test_every_container_runs_the_released_image(manifests: Manifests) -> None:
    version = tomllib.loads((files.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    images = Counter(item["image"] for workload in manifests.workloads() for item in containers(workload))
    assert set(images) == {f"torch-tutor:{version}"}


def test_sandbox_cpu_limit_is_one_core_per_concurrent_run(manifests: Manifests) -> None:
    sandbox = container(manifests.get("Deployment", "tutor-sandbox"), "sandbox")
    assert int(sandbox["resources"]["limits"]["cpu"]) == int(_option(sandbox["args"], "--concurrency"))


def test_sandbox_memory_limit_covers_the_load_benchmark_arithmetic(manifests: Manifests) -> None:
    deployment = manifests.get("Deployment", "tutor-sandbox")
    sandbox = container(deployment, "sandbox")
    (tmp,) = [v for v in pod_spec(deployment)["volumes"] if v["name"] == "tmp"]
    concurrency = int(_option(sandbox["args"], "--concurrency"))
    needed = (
        SERVICE_RSS_MIB
        + WARM_PARENT_RSS_MIB
        + concurrency * SandboxSettings().memory_mib
        + _mebibytes(tmp["emptyDir"]["sizeLimit"])
    )
    limit = _mebibytes(sandbox["resources"]["limits"]["memory"])
    assert needed <= limit <= needed * 1.5
    assert _mebibytes(sandbox["resources"]["requests"]["memory"]) >= (
        SERVICE_RSS_MIB + WARM_PARENT_RSS_MIB + SandboxSettings().memory_mib
    )
