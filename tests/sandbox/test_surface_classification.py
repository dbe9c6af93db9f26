"""Every public name of the native surfaces is classified, allowed or refused with a reason.

When torch or numpy is upgraded, names they add fail here until someone reviews them and adds them to
``sandbox/surface/classified.py`` (until then the sandbox refuses them: the surfaces are allow-lists).
"""

from __future__ import annotations

import numpy
import pytest
import torch
import torch.nn.functional

from sandbox.surface import classified
from sandbox.surface.catalog import NOT_CLASSIFIED, _classified

SURFACES = {
    "TORCH": torch,
    "TENSOR": torch.Tensor,
    "FUNCTIONAL": torch.nn.functional,
    "NUMPY": numpy,
    "NDARRAY": numpy.ndarray,
    "NUMPY_SCALAR": numpy.generic,
    "MODULE": torch.nn.Module,
}


def public_names(obj: object) -> set[str]:
    lazy = set(getattr(obj, "_lazy_modules", ()))  # torch's submodules that appear once imported
    return {name for name in set(dir(obj)) | lazy if not name.startswith("_")}


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_every_public_name_is_classified(surface: str) -> None:
    allowed = getattr(classified, f"{surface}_ALLOWED")
    refused = getattr(classified, f"{surface}_REFUSED")
    unclassified = sorted(public_names(SURFACES[surface]) - allowed - set(refused))
    assert not unclassified, (
        f"review these names of {surface} and add each to {surface}_ALLOWED or {surface}_REFUSED "
        f"(with the reason learners will read): {unclassified}"
    )


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_no_name_is_both_allowed_and_refused(surface: str) -> None:
    allowed = getattr(classified, f"{surface}_ALLOWED")
    refused = getattr(classified, f"{surface}_REFUSED")
    assert not allowed & set(refused)


@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_every_refusal_says_why(surface: str) -> None:
    refused = getattr(classified, f"{surface}_REFUSED")
    assert all(isinstance(reason, str) and len(reason) > 10 for reason in refused.values())


MEMORY_UNSAFE = {
    "TORCH": "as_strided as_strided_ as_strided_scatter frombuffer from_file sparse_coo_tensor "
    "sparse_csr_tensor unsafe_split unsafe_chunk nested empty_quantized",
    "TENSOR": "data_ptr const_data_ptr storage untyped_storage set_ as_strided as_strided_ to_sparse "
    "to_sparse_csr indices values crow_indices col_indices unsafe_split share_memory_",
    "NUMPY": "frombuffer fromfile memmap lib ctypeslib ScalarType matrix recarray fromstring nditer",
    "NDARRAY": "ctypes data setflags getfield setfield tofile dump dumps",
}


@pytest.mark.parametrize("surface", sorted(MEMORY_UNSAFE))
def test_memory_unsafe_names_are_refused(surface: str) -> None:
    refused = getattr(classified, f"{surface}_REFUSED")
    present = public_names(SURFACES[surface])
    for name in MEMORY_UNSAFE[surface].split():
        if name in present:
            assert name in refused, name


def test_a_name_nobody_classified_is_refused_at_run_time() -> None:
    rule = _classified(frozenset({"known"}), {"bad": "it is bad"})
    assert rule("known", object()) is None
    assert rule("bad", object()) == "it is bad"
    assert rule("added_in_a_new_version", object()) == NOT_CLASSIFIED
