"""Readers for the deployment files: the compose file (with compose's variable interpolation), the
``.env.example`` file and the Dockerfile, each parsed just enough for static checks (no Docker engine)."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SECCOMP_PROFILE = ROOT / "deploy" / "seccomp-sandbox.json"
HEALTHCHECK_SCRIPT = ROOT / "deploy" / "healthcheck.py"
COMPOSE_SCHEMA = Path(__file__).resolve().parent / "data" / "compose_spec.json"

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, $NAME, and $$ (a literal $).
_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)
# Fields compose turns back into numbers after interpolation (a variable always yields a string).
_INTEGER_FIELDS = (("deploy", "replicas"), ("pids_limit",))


class MissingVariableError(LookupError):
    """A ``${NAME:?message}`` variable was unset (compose would refuse to start)."""


def load_compose_raw() -> dict[str, Any]:
    """Return docker-compose.yml as YAML data, before interpolation."""
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_variables() -> set[str]:
    """Return the name of every variable docker-compose.yml interpolates."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    return {m["braced"] or m["named"] for m in _VARIABLE.finditer(text) if not m["escaped"]}


def interpolate_text(text: str, env: Mapping[str, str]) -> str:
    """Substitute variables in one string the way compose does."""

    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["named"]
        op, arg = match["op"], match["arg"] or ""
        value = env.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-") and unset_or_empty:
            return arg
        if op in (":?", "?") and unset_or_empty:
            raise MissingVariableError(f"{name}: {arg}")
        return value or ""

    return _VARIABLE.sub(substitute, text)


def interpolate(data: Any, env: Mapping[str, str]) -> Any:
    """Interpolate every string in ``data`` (keys stay as they are, as in compose)."""
    if isinstance(data, str):
        return interpolate_text(data, env)
    if isinstance(data, list):
        return [interpolate(item, env) for item in data]
    if isinstance(data, dict):
        return {key: interpolate(value, env) for key, value in data.items()}
    return data


def load_compose(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return docker-compose.yml as compose sees it with ``env`` (default: the values in .env.example)."""
    resolved = interpolate(load_compose_raw(), env_example_values() if env is None else env)
    for service in resolved.get("services", {}).values():
        for path in _INTEGER_FIELDS:
            *parents, leaf = path
            holder = service
            for key in parents:
                holder = holder.get(key, {})
            if isinstance(holder.get(leaf), str):
                holder[leaf] = int(holder[leaf])
    return resolved


def load_schema() -> dict[str, Any]:
    """Return the vendored Compose Specification JSON Schema."""
    return json.loads(COMPOSE_SCHEMA.read_text(encoding="utf-8"))


def env_example_values() -> dict[str, str]:
    """Return the variables .env.example sets (uncommented lines), as compose's .env parser reads them."""
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        name, _, value = stripped.partition("=")
        values[name.strip()] = value.strip().strip("'\"")
    return values


def env_example_documented() -> set[str]:
    """Return every variable .env.example names, set or shown commented out (``# NAME=...``)."""
    pattern = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


@dataclass
class Instruction:
    """One Dockerfile instruction, continuation lines joined."""

    keyword: str
    arguments: str
    line: int

    def words(self) -> list[str]:
        """Return the arguments split like a shell would (good enough for flags and exec-form JSON)."""
        return shlex.split(self.arguments, comments=False, posix=True)


@dataclass
class Stage:
    """One build stage: its FROM line and the instructions after it."""

    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def find(self, keyword: str) -> list[Instruction]:
        """Return this stage's instructions with ``keyword``."""
        return [i for i in self.instructions if i.keyword == keyword]


def dockerfile_instructions(text: str | None = None) -> list[Instruction]:
    """Parse the Dockerfile into instructions (comments dropped, backslash continuations joined)."""
    source = DOCKERFILE.read_text(encoding="utf-8") if text is None else text
    instructions: list[Instruction] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        keyword, _, arguments = " ".join(part for part in pending if part).partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip(), start))
        pending = []
    return instructions


def dockerfile_stages(text: str | None = None) -> list[Stage]:
    """Return the build stages, with ARG defaults declared before the first FROM substituted in FROM."""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction in dockerfile_instructions(text):
        if instruction.keyword == "ARG" and not stages:
            name, _, default = instruction.arguments.partition("=")
            global_args[name.strip()] = default.strip()
        elif instruction.keyword == "FROM":
            words = [w for w in instruction.words() if not w.startswith("--")]
            base = interpolate_text(words[0], global_args)
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=base, name=name))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages
