"""When a check is decided in a child of its own, and how its outcome joins the learner's result."""

from __future__ import annotations

from sandbox import verdict
from sandbox.executor import run_inline
from sandbox.result import CheckResult, RunError, RunRequest, RunResult, Status

CHECKED = RunRequest(code="x = 1", setup="base = 2", check="assert x == 1", probe="y = 2")


def test_a_run_that_ended_well_needs_a_verdict() -> None:
    assert verdict.needed(CHECKED, RunResult(status=Status.OK))


def test_a_claimed_pass_still_needs_a_verdict() -> None:
    assert verdict.needed(CHECKED, RunResult(status=Status.OK, check=CheckResult(passed=True)))


def test_a_failure_the_probe_reported_needs_none() -> None:
    assert not verdict.needed(CHECKED, RunResult(status=Status.OK, check=CheckResult(passed=False)))


def test_a_failed_run_or_a_run_without_a_check_needs_none() -> None:
    assert not verdict.needed(CHECKED, RunResult(status=Status.ERROR))
    assert not verdict.needed(RunRequest(code="x = 1"), RunResult(status=Status.OK))


def test_the_verdict_request_runs_setup_and_check_over_the_evidence_only() -> None:
    decided = verdict.request_for(CHECKED, b'{"names": {"x": 1}}')
    assert decided.code == "" and decided.setup == "base = 2" and decided.check == "assert x == 1"
    assert decided.probe is None and decided.evidence == '{"names": {"x": 1}}'
    assert verdict.request_for(CHECKED, None).evidence == '{"names": {}}'


def test_merge_takes_the_decided_check() -> None:
    merged = verdict.merge(
        RunResult(status=Status.OK, value="1", check=CheckResult(passed=True)),
        RunResult(status=Status.OK, check=CheckResult(passed=False, message="no")),
    )
    assert merged.value == "1" and merged.check == CheckResult(passed=False, message="no")


def test_merge_fails_the_check_when_no_verdict_was_reached() -> None:
    timed_out = RunResult(
        status=Status.TIMEOUT, error=RunError(type="timeout", message="Time limit of 5 s reached")
    )
    merged = verdict.merge(RunResult(status=Status.OK), timed_out)
    assert merged.check == CheckResult(
        passed=False, message="the check could not be run: Time limit of 5 s reached"
    )


def test_the_check_runs_against_the_setup_and_the_probed_names() -> None:
    result = run_inline(
        RunRequest(
            code="def double(v):\n    return 2 * v\n",
            setup="import torch\ndef make(n):\n    return torch.arange(n)\n",
            probe="doubled = double(make(3))",
            check="assert torch.equal(doubled, 2 * make(3)), 'not doubled'",
        )
    )
    assert result.check == CheckResult(passed=True)


def test_a_check_that_calls_a_learner_function_is_told_to_use_the_probe() -> None:
    result = run_inline(RunRequest(code="def f():\n    return 1\n", check="assert f() == 1"))
    assert result.check is not None and not result.check.passed
    assert "probe" in result.check.message and "'f'" in result.check.message


def test_a_name_the_probe_leaves_unbound_is_missing_not_the_learners() -> None:
    # The learner plants the probe's output name; the probe binds it only when the function exists.
    code = "got = 42\n"
    probe = "if callable(globals().get('answer')):\n    got = answer()\n"
    check = "assert globals().get('got') == 42, 'planted'"
    result = run_inline(RunRequest(code=code, probe=probe, check=check))
    assert result.check == CheckResult(passed=False, message="planted")


def test_forged_evidence_of_any_shape_fails_the_check_with_its_reason() -> None:
    forged = RunRequest(code="", check="assert True", evidence='{"names": {"z": {"$complex": [[1], 2]}}}')
    result = run_inline(forged)
    assert result.status is Status.OK and result.check is not None and not result.check.passed
    assert result.check.message.startswith("check crashed:")
