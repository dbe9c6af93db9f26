"""Deciding a check out of the learner's reach: when it is needed, the request that decides it, the merge.

The learner's child runs the learner's code and the check's probe, then sends the names the check reads as
evidence. Whatever that child says about the check afterwards may be forged, except a failure it reports
against itself (its probe failed the exercise). Otherwise a fresh child, in which only the lesson's setup and
the check run, decides over the evidence; its outcome replaces anything the learner's child claimed.
"""

from __future__ import annotations

from sandbox.result import CheckResult, RunRequest, RunResult, Status

_NO_EVIDENCE = b'{"names": {}}'


def needed(request: RunRequest, result: RunResult) -> bool:
    """Tell whether ``result`` of ``request`` still needs its check decided in a fresh child."""
    if not request.check or request.evidence is not None or result.status is not Status.OK:
        return False
    return result.check is None or result.check.passed


def request_for(request: RunRequest, evidence: bytes | None) -> RunRequest:
    """Return the request that decides ``request``'s check over ``evidence`` (none sent: no names)."""
    return RunRequest(
        code="",
        setup=request.setup,
        check=request.check,
        evidence=(evidence or _NO_EVIDENCE).decode("utf-8", "replace"),
        limits=request.limits,
    )


def merge(result: RunResult, decided: RunResult) -> RunResult:
    """Return ``result`` with the check ``decided`` reached (failed, saying why, if it reached none)."""
    if decided.status is Status.OK and decided.check is not None:
        return result.with_changes(check=decided.check)
    reason = decided.error.message if decided.error is not None else decided.status.value
    return result.with_changes(
        check=CheckResult(passed=False, message=f"the check could not be run: {reason}")
    )
