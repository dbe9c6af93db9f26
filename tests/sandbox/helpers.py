"""Shared assertions for sandbox tests."""

from __future__ import annotations

from sandbox.result import RunResult, Status


def assert_denied(result: RunResult, *names: str) -> None:
    """Assert the run was refused by the policy with a message naming every one of ``names``."""
    assert result.status is Status.DENIED, (result.status, result.error, result.stdout)
    assert result.error is not None
    for name in names:
        assert name in result.error.message, (name, result.error.message)


def assert_next_run_works(run) -> None:
    """Assert a fresh run is served normally after a hostile one."""
    result = run("1+1")
    assert result.status is Status.OK, result.error
    assert result.value == "2"
