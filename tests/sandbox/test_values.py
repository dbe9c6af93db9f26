"""The value gate: whatever reaches learner code by iteration, next(), unpacking, with or except is vetted.

These call the gate directly (in this process, no snippet runs) with values learner code can no longer
reach through the surface, to prove the gate holds on its own.
"""

from __future__ import annotations

import os
import sys
import types

import numpy
import pytest
import torch
from RestrictedPython.Guards import guarded_unpack_sequence

from sandbox import executor
from sandbox.policy import values
from sandbox.policy.errors import JOURNAL, PolicyDenied
from sandbox.surface.proxy import ModuleProxy
from sandbox.surface.views import ClassView


@pytest.fixture(autouse=True)
def _policy() -> None:
    executor._prepare()
    JOURNAL.reset()


def test_iteration_turns_modules_into_their_proxies() -> None:
    (item,) = list(values.guarded_iter([numpy]))
    assert isinstance(item, ModuleProxy)


def test_iteration_refuses_modules_outside_the_surface() -> None:
    with pytest.raises(PolicyDenied, match="module 'os'"):
        list(values.guarded_iter([os]))


def test_iteration_turns_withheld_classes_into_uncallable_views() -> None:
    (item,) = list(values.guarded_iter((memoryview,)))
    assert isinstance(item, ClassView)
    with pytest.raises(PolicyDenied, match="creating 'memoryview' objects"):
        item(b"x")


def test_iteration_refuses_code_objects() -> None:
    with pytest.raises(PolicyDenied, match="code objects"):
        list(values.guarded_iter([test_iteration_refuses_code_objects.__code__]))


def test_dict_items_are_vetted_when_unpacked() -> None:
    spec = {"min_len": 2, "childs": ()}
    with pytest.raises(PolicyDenied, match="module 'sys'"):
        for pair in values.guarded_iter({"sys": sys}.items()):
            guarded_unpack_sequence(pair, spec, values.guarded_iter)


def test_next_vets_the_item() -> None:
    with pytest.raises(PolicyDenied, match="frames"):
        values.learner_next(iter([sys._getframe()]))


def test_iter_with_a_sentinel_vets_items() -> None:
    source = iter([test_iter_with_a_sentinel_vets_items.__code__, None])
    with pytest.raises(PolicyDenied, match="code objects"):
        list(values.learner_iter(lambda: next(source), None))


def test_max_and_min_vet_the_chosen_item() -> None:
    assert isinstance(values.learner_max([memoryview], key=repr), ClassView)
    assert isinstance(values.learner_min([types.FunctionType], key=repr), ClassView)


def test_with_target_is_vetted() -> None:
    class Opens:
        def __enter__(self) -> object:
            return os

        def __exit__(self, *exc: object) -> bool:
            return False

    with pytest.raises(PolicyDenied, match="'with'"), values.VettedContext(Opens()):
        pass


def test_with_keeps_the_managers_exit_semantics() -> None:
    class Swallows:
        def __enter__(self) -> int:
            return 1

        def __exit__(self, *exc: object) -> bool:
            return True

    with values.VettedContext(Swallows()) as value:
        assert value == 1
        raise ValueError("swallowed")


def test_with_on_a_non_manager_says_so() -> None:
    with pytest.raises(TypeError, match="context manager protocol"), values.VettedContext(1):
        pass


def test_exception_objects_are_vetted() -> None:
    error = ValueError("x")
    assert values.vet_exception(error) is error


def test_tensors_and_plain_data_pass_untouched() -> None:
    tensor = torch.ones(2)
    assert list(values.guarded_iter([tensor, 1, "a", (2,)])) == [tensor, 1, "a", (2,)]
    assert type(values.guarded_iter(tensor)) is not types.GeneratorType
