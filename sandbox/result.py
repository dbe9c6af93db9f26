"""The values that cross the sandbox boundary: what to run and what came of it.

Every field name of `RunResult.to_json()` is part of the public contract in docs/sandbox.md
("The run result"): fields may be added, never renamed or removed.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from typing import Any


class Status(enum.StrEnum):
    """How a run ended; expected failures are statuses, never exceptions."""

    OK = "ok"
    ERROR = "error"
    SYNTAX = "syntax"
    DENIED = "denied"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    OUTPUT_LIMIT = "output_limit"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class RunLimits:
    """Per-run limits; a service clamps requested overrides to its own maxima."""

    time_s: float = 5.0
    cpu_s: int = 10
    memory_mib: int = 512
    output_bytes: int = 64 * 1024
    replay_s: float = 2.0  # CPU seconds for replaying notebook cells, on top of the run's own limits

    def clamp(self, maxima: RunLimits) -> RunLimits:
        """Return these limits, each capped at the matching maximum."""
        return RunLimits(
            time_s=min(self.time_s, maxima.time_s),
            cpu_s=min(self.cpu_s, maxima.cpu_s),
            memory_mib=min(self.memory_mib, maxima.memory_mib),
            output_bytes=min(self.output_bytes, maxima.output_bytes),
            replay_s=min(self.replay_s, maxima.replay_s),
        )

    @classmethod
    def from_json(cls, data: dict[str, Any], base: RunLimits, maxima: RunLimits | None = None) -> RunLimits:
        """Build limits from a JSON object, taking missing fields from ``base``; raise ValueError if bad.

        Every value must be a finite number above zero (whole for the integer limits) and, when
        ``maxima`` is given, at most the matching maximum.
        """
        unknown = set(data) - {"time_s", "cpu_s", "memory_mib", "output_bytes", "replay_s"}
        if unknown:
            raise ValueError(f"unknown limit(s): {', '.join(sorted(unknown))}")
        values = asdict(base)
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"limit {key!r} must be a finite number")
            if value <= 0:
                raise ValueError(f"limit {key!r} must be a positive number")
            if isinstance(values[key], int) and value != int(value):
                raise ValueError(f"limit {key!r} must be a whole number")
            if maxima is not None and value > getattr(maxima, key):
                raise ValueError(
                    f"limit {key!r} is {value:g}, above this service's maximum of {getattr(maxima, key):g}"
                )
            values[key] = type(values[key])(value)
        return cls(**values)


MAX_CELLS = 20
"""A notebook replays at most this many earlier cells before the new one."""


@dataclass(frozen=True, slots=True)
class Cell:
    """An earlier notebook cell: its code and the seed it first ran with (replayed silently)."""

    code: str
    seed: int


@dataclass(frozen=True, slots=True)
class RunRequest:
    """One snippet to run.

    ``setup`` runs silently before it; ``cells`` (a learner's earlier notebook cells) are replayed silently,
    each with its own seed, before it. ``check`` (trusted) decides whether an exercise passed: ``probe``
    (trusted, optional) runs after the learner's code in the same child and binds what it reads from the
    learner's objects to names, and the check then runs in a fresh child over those names as data
    (``sandbox.evidence``). ``evidence`` is set only on that second, internal request. ``seed`` seeds the
    random generators for the new cell (a fresh one when None); the result says which seed was used.
    """

    code: str
    setup: str | None = None
    check: str | None = None
    probe: str | None = None
    evidence: str | None = None
    request_id: str | None = None
    limits: RunLimits | None = None
    cells: tuple[Cell, ...] = ()
    seed: int | None = None


@dataclass(frozen=True, slots=True)
class RunError:
    """What went wrong, in the learner's terms: ``line`` is in the learner's code."""

    type: str
    message: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class TensorInfo:
    """One tensor the learner's code bound to a top-level name."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    device: str
    requires_grad: bool
    is_leaf: bool
    grad_fn: str | None
    grad: str | None
    preview: str


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    """One ``nn.Module`` the learner's code bound to a top-level name."""

    name: str
    type: str
    parameters: int
    trainable: int
    grads: dict[str, str | None]


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A node of the autograd graph: an op, a leaf tensor or the root."""

    id: int
    label: str
    kind: str  # "op" | "leaf" | "root"
    name: str | None = None
    shape: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Graph:
    """The autograd graph; edges point from a node to its inputs."""

    root: str
    nodes: tuple[GraphNode, ...]
    edges: tuple[tuple[int, int], ...]


JsonScalar = str | int | float | bool | None
"""A value a check may pass with a failure message: anything JSON writes as a scalar."""


@dataclass(frozen=True, slots=True)
class FigureImage:
    """One matplotlib figure the run drew, as a base64-encoded PNG."""

    format: str
    width: int
    height: int
    data: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a trusted lesson check run after the learner's code.

    A check that fails with ``fail("id", name=value)`` also carries the lesson's message id and those
    parameters, so that the bot can show the lesson's text for that id in the learner's language;
    ``message`` then holds them as readable text.
    """

    passed: bool
    message: str = ""
    message_id: str | None = None
    params: dict[str, JsonScalar] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunResult:
    """Everything a run produced; see docs/sandbox.md "The run result"."""

    status: Status
    stdout: str = ""
    value: str | None = None
    error: RunError | None = None
    warnings: tuple[str, ...] = ()
    tensors: tuple[TensorInfo, ...] = ()
    modules: tuple[ModuleInfo, ...] = ()
    graph: Graph | None = None
    graph_text: str | None = None
    check: CheckResult | None = None
    figures: tuple[FigureImage, ...] = ()
    duration_ms: float = 0.0
    seed: int | None = None
    cpu_ms: float | None = None
    failed_cell: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def with_changes(self, **changes: Any) -> RunResult:
        """Return a copy with some fields replaced."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object."""
        data = {name: _plain(getattr(self, name)) for name in _RESULT_FIELDS}
        data["status"] = self.status.value
        data.update(self.extra)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunResult:
        """Parse the contract's JSON object (unknown fields are kept in ``extra``)."""
        known = {
            "status",
            "stdout",
            "value",
            "error",
            "warnings",
            "tensors",
            "modules",
            "graph",
            "graph_text",
            "check",
            "figures",
            "duration_ms",
            "seed",
            "cpu_ms",
            "failed_cell",
        }
        error = data.get("error")
        graph = data.get("graph")
        check = data.get("check")
        return cls(
            status=Status(data["status"]),
            stdout=data.get("stdout", ""),
            value=data.get("value"),
            error=RunError(**error) if error else None,
            warnings=tuple(data.get("warnings", ())),
            tensors=tuple(TensorInfo(**{**t, "shape": tuple(t["shape"])}) for t in data.get("tensors", ())),
            modules=tuple(ModuleInfo(**m) for m in data.get("modules", ())),
            graph=Graph(
                root=graph["root"],
                nodes=tuple(
                    GraphNode(**{**n, "shape": tuple(n["shape"]) if n.get("shape") is not None else None})
                    for n in graph["nodes"]
                ),
                edges=tuple((a, b) for a, b in graph["edges"]),
            )
            if graph
            else None,
            graph_text=data.get("graph_text"),
            check=CheckResult(**check) if check else None,
            figures=tuple(FigureImage(**figure) for figure in data.get("figures", ())),
            duration_ms=float(data.get("duration_ms", 0.0)),
            seed=_optional_int(data.get("seed")),
            cpu_ms=None if data.get("cpu_ms") is None else float(data["cpu_ms"]),
            failed_cell=_optional_int(data.get("failed_cell")),
            extra={k: v for k, v in data.items() if k not in known},
        )


_RESULT_FIELDS = tuple(item.name for item in fields(RunResult) if item.name != "extra")


_PLAIN_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready data (dataclasses as dicts); ``asdict`` deep-copies, far slower."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return value
    if kind is tuple or kind is list:
        return [_plain(item) for item in value]
    if kind is dict:
        return {key: _plain(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(item.name for item in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    return value


def _optional_int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def failure(status: Status, message: str, *, stdout: str = "", duration_ms: float = 0.0) -> RunResult:
    """Build the result of a run stopped by a limit or refused, with ``error.type`` = the status."""
    error_type = status.value if status is not Status.DENIED else "PolicyError"
    return RunResult(
        status=status,
        stdout=stdout,
        error=RunError(type=error_type, message=message),
        duration_ms=duration_ms,
    )
