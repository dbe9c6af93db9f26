"""The learner's names as plain data, so a lesson check can decide in a child where no learner code ran.

A check has two halves. The *probe* (optional, trusted code) runs in the learner's child after the learner's
code: it calls the learner's functions and models and binds what it saw to names. ``capture`` then turns the
names the check reads into data: numbers, strings, lists, tuples, dicts, sets, tensors (values, dtype, shape,
``requires_grad``, ``grad``, whether they are leaves), numpy arrays and scalars, dtypes, sizes and devices.
Anything else (a function, a model, an object of the learner's class) travels as ``Withheld``: using it in the
check raises an error that says to read it in the probe. The *check* then runs in a fresh child that has run
only the lesson's setup, over ``restore``'s copy of that data.

After learner code has run, the learner's child is not trusted, so neither is what it captured: ``restore``
reads it as JSON plus raw bytes of known dtypes and sizes, never unpickles or evaluates anything, and refuses
anything malformed (the check then fails). A learner who escapes the language layer can still lie about what
their code computed, but cannot write the check's verdict.
"""

from __future__ import annotations

import ast
import base64
import binascii
import collections
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy
import torch

MAX_EVIDENCE_BYTES = 4 * 2**20
"""The captured data's JSON size; a name that does not fit travels as ``Withheld``."""
MAX_ITEMS = 100_000
MAX_NUMBERS = 4 * 2**20
_INT_DIGITS = 4300  # Python's own limit for converting text to int
MAX_DEPTH = 32

_DTYPES: dict[str, torch.dtype] = {
    str(dtype): dtype
    for dtype in (
        torch.float16,
        torch.bfloat16,
        torch.float32,
        torch.float64,
        torch.complex64,
        torch.complex128,
        torch.uint8,
        torch.int8,
        torch.int16,
        torch.int32,
        torch.int64,
        torch.bool,
    )
}
_NUMPY_KINDS = frozenset("biufc")  # bool, int, unsigned, float, complex: plain bytes, no objects


class EvidenceError(ValueError):
    """What a learner's child captured cannot be read as evidence."""


class Withheld:
    """A learner's value that is not data: the check cannot use it (the probe should read it instead)."""

    __slots__ = ("_name", "_reason")

    def __init__(self, name: str, reason: str) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_reason", reason)

    def _refuse(self) -> EvidenceError:
        name = object.__getattribute__(self, "_name")
        reason = object.__getattribute__(self, "_reason")
        return EvidenceError(
            f"the check cannot use {name!r}: {reason}; read what the check needs from it in the "
            "exercise's probe and bind that to a name"
        )

    def __getattr__(self, attribute: str) -> Any:
        """Refuse: a withheld value has nothing to read."""
        raise self._refuse()

    def __call__(self, *args: object, **kwargs: object) -> Any:
        """Refuse: a withheld value cannot be called."""
        raise self._refuse()

    def __len__(self) -> int:
        """Refuse: a withheld value has no length."""
        raise self._refuse()

    def __iter__(self) -> Any:
        """Refuse: a withheld value cannot be iterated."""
        raise self._refuse()

    def __getitem__(self, key: object) -> Any:
        """Refuse: a withheld value has no items."""
        raise self._refuse()

    def __contains__(self, item: object) -> bool:
        """Refuse: a withheld value holds nothing to look in."""
        raise self._refuse()

    def __repr__(self) -> str:
        return f"<withheld {object.__getattribute__(self, '_name')}>"


def names_read_by(check: str) -> set[str]:
    """Return every identifier the check's code mentions, as a name or as a string (``globals()["x"]``)."""
    try:
        tree = ast.parse(check)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            found.add(node.value)
    return found


_OWN_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


def names_bound_by(probe: str) -> set[str]:
    """Return the top-level names a probe may bind (assignments, loops, imports, ``with``/``except`` targets).

    The learner's values under these names are dropped before the probe runs, so that a name the probe
    leaves unbound on some path reaches the check as missing, never as a value the learner planted.
    """
    try:
        tree = ast.parse(probe)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    found: set[str] = set()
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            found.add(node.id)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).partition(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.ExceptHandler):
            found.add(node.name or "")
        if isinstance(node, _OWN_SCOPES):
            stack.extend(getattr(node, "decorator_list", ()))  # the body binds in a scope of its own
            continue
        stack.extend(ast.iter_child_nodes(node))
    found.discard("")
    return found


def capture(scope: Mapping[str, Any], names: Iterable[str]) -> bytes:
    """Return the named values of ``scope`` as evidence (JSON bytes), each within the size bound."""
    encoded: dict[str, Any] = {}
    budget = MAX_EVIDENCE_BYTES
    for name in sorted(set(names)):
        if name not in scope or name.startswith("__"):  # the interpreter's own names are the check's
            continue
        try:
            item = _Encoder().encode(scope[name], 0)
            size = len(json.dumps(item))
        except _NotData as exc:
            item, size = {"$withheld": str(exc)}, 0
        except (RecursionError, MemoryError, OverflowError, RuntimeError, ValueError, TypeError):
            item, size = {"$withheld": "it could not be read as data"}, 0
        if size > budget:
            item = {"$withheld": f"it is too large to send as data ({size // 1024} KiB)"}
        else:
            budget -= size
        encoded[name] = item
    return json.dumps({"names": encoded}).encode()


class _NotData(Exception):
    """The value is not one of the kinds evidence carries."""


class _Encoder:
    def __init__(self) -> None:
        self.items = 0  # containers and scalars
        self.numbers = 0  # elements of tensors and arrays, bounded apart (the byte budget binds first)

    def encode(self, value: Any, depth: int) -> Any:
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise _NotData("it is nested too deeply or holds too many items")
        kind = type(value)
        if value is None or kind is bool or kind is str:
            return value
        if kind is int:
            return value if abs(value) < 2**63 else {"$int": str(value)}
        if kind is float:
            return value if math.isfinite(value) else {"$float": repr(value)}
        if kind is complex:
            return {"$complex": [self.encode(value.real, depth), self.encode(value.imag, depth)]}
        if kind is list:
            return [self.encode(item, depth + 1) for item in list.__iter__(value)]
        if kind is tuple:
            return {"$tuple": [self.encode(item, depth + 1) for item in tuple.__iter__(value)]}
        if kind is set or kind is frozenset:
            tag = "$set" if kind is set else "$frozenset"
            return {tag: [self.encode(item, depth + 1) for item in set.__iter__(set(value))]}
        if kind is dict or kind is collections.OrderedDict:
            pairs = dict.items(value)
            return {"$dict": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in pairs]}
        if kind is torch.Tensor or kind is torch.nn.Parameter:
            return self.tensor(value, depth)
        if kind is torch.dtype:
            return {"$dtype": str(value)}
        if kind is torch.Size:
            return {"$size": [int(n) for n in tuple.__iter__(value)]}
        if kind is torch.device:
            return {"$device": str(value)}
        if kind is numpy.str_:
            return str(value)
        if kind is numpy.ndarray:
            return {"$ndarray": self.array(value)}
        if isinstance(value, numpy.generic) and type(value).__module__ == "numpy":
            return {"$npscalar": self.array(numpy.asarray(value))}
        raise _NotData(f"it is a {_type_name(value)}, not data")

    def tensor(self, value: torch.Tensor, depth: int) -> dict[str, Any]:
        if value.layout is not torch.strided or value.is_nested or value.device.type != "cpu":
            raise _NotData("it is a tensor that is not a plain dense CPU tensor")
        if value.is_quantized or str(value.dtype) not in _DTYPES:
            raise _NotData(f"it is a tensor of dtype {value.dtype}")
        plain = torch.Tensor.detach(value).resolve_conj().resolve_neg().contiguous()
        self.numbers += plain.numel()
        if self.numbers > MAX_NUMBERS:
            raise _NotData("it holds too many numbers")
        raw = plain.reshape(-1).view(torch.uint8).numpy().tobytes() if plain.numel() else b""
        record: dict[str, Any] = {
            "dtype": str(value.dtype),
            "shape": [int(n) for n in value.shape],
            "data": base64.b64encode(raw).decode("ascii"),
            "requires_grad": bool(value.requires_grad),
            "is_leaf": bool(value.is_leaf),
            "grad_fn": None if value.grad_fn is None else str(value.grad_fn.name()),
        }
        grad = value.grad if value.is_leaf else None
        record["grad"] = None if grad is None else self.tensor(grad, depth + 1)
        if type(value) is torch.nn.Parameter:
            record["parameter"] = True
        return {"$tensor": record}

    def array(self, value: numpy.ndarray[Any, Any]) -> dict[str, Any]:
        if value.dtype.kind not in _NUMPY_KINDS or value.dtype.hasobject:
            raise _NotData(f"it is a numpy array of dtype {value.dtype}")
        self.numbers += int(value.size)
        if self.numbers > MAX_NUMBERS:
            raise _NotData("it holds too many numbers")
        return {
            "dtype": value.dtype.str,
            "shape": [int(n) for n in value.shape],
            "data": base64.b64encode(value.tobytes(order="C")).decode("ascii"),
        }


def _type_name(value: object) -> str:
    name = type.__getattribute__(type(value), "__qualname__")
    return name[:100] if isinstance(name, str) else "object"


def restore(data: bytes | str) -> dict[str, Any]:
    """Rebuild the captured names; raise ``EvidenceError`` if the data is not well-formed evidence."""
    if len(data) > MAX_EVIDENCE_BYTES * 2:
        raise EvidenceError("the evidence is larger than allowed")
    try:
        body = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise EvidenceError(f"the evidence is not JSON: {exc}") from exc
    names = body.get("names") if isinstance(body, dict) else None
    if not isinstance(names, dict):
        raise EvidenceError("the evidence holds no names")
    return {
        name: _Decoder().decode(item, 0, name)  # bounded per name, as capture bounds them
        for name, item in names.items()
        if isinstance(name, str) and name.isidentifier() and not name.startswith("__")
    }


class _Decoder:
    def __init__(self) -> None:
        self.items = 0

    def decode(self, item: Any, depth: int, name: str) -> Any:
        self.items += 1
        if depth > MAX_DEPTH + 2 or self.items > MAX_ITEMS * 2:
            raise EvidenceError("the evidence is nested too deeply or holds too many items")
        if item is None or isinstance(item, bool | int | float | str):
            return item
        if isinstance(item, list):
            return [self.decode(x, depth + 1, name) for x in item]
        if not isinstance(item, dict) or len(item) != 1:
            raise EvidenceError(f"malformed evidence for {name!r}")
        ((tag, body),) = item.items()
        if tag == "$withheld":
            return Withheld(name, _text(body))
        if tag == "$tuple":
            return tuple(self.decode(x, depth + 1, name) for x in _list(body))
        if tag == "$set":
            return {_hashable(self.decode(x, depth + 1, name)) for x in _list(body)}
        if tag == "$frozenset":
            return frozenset(_hashable(self.decode(x, depth + 1, name)) for x in _list(body))
        if tag == "$dict":
            pairs = [_list(pair) for pair in _list(body)]
            if any(len(pair) != 2 for pair in pairs):
                raise EvidenceError(f"malformed dict in the evidence for {name!r}")
            return {
                _hashable(self.decode(k, depth + 1, name)): self.decode(v, depth + 1, name) for k, v in pairs
            }
        if tag == "$int":
            if not isinstance(body, str) or len(body) > _INT_DIGITS:
                raise EvidenceError(f"malformed whole number in the evidence for {name!r}")
            return int(body)
        if tag == "$float":
            return float(_text(body))
        if tag == "$complex":
            real, imag = _list(body)
            return complex(float(real), float(imag))
        if tag == "$tensor":
            return self.tensor(body, depth, name)
        if tag == "$dtype":
            return _dtype(body)
        if tag == "$size":
            return torch.Size(int(n) for n in _list(body))
        if tag == "$device":
            return torch.device(_text(body))
        if tag == "$ndarray":
            return _array(body)
        if tag == "$npscalar":
            return _array(body)[()]
        raise EvidenceError(f"unknown kind {tag!r} in the evidence for {name!r}")

    def tensor(self, body: Any, depth: int, name: str) -> torch.Tensor:
        if not isinstance(body, dict):
            raise EvidenceError(f"malformed tensor in the evidence for {name!r}")
        dtype = _dtype(body.get("dtype"))
        shape = _shape(body.get("shape"))
        raw = _bytes(body.get("data"))
        count = math.prod(shape)
        size = torch.empty((), dtype=dtype).element_size()
        if len(raw) != count * size:
            raise EvidenceError(
                f"the tensor in the evidence for {name!r} has {len(raw)} bytes, not {count * size}"
            )
        flat = torch.frombuffer(bytearray(raw), dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensor = flat.reshape(shape).clone()
        trainable = body.get("requires_grad") is True and (dtype.is_floating_point or dtype.is_complex)
        grad_fn = body.get("grad_fn")
        if trainable and body.get("is_leaf") is False and isinstance(grad_fn, str):
            # Computed by the learner's code: a stand-in that is not a leaf and names its grad_fn.
            return _computed(tensor, grad_fn)
        if body.get("parameter") is True:
            tensor = torch.nn.Parameter(tensor, requires_grad=trainable)
        elif trainable:
            tensor.requires_grad_(True)
        if trainable:
            grad = body.get("grad")
            if grad is not None:
                restored = self.decode(grad, depth + 1, name)
                if isinstance(restored, torch.Tensor) and restored.shape == tensor.shape:
                    tensor.grad = restored.detach().to(dtype)
        return tensor


class RecordedNode:
    """Stands for the autograd node that made a learner's tensor: it keeps the node's name, nothing else."""

    def name(self) -> str:
        """Return the node's name, as ``grad_fn.name()`` did in the learner's run."""
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[()]:
        """The graph behind the node is not kept: a probe must walk it in the learner's run."""
        return ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


_NODE_TYPES: dict[str, type[RecordedNode]] = {}
_TENSOR_BASE: dict[str, Any] = dict(vars(torch._C.TensorBase))


class ComputedTensor(torch.Tensor):
    """A tensor the learner's code computed: ``is_leaf`` is False and ``grad_fn`` names the recorded node."""

    @property
    def grad_fn(self) -> Any:  # type: ignore[override]
        """Return the recorded node (tensors computed from this one have their own, real grad_fn)."""
        node = self.__dict__.get("_recorded_node")
        return node if node is not None else _TENSOR_BASE["grad_fn"].__get__(self)

    @property
    def is_leaf(self) -> bool:  # type: ignore[override]
        """Return False for the learner's computed tensor itself."""
        if self.__dict__.get("_recorded_node") is not None:
            return False
        return bool(_TENSOR_BASE["is_leaf"].__get__(self))


def _computed(values: torch.Tensor, node_name: str) -> torch.Tensor:
    if not node_name.isidentifier() or len(node_name) > 64:
        raise EvidenceError(f"malformed grad_fn name {node_name[:80]!r} in the evidence")
    node_type = _NODE_TYPES.get(node_name)
    if node_type is None:
        node_type = _NODE_TYPES[node_name] = type(node_name, (RecordedNode,), {"__slots__": ()})
    made = ComputedTensor._make_subclass(ComputedTensor, values, True)
    made.__dict__["_recorded_node"] = node_type()
    return made


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise EvidenceError("malformed evidence: expected text")
    return value[:4000]


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise EvidenceError("malformed evidence: expected a list")
    return value


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError as exc:
        raise EvidenceError("malformed evidence: an unhashable key") from exc
    return value


def _dtype(value: Any) -> torch.dtype:
    dtype = _DTYPES.get(value) if isinstance(value, str) else None
    if dtype is None:
        raise EvidenceError(f"unknown dtype {value!r} in the evidence")
    return dtype


def _shape(value: Any) -> tuple[int, ...]:
    dims = _list(value)
    if len(dims) > 64 or not all(
        isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**31 for n in dims
    ):
        raise EvidenceError("malformed shape in the evidence")
    return tuple(dims)


def _bytes(value: Any) -> bytes:
    if not isinstance(value, str) or len(value) > MAX_EVIDENCE_BYTES * 2:
        raise EvidenceError("malformed data in the evidence")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EvidenceError("malformed data in the evidence") from exc


def _array(body: Any) -> numpy.ndarray[Any, Any]:
    if not isinstance(body, dict):
        raise EvidenceError("malformed array in the evidence")
    try:
        dtype = numpy.dtype(_text(body.get("dtype")))
    except TypeError as exc:
        raise EvidenceError("unknown numpy dtype in the evidence") from exc
    if dtype.kind not in _NUMPY_KINDS or dtype.hasobject:
        raise EvidenceError(f"numpy dtype {dtype} is not allowed in the evidence")
    shape = _shape(body.get("shape"))
    raw = _bytes(body.get("data"))
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise EvidenceError("an array in the evidence has the wrong number of bytes")
    return numpy.frombuffer(raw, dtype=dtype).reshape(shape).copy()
