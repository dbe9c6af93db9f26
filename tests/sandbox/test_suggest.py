"""The NameError suggestion matches what CPython itself prints for the same code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sandbox.suggest import closest, name_error_suggestion

CASES = [
    "learning_rate = 1\nprint(learning_rat)",
    "Total = 1\nprint(total)",
    "abc = 1\nabd = 2\nprint(abe)",
    "x = 1\nprint(xyzzy)",
    "def f():\n    value = 1\n    return valeu\nf()",
    "print(lenn)",
    "lr = 1\nprint(rl)",
]


def python_says(code: str) -> str | None:
    """Return the suggestion CPython prints for ``code``'s NameError, if any."""
    printed = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True).stderr
    last = printed.splitlines()[-1]
    return last.split("Did you mean: '")[1].rstrip("'?") if "Did you mean" in last else None


@pytest.mark.parametrize("code", CASES)
def test_suggestion_is_the_one_python_prints(code: str) -> None:
    namespace: dict[str, object] = {}
    with pytest.raises(NameError) as raised:
        exec(compile(code, "<snippet>", "exec"), namespace)
    assert name_error_suggestion(raised.value) == python_says(code)


def test_names_starting_with_an_underscore_are_never_suggested() -> None:
    assert closest("getattr_", ["_getattr_"]) is None


def test_an_error_raised_by_hand_gets_no_suggestion() -> None:
    assert name_error_suggestion(NameError("x")) is None
