#!/usr/bin/env python3
"""The sandbox's seccomp profile for Kubernetes nodes, made from ``deploy/seccomp-sandbox.json``.

``deploy/seccomp-sandbox.json`` is in Docker's format: some of its rules hold only for some architectures,
capabilities or kernels (``includes``/``excludes``), and Docker resolves these when it starts a container.
A kubelet hands a ``Localhost`` profile to the container runtime as it is, and containerd reads it as a
plain OCI profile, ignoring those conditions: every conditional rule would then apply unconditionally
(``setns``, ``bpf``, ``clone`` with any namespace flag, ...). So this script resolves the conditions the
way Docker does, for the sandbox container (no capabilities: it drops them all), the node's architecture
and its kernel, and writes the OCI profile, which containerd and CRI-O both read.

The file is named after the source profile's content, ``torch-tutor/sandbox-<sha256[:12]>.json``; the
manifests name the same file and schedule sandbox pods only on nodes labelled
``torch-tutor/seccomp-sandbox=<sha256[:12]>``, so a changed profile reaches the pods only once it is
installed. Standard library only: it runs on the nodes.

    python3 seccomp_profile.py name              # the localhostProfile the manifests use
    python3 seccomp_profile.py label             # the node label that says it is installed
    python3 seccomp_profile.py render [--arch amd64|arm64] [--kernel 6.8.0] > sandbox.json
    sudo python3 seccomp_profile.py install [--root /var/lib/kubelet/seccomp]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent.parent / "seccomp-sandbox.json"
KUBELET_SECCOMP_ROOT = Path("/var/lib/kubelet/seccomp")
PROFILE_DIR = "torch-tutor"
NODE_LABEL = "torch-tutor/seccomp-sandbox"
DIGEST_LENGTH = 12
# What the sandbox container keeps: it drops every capability and adds none (deploy/kubernetes/base/
# sandbox.yaml; a test keeps the two equal). Docker's rules that need a capability therefore drop out.
CONTAINER_CAPABILITIES: frozenset[str] = frozenset({"SETUID", "SETGID"})
# Machine names (uname -m) to the architecture names Docker's profile conditions use.
MACHINES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
# Those names to the libseccomp architecture that heads each archMap entry.
SECCOMP_ARCHES = {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64"}


def digest(source: Path = SOURCE) -> str:
    """Return the short content hash that names the installed profile."""
    return hashlib.sha256(source.read_bytes()).hexdigest()[:DIGEST_LENGTH]


def profile_name(source: Path = SOURCE) -> str:
    """Return the path of the installed profile relative to the kubelet's seccomp root."""
    return f"{PROFILE_DIR}/sandbox-{digest(source)}.json"


def node_label(source: Path = SOURCE) -> str:
    """Return the ``key=value`` label of a node that has this profile installed."""
    return f"{NODE_LABEL}={digest(source)}"


def kernel_version(release: str) -> tuple[int, ...]:
    """Return (major, minor, patch) of a kernel release such as ``6.8.0-45-generic``."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", release)
    if match is None:
        raise ValueError(f"not a kernel release: {release!r}")
    return tuple(int(part or 0) for part in match.groups())


def architecture(machine: str) -> str:
    """Return the Docker architecture name of a ``uname -m`` machine name."""
    try:
        return MACHINES[machine]
    except KeyError:
        raise ValueError(
            f"unsupported architecture {machine!r}: expected one of {', '.join(sorted(MACHINES))}"
        ) from None


def _holds(condition: dict[str, Any], arch: str, kernel: tuple[int, ...], *, include: bool) -> bool:
    """Tell whether a rule's ``includes`` (all must hold) or ``excludes`` (any excludes) lets it in."""
    arches = condition.get("arches") or []
    caps = condition.get("caps") or []
    min_kernel = condition.get("minKernel")
    if include:
        return (
            (not arches or arch in arches)
            and all(cap in CONTAINER_CAPABILITIES for cap in caps)
            and (not min_kernel or kernel >= kernel_version(min_kernel))
        )
    return not (
        (arches and arch in arches)
        or any(cap in CONTAINER_CAPABILITIES for cap in caps)
        or (min_kernel and kernel >= kernel_version(min_kernel))
    )


def _rule(rule: dict[str, Any]) -> dict[str, Any]:
    """Return one Docker rule as an OCI syscall entry."""
    entry: dict[str, Any] = {"names": list(rule["names"]), "action": rule["action"]}
    if "errnoRet" in rule:
        entry["errnoRet"] = rule["errnoRet"]
    if rule.get("args"):
        entry["args"] = [
            {key: arg[key] for key in ("index", "value", "valueTwo", "op") if key in arg}
            for arg in rule["args"]
        ]
    return entry


def render(profile: dict[str, Any], arch: str, kernel: tuple[int, ...]) -> dict[str, Any]:
    """Resolve a Docker-format profile for one architecture and kernel into an OCI profile."""
    if arch not in SECCOMP_ARCHES:
        raise ValueError(f"unsupported architecture {arch!r}")
    (entry,) = [item for item in profile["archMap"] if item["architecture"] == SECCOMP_ARCHES[arch]]
    result: dict[str, Any] = {
        "defaultAction": profile["defaultAction"],
        "architectures": [entry["architecture"], *entry.get("subArchitectures", [])],
    }
    if "defaultErrnoRet" in profile:
        result["defaultErrnoRet"] = profile["defaultErrnoRet"]
    result["syscalls"] = [
        _rule(rule)
        for rule in profile["syscalls"]
        if _holds(rule.get("excludes") or {}, arch, kernel, include=False)
        and _holds(rule.get("includes") or {}, arch, kernel, include=True)
    ]
    return result


def render_text(source: Path, arch: str, kernel: tuple[int, ...]) -> str:
    """Return the OCI profile for ``source`` as JSON text."""
    profile = json.loads(source.read_text(encoding="utf-8"))
    return json.dumps(render(profile, arch, kernel), indent=2) + "\n"


def install(source: Path, root: Path, arch: str, kernel: tuple[int, ...]) -> Path:
    """Write the OCI profile under ``root`` (atomically, mode 0644); return its path."""
    target = root / profile_name(source)
    target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False, encoding="utf-8") as handle:
        handle.write(render_text(source, arch, kernel))
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, target)
    return target


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the Docker-format profile")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("name", help="print the localhostProfile path the manifests use")
    commands.add_parser("label", help="print the node label that says the profile is installed")
    for name in ("render", "install"):
        command = commands.add_parser(name, help=f"{name} the OCI profile for this node")
        command.add_argument("--arch", default=platform.machine(), help="default: this machine's")
        command.add_argument("--kernel", default=platform.release(), help="default: the running kernel")
    commands.choices["install"].add_argument(
        "--root", type=Path, default=KUBELET_SECCOMP_ROOT, help="the kubelet's seccomp directory"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; return the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "name":
        print(profile_name(args.source))
        return 0
    if args.command == "label":
        print(node_label(args.source))
        return 0
    try:
        arch, kernel = architecture(args.arch), kernel_version(args.kernel)
    except ValueError as error:
        print(f"seccomp_profile.py: {error}", file=sys.stderr)
        return 2
    if args.command == "render":
        sys.stdout.write(render_text(args.source, arch, kernel))
        return 0
    path = install(args.source, args.root, arch, kernel)
    print(f"installed {path}")
    print(f"now label the node: kubectl label node NODE_NAME {node_label(args.source)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
