"""The NetworkPolicies admit exactly the intended flows: the sandbox takes runs from the bot and sends
nothing; the bot reaches PostgreSQL, the sandbox, DNS and HTTPS on the internet; the migration reaches
PostgreSQL and DNS; nothing else involving our pods is admitted."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from tests.deploy.kubernetes import VARIANTS, render
from tests.deploy.netpol import Endpoint, admits, selects

NS = "torch-tutor"
OURS = {"app.kubernetes.io/name": "torch-tutor", "app.kubernetes.io/part-of": "torch-tutor"}
BOT = Endpoint("bot", NS, {**OURS, "app.kubernetes.io/component": "bot"})
SANDBOX = Endpoint("sandbox", NS, {**OURS, "app.kubernetes.io/component": "sandbox"})
MIGRATE = Endpoint("migrate", NS, {**OURS, "app.kubernetes.io/component": "migrate"})
DATABASE = Endpoint(
    "database", NS, {"app.kubernetes.io/part-of": "torch-tutor", "app.kubernetes.io/component": "database"}
)
NEIGHBOUR = Endpoint("another pod of the namespace", NS, {"app": "other"})
# A pod elsewhere wearing the bot's labels must not pass for the bot.
IMPOSTOR = Endpoint("bot-labelled pod in another namespace", "default", BOT.labels)
DNS = Endpoint("kube-dns", "kube-system", {"k8s-app": "kube-dns"})
PROMETHEUS = Endpoint("prometheus", "monitoring", {"app.kubernetes.io/name": "prometheus"})
INTERNET_V4 = Endpoint("a public IPv4 host", address="162.159.128.233")
INTERNET_V6 = Endpoint("a public IPv6 host", address="2606:4700::6810:84e5")
METADATA = Endpoint("the cloud metadata service", address="169.254.169.254")
PRIVATE = Endpoint("a private address", address="10.20.30.40")
CGNAT = Endpoint("a carrier-grade NAT address", address="100.64.1.2")

ENDPOINTS = [
    BOT,
    SANDBOX,
    MIGRATE,
    DATABASE,
    NEIGHBOUR,
    IMPOSTOR,
    DNS,
    PROMETHEUS,
    INTERNET_V4,
    INTERNET_V6,
    METADATA,
    PRIVATE,
    CGNAT,
]
PORTS = [(8060, "TCP"), (9108, "TCP"), (5432, "TCP"), (53, "UDP"), (53, "TCP"), (443, "TCP"), (80, "TCP")]
GOVERNED = {BOT, SANDBOX, MIGRATE}

INTENDED = {
    (BOT, SANDBOX, 8060, "TCP"),
    (BOT, DATABASE, 5432, "TCP"),
    (BOT, DNS, 53, "UDP"),
    (BOT, DNS, 53, "TCP"),
    (BOT, INTERNET_V4, 443, "TCP"),
    (BOT, INTERNET_V6, 443, "TCP"),
    (MIGRATE, DATABASE, 5432, "TCP"),
    (MIGRATE, DNS, 53, "UDP"),
    (MIGRATE, DNS, 53, "TCP"),
}
SCRAPING = {(PROMETHEUS, BOT, 9108, "TCP"), (PROMETHEUS, SANDBOX, 8060, "TCP")}


def _admitted(policies: list[dict[str, Any]]) -> set[tuple[Endpoint, Endpoint, int, str]]:
    """Return every admitted flow that starts or ends at one of our pods."""
    return {
        (source, target, port, protocol)
        for source, target in itertools.product(ENDPOINTS, ENDPOINTS)
        for port, protocol in PORTS
        if source != target
        and (source in GOVERNED or target in GOVERNED)
        and source.is_pod
        and admits(policies, source, target, port, protocol)
    }


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_policies_admit_exactly_the_intended_flows(variant: str) -> None:
    policies = render(variant).of_kind("NetworkPolicy")
    scraping = "metrics-scraping" in VARIANTS[variant][1] or "queue-depth-autoscaling" in VARIANTS[variant][1]
    assert _admitted(policies) == INTENDED | (SCRAPING if scraping else set())


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_sandbox_sends_nothing_anywhere(variant: str) -> None:
    policies = render(variant).of_kind("NetworkPolicy")
    for target, (port, protocol) in itertools.product(ENDPOINTS, PORTS):
        assert not admits(policies, SANDBOX, target, port, protocol), (target.name, port)


# --- the evaluator itself, on small policies whose answer the Kubernetes documentation gives


def _policy(spec: dict[str, Any], namespace: str = NS) -> dict[str, Any]:
    return {"metadata": {"name": "p", "namespace": namespace}, "spec": spec}


def test_an_unselected_pod_is_unrestricted() -> None:
    policy = _policy({"podSelector": {"matchLabels": {"app": "x"}}, "policyTypes": ["Ingress", "Egress"]})
    assert admits([policy], NEIGHBOUR, PRIVATE, 80)


def test_a_policy_type_without_rules_denies_that_direction() -> None:
    policy = _policy({"podSelector": {}, "policyTypes": ["Egress"], "egress": []})
    assert not admits([policy], NEIGHBOUR, PRIVATE, 80)
    assert admits([policy], PRIVATE, NEIGHBOUR, 80) is True


def test_without_policy_types_a_policy_restricts_ingress_only_unless_it_lists_egress() -> None:
    ingress_only = _policy({"podSelector": {}})
    assert not admits([ingress_only], PRIVATE, NEIGHBOUR, 80)
    assert admits([ingress_only], NEIGHBOUR, PRIVATE, 80)
    with_egress = _policy({"podSelector": {}, "egress": [{"ports": [{"port": 443}]}]})
    assert not admits([with_egress], NEIGHBOUR, PRIVATE, 80)
    assert admits([with_egress], NEIGHBOUR, PRIVATE, 443)


def test_namespace_and_pod_selectors_in_one_peer_must_both_match() -> None:
    peer = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {},
    }
    policy = _policy({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [peer]}]})
    assert admits([policy], NEIGHBOUR, DNS, 53, "UDP")
    assert not admits([policy], NEIGHBOUR, BOT, 53, "UDP")
    narrowed = {**peer, "podSelector": {"matchLabels": {"k8s-app": "other"}}}
    policy = _policy({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [narrowed]}]})
    assert not admits([policy], NEIGHBOUR, DNS, 53, "UDP")


def test_a_pod_selector_alone_means_the_policy_s_own_namespace() -> None:
    policy = _policy({"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]})
    assert admits([policy], BOT, NEIGHBOUR, 80)
    assert not admits([policy], IMPOSTOR, NEIGHBOUR, 80)


def test_an_ip_block_excludes_its_exceptions_and_never_matches_pods() -> None:
    block = {"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}
    policy = _policy({"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [block]}]})
    assert admits([policy], NEIGHBOUR, INTERNET_V4, 443)
    assert not admits([policy], NEIGHBOUR, PRIVATE, 443)
    assert not admits([policy], NEIGHBOUR, INTERNET_V6, 443)
    assert not admits([policy], NEIGHBOUR, BOT, 443)


def test_ports_match_by_number_protocol_and_range() -> None:
    rule = {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 8000, "endPort": 8100}]}
    policy = _policy({"podSelector": {}, "policyTypes": ["Egress"], "egress": [rule]})
    assert admits([policy], NEIGHBOUR, PRIVATE, 53, "UDP")
    assert not admits([policy], NEIGHBOUR, PRIVATE, 53, "TCP")
    assert admits([policy], NEIGHBOUR, PRIVATE, 8060)
    assert not admits([policy], NEIGHBOUR, PRIVATE, 8101)


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        ({}, {"a": "1"}, True),
        ({"matchLabels": {"a": "1"}}, {"a": "1", "b": "2"}, True),
        ({"matchLabels": {"a": "1"}}, {"a": "2"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]}, {"a": "2"}, True),
        ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {"a": "1"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {}, False),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {}, True),
    ],
)
def test_label_selectors(selector: dict[str, Any], labels: dict[str, str], expected: bool) -> None:
    assert selects(selector, labels) is expected
