"""Decide whether Kubernetes NetworkPolicies admit a connection, following the API's documented semantics.

A connection from A to B on a port is admitted when A may send it and B may receive it. A pod that no
policy of its namespace selects for a direction is unrestricted in that direction; once one selects it,
only what some rule of some such policy lists is allowed (rules add up, never subtract). Within a peer,
``namespaceSelector`` and ``podSelector`` must both match; ``ipBlock`` matches addresses outside the
cluster. A missing ``policyTypes`` means Ingress, plus Egress when egress rules are listed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Endpoint:
    """A pod (namespace and labels) or, with ``address``, a host outside the cluster."""

    name: str
    namespace: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict, compare=False)
    address: str | None = None

    @property
    def is_pod(self) -> bool:
        """Return whether this endpoint is a pod."""
        return self.namespace is not None


def selects(selector: Mapping[str, Any], labels: Mapping[str, str]) -> bool:
    """Return whether a label selector matches labels (an empty selector matches everything)."""
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        present = key in labels
        if operator == "In" and not (present and labels[key] in values):
            return False
        if operator == "NotIn" and present and labels[key] in values:
            return False
        if operator == "Exists" and not present:
            return False
        if operator == "DoesNotExist" and present:
            return False
    return True


def _namespace_labels(namespace: str) -> dict[str, str]:
    # The API server labels every namespace with its own name.
    return {"kubernetes.io/metadata.name": namespace}


def _peer_matches(peer: Mapping[str, Any], endpoint: Endpoint, policy_namespace: str) -> bool:
    if "ipBlock" in peer:
        if endpoint.address is None:
            return False
        address = ipaddress.ip_address(endpoint.address)
        block = peer["ipBlock"]
        network = ipaddress.ip_network(block["cidr"])
        if address.version != network.version or address not in network:
            return False
        return not any(
            address in ipaddress.ip_network(cidr)
            for cidr in block.get("except", [])
            if ipaddress.ip_network(cidr).version == address.version
        )
    if not endpoint.is_pod:
        return False
    assert endpoint.namespace is not None
    if "namespaceSelector" in peer:
        if not selects(peer["namespaceSelector"], _namespace_labels(endpoint.namespace)):
            return False
    elif endpoint.namespace != policy_namespace:
        return False
    return selects(peer.get("podSelector", {}), endpoint.labels)


def _port_matches(ports: Iterable[Mapping[str, Any]] | None, port: int, protocol: str) -> bool:
    listed = list(ports or [])
    if not listed:
        return True
    for entry in listed:
        if entry.get("protocol", "TCP") != protocol:
            continue
        if "port" not in entry:
            return True
        first = entry["port"]
        assert isinstance(first, int), "named ports are not modelled: use numbers in policies"
        if first <= port <= entry.get("endPort", first):
            return True
    return False


def _policy_types(policy: Mapping[str, Any]) -> list[str]:
    spec = policy["spec"]
    if "policyTypes" in spec:
        types: list[str] = spec["policyTypes"]
        return types
    return ["Ingress", "Egress"] if "egress" in spec else ["Ingress"]


def _side_allows(
    policies: Iterable[Mapping[str, Any]],
    subject: Endpoint,
    other: Endpoint,
    port: int,
    protocol: str,
    direction: str,
) -> bool:
    if not subject.is_pod:
        return True  # policies restrict pods only
    governing = [
        policy
        for policy in policies
        if policy["metadata"]["namespace"] == subject.namespace
        and direction in _policy_types(policy)
        and selects(policy["spec"]["podSelector"], subject.labels)
    ]
    if not governing:
        return True
    key, peers_key = ("ingress", "from") if direction == "Ingress" else ("egress", "to")
    for policy in governing:
        for rule in policy["spec"].get(key) or []:
            peers = rule.get(peers_key)
            peer_ok = not peers or any(
                _peer_matches(peer, other, policy["metadata"]["namespace"]) for peer in peers
            )
            if peer_ok and _port_matches(rule.get("ports"), port, protocol):
                return True
    return False


def admits(
    policies: Iterable[Mapping[str, Any]],
    source: Endpoint,
    target: Endpoint,
    port: int,
    protocol: str = "TCP",
) -> bool:
    """Return whether ``source`` may open a connection to ``target`` on ``port``/``protocol``."""
    listed = list(policies)
    return _side_allows(listed, source, target, port, protocol, "Egress") and _side_allows(
        listed, target, source, port, protocol, "Ingress"
    )
