"""Fixtures shared across the test tree: the in-memory fakes at our own seams."""

import pytest

from tests.fakes import FakeClock, FakeSandbox, FakeStore


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def sandbox() -> FakeSandbox:
    return FakeSandbox()
