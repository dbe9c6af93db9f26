"""The sweep: every public name of torch, torch.Tensor, torch.nn.functional and numpy is classified.

A new torch or numpy version that adds names fails here, listing them, until each is allowed or refused
with a reason in ``sandbox/surface/classified/``. Until then the sandbox refuses them as unclassified.
"""

from __future__ import annotations

import pkgutil

import numpy
import pytest
import torch
import torch.nn.functional

from sandbox import executor
from sandbox.surface.classified import Classified
from sandbox.surface.classified.functional_names import FUNCTIONAL
from sandbox.surface.classified.numpy_names import NUMPY
from sandbox.surface.classified.tensor_names import TENSOR
from sandbox.surface.classified.torch_names import TORCH
from sandbox.warmup_snippets import PRELOAD

SWEEP = [
    pytest.param(torch, TORCH, id="torch"),
    pytest.param(torch.Tensor, TENSOR, id="torch.Tensor"),
    pytest.param(torch.nn.functional, FUNCTIONAL, id="torch.nn.functional"),
    pytest.param(numpy, NUMPY, id="numpy"),
]


@pytest.fixture(scope="module", autouse=True)
def _as_in_the_warm_parent() -> None:
    """Import what the warm parent imports: some names of torch appear only once submodules load."""
    for name in PRELOAD:
        __import__(name)
    executor._prepare()


def _public(obj: object) -> list[str]:
    return sorted(name for name in dir(obj) if not name.startswith("_"))


@pytest.mark.parametrize(("obj", "table"), SWEEP)
def test_every_public_name_is_allowed_or_refused_with_a_reason(obj: object, table: Classified) -> None:
    unclassified = [name for name in _public(obj) if not table.is_classified(name)]
    assert unclassified == [], f"classify these names of {table.label} in sandbox/surface/classified/"


@pytest.mark.parametrize(("obj", "table"), SWEEP)
def test_no_name_is_both_allowed_and_refused(obj: object, table: Classified) -> None:
    assert table.allowed.isdisjoint(table.refused)


@pytest.mark.parametrize(("obj", "table"), SWEEP)
def test_every_refusal_says_why(obj: object, table: Classified) -> None:
    assert all(reason.strip() for reason in table.refused.values())


MEMORY_UNSAFE = [
    pytest.param(
        TORCH, "as_strided frombuffer from_file unsafe_chunk unsafe_split sparse_coo_tensor", id="torch"
    ),
    pytest.param(
        TORCH, "sparse_coo sparse_csr nested UntypedStorage TypedStorage", id="torch-layouts-storages"
    ),
    pytest.param(
        TENSOR,
        "data_ptr const_data_ptr storage untyped_storage set_ as_strided as_strided_ to_sparse indices "
        "values crow_indices col_indices unsafe_chunk unsafe_split share_memory_ to_padded_tensor",
        id="Tensor",
    ),
    pytest.param(NUMPY, "frombuffer fromfile load memmap ctypeslib lib recarray from_dlpack", id="numpy"),
]


@pytest.mark.parametrize(("table", "names"), MEMORY_UNSAFE)
def test_memory_unsafe_names_are_refused(table: Classified, names: str) -> None:
    assert [name for name in names.split() if table.reason(name) is None] == []


def test_a_name_no_version_has_is_refused_as_unclassified() -> None:
    assert TORCH.reason("frobnicate_") == "it is new in this version and not yet classified for the sandbox"


@pytest.mark.parametrize(("package", "table"), [(torch, TORCH), (numpy, NUMPY)], ids=["torch", "numpy"])
def test_every_submodule_is_classified_even_before_it_is_imported(package: object, table: Classified) -> None:
    path = package.__path__  # type: ignore[attr-defined]
    names = [module.name for module in pkgutil.iter_modules(path) if not module.name.startswith("_")]
    assert [name for name in names if not table.is_classified(name)] == []
