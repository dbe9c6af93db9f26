"""The learner's names as data: what travels, what is withheld, and what malformed evidence meets."""

from __future__ import annotations

import base64
import json

import numpy
import pytest
import torch

from sandbox import evidence


def _round_trip(**names: object) -> dict[str, object]:
    return evidence.restore(evidence.capture(names, names))


def test_plain_values_and_containers_arrive_unchanged() -> None:
    values = {
        "n": 3,
        "big": 2**80,
        "x": 0.5,
        "inf": float("inf"),
        "z": 1 + 2j,
        "s": "héllo",
        "flag": True,
        "nothing": None,
        "items": [1, (2, 3), {"a": [4]}, {5, 6}],
        "size": torch.Size([2, 3]),
        "kind": torch.float64,
        "where": torch.device("cpu"),
    }
    assert _round_trip(**values) == values


def test_a_tensor_keeps_values_dtype_shape_and_grad() -> None:
    w = torch.tensor([[1.0, -2.0], [3.5, 0.25]], dtype=torch.float64, requires_grad=True)
    (w * w).sum().backward()
    got = _round_trip(w=w)["w"]
    assert isinstance(got, torch.Tensor)
    assert got.dtype == torch.float64 and got.shape == (2, 2) and torch.equal(got.detach(), w.detach())
    assert got.requires_grad and got.is_leaf
    assert got.grad is not None and torch.equal(got.grad, w.grad)


def test_a_computed_tensor_names_its_grad_fn_and_is_not_a_leaf() -> None:
    x = torch.ones(2, 2, requires_grad=True)
    out = (x * 2).mean()
    got = _round_trip(out=out)["out"]
    assert isinstance(got, torch.Tensor)
    assert got.grad_fn is not None and got.grad_fn.name() == "MeanBackward0"
    assert not got.is_leaf and got.requires_grad
    assert got.item() == 2.0 and torch.allclose(got, torch.tensor(2.0))


def test_integer_bool_and_empty_tensors_and_parameters() -> None:
    values = {
        "ids": torch.arange(6).reshape(2, 3),
        "mask": torch.tensor([True, False]),
        "empty": torch.zeros(0, 4),
        "half": torch.tensor([1.5], dtype=torch.bfloat16),
    }
    got = _round_trip(**values)
    for name, value in values.items():
        assert torch.equal(got[name], value) and got[name].dtype == value.dtype, name  # type: ignore[arg-type]
    weight = torch.nn.Linear(2, 1).weight
    restored = _round_trip(weight=weight)["weight"]
    assert type(restored) is torch.nn.Parameter and torch.equal(restored, weight)


def test_a_non_contiguous_view_arrives_as_its_values() -> None:
    base = torch.arange(12.0).reshape(3, 4)
    assert torch.equal(_round_trip(t=base.t())["t"], base.t())  # type: ignore[arg-type]


def test_numpy_arrays_and_scalars() -> None:
    got = _round_trip(a=numpy.arange(6, dtype=numpy.int32).reshape(2, 3), s=numpy.float32(0.5))
    assert isinstance(got["a"], numpy.ndarray) and got["a"].dtype == numpy.int32
    assert got["a"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert got["s"] == numpy.float32(0.5) and isinstance(got["s"], numpy.float32)


def test_a_function_or_model_is_withheld_with_a_message_that_points_to_the_probe() -> None:
    def attention() -> None:
        return None

    got = _round_trip(attention=attention, model=torch.nn.Linear(1, 1))
    assert not callable(got["attention"]) or isinstance(got["attention"], evidence.Withheld)
    with pytest.raises(evidence.EvidenceError, match=r"'attention'.*function.*probe"):
        got["attention"]()
    with pytest.raises(evidence.EvidenceError, match=r"'model'.*Linear"):
        got["model"].weight  # noqa: B018 - reading it is the point


def test_names_too_large_to_send_are_withheld(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_BYTES", 10_000)
    got = _round_trip(small=torch.ones(3), big=torch.ones(100_000))
    assert torch.equal(got["small"], torch.ones(3))  # type: ignore[arg-type]
    with pytest.raises(evidence.EvidenceError, match="too large"):
        got["big"].sum()


def test_only_names_in_scope_are_captured() -> None:
    data = json.loads(evidence.capture({"a": 1, "b": 2}, ["a", "missing"]))
    assert data == {"names": {"a": 1}}


def test_names_read_by_a_check_include_names_given_as_strings() -> None:
    check = "for name in ('t', 'm'):\n    globals()[name]\nassert out.sum() == total\n"
    assert {"t", "m", "out", "total", "globals", "name"} <= evidence.names_read_by(check)
    assert evidence.names_read_by("this is not python (") == set()


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[]",
        b'{"names": {"x": {"$pickle": "x"}}}',
        b'{"names": {"x": {"$tensor": {"dtype": "torch.float32", "shape": [2], "data": "AAAA"}}}}',
        b'{"names": {"x": {"$tensor": {"dtype": "object", "shape": [1], "data": ""}}}}',
        b'{"names": {"x": {"$tensor": {"dtype": "torch.int8", "shape": [-1], "data": ""}}}}',
        b'{"names": {"x": {"$ndarray": {"dtype": "|O", "shape": [1], "data": "AAAAAAAAAAA="}}}}',
        b'{"names": {"x": {"$set": [[1, 2]]}}}',
        b'{"names": {"x": {"$tensor": {"dtype": "torch.float32", "shape": [], "data": "AACAPw==", '
        b'"requires_grad": true, "is_leaf": false, "grad_fn": "no such name!"}}}}',
    ],
    ids=["json", "shape", "kind", "bytes", "dtype", "negative", "object-array", "unhashable", "node-name"],
)
def test_malformed_evidence_is_refused(data: bytes) -> None:
    with pytest.raises(evidence.EvidenceError):
        evidence.restore(data)


def test_a_deeply_nested_value_is_refused() -> None:
    nested = 1
    for _ in range(200):
        nested = [nested]  # type: ignore[assignment]
    with pytest.raises(evidence.EvidenceError):
        evidence.restore(json.dumps({"names": {"x": nested}}))


def test_tensor_bytes_are_read_as_the_declared_dtype_only() -> None:
    raw = base64.b64encode(numpy.array([1.0, 2.0], dtype=numpy.float32).tobytes()).decode()
    body = {"dtype": "torch.float32", "shape": [2], "data": raw, "requires_grad": False}
    got = evidence.restore(json.dumps({"names": {"x": {"$tensor": body}}}))["x"]
    assert isinstance(got, torch.Tensor) and got.tolist() == [1.0, 2.0]


def test_a_large_tensor_inside_a_container_travels_like_one_alone() -> None:
    got = _round_trip(pair=(torch.zeros(200_000), "head"))
    assert isinstance(got["pair"], tuple) and got["pair"][1] == "head"
    assert torch.equal(got["pair"][0], torch.zeros(200_000))


@pytest.mark.parametrize(
    "use", [len, list, lambda v: v[0], lambda v: 1 in v], ids=["len", "iter", "item", "in"]
)
def test_every_use_of_a_withheld_value_says_to_read_it_in_the_probe(use) -> None:
    withheld = _round_trip(f=print)["f"]
    with pytest.raises(evidence.EvidenceError, match="probe"):
        use(withheld)


def test_the_interpreters_own_names_never_travel() -> None:
    assert json.loads(evidence.capture({"__builtins__": {}, "x": 1}, ["__builtins__", "x"])) == {
        "names": {"x": 1}
    }
    assert evidence.restore(b'{"names": {"__builtins__": {"$dict": []}, "x": 1}}') == {"x": 1}


def test_names_a_probe_binds_at_top_level() -> None:
    probe = (
        "import numbers as nums\n"
        "for i, (a, b) in enumerate(pairs):\n    seen = a\n"
        "try:\n    got = f(1)\nexcept ValueError as error:\n    why = str(error)\n"
        "def helper(inner):\n    hidden = inner\n    return hidden\n"
        "squares = [k * k for k in range(3)]\n"
        "with open_thing() as handle:\n    pass\n"
    )
    bound = evidence.names_bound_by(probe)
    assert bound == {"nums", "i", "a", "b", "seen", "got", "error", "why", "helper", "squares", "handle"}


def test_frozensets_and_numpy_strings_arrive_as_themselves() -> None:
    values = {
        "keys": {frozenset({1}): "a"},
        "nested": {frozenset({2, 3})},
        "worst": numpy.array(["shirt"])[0],
    }
    got = _round_trip(**values)
    assert got["keys"] == {frozenset({1}): "a"} and got["nested"] == {frozenset({2, 3})}
    assert got["worst"] == "shirt" and type(got["worst"]) is str


def test_items_are_bounded_per_name_in_both_directions() -> None:
    big = [0] * 99_000
    got = _round_trip(a=big, b=big, c=big)
    assert got["c"] == big


def test_a_whole_number_is_never_cut() -> None:
    assert _round_trip(n=10**4000)["n"] == 10**4000
    with pytest.raises(evidence.EvidenceError):
        evidence.restore(json.dumps({"names": {"n": {"$int": "9" * 5000}}}))
