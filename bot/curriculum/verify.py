"""Run every lesson's code in the sandbox and report where it does not do what the lesson says.

Code steps must run (status ``ok``, unless ``expect.error_type`` is given) and meet their ``expect``;
an exercise's ``solution`` must pass its ``check``, its ``starter`` (in every language given) must not,
and each ``wrong:`` sample must run and be rejected with the message it names. Every mismatch is a
``Problem`` at the line of the step (of the sample, for a wrong sample), with no column.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.curriculum.crosscheck import LoadedLesson
from bot.curriculum.model import CodeStep, ExerciseStep, Expect, WrongSample
from bot.curriculum.problems import Problem
from sandbox.client import SandboxBusyError, SandboxClient
from sandbox.result import RunRequest, RunResult, Status

DEFAULT_CONCURRENCY = 4
_BUSY_RETRIES = 5
_OBJECT_REPR = re.compile(r"<(\w+) object at 0x[0-9a-fA-F]+>")
_TENSOR_GRAD_FN = re.compile(r"grad_fn=<(\w+)>")


@dataclass(frozen=True, slots=True)
class _Job:
    """One sandbox run and how to judge its result."""

    path: str
    line: int | None
    request: RunRequest
    kind: str  # "code" | "solution" | "starter" | "wrong"
    name: str  # what to call the step (and the sample) in a message
    expect: Expect | None = None
    sample: WrongSample | None = None


def _describe(result: RunResult) -> str:
    if result.error is not None:
        return f"{result.error.type}: {result.error.message}".strip()
    return result.status.value


def grad_fn_names(result: RunResult) -> list[str]:
    """Return the grad_fn names a run shows: the graph root's, and the last expression's."""
    names: list[str] = []
    if result.graph is not None:
        roots = [n for n in result.graph.nodes if n.kind == "root"] or list(result.graph.nodes[:1])
        names += [n.label for n in roots]
        names += [t.grad_fn for t in result.tensors if t.name == result.graph.root and t.grad_fn]
    if result.value is not None:
        names += _OBJECT_REPR.findall(result.value) + _TENSOR_GRAD_FN.findall(result.value)
    return names


def expect_mismatches(expect: Expect | None, result: RunResult) -> list[str]:
    """Return what a code step's run got wrong, one sentence each (empty when all holds)."""
    if result.status is Status.INTERNAL:
        return [f"the sandbox failed: {_describe(result)}"]
    wanted_error = expect.error_type if expect is not None else None
    if wanted_error is None and result.status is not Status.OK:
        return [f"the code did not run: {_describe(result)}"]
    if expect is None:
        return []
    found: list[str] = []
    if wanted_error is not None:
        got = result.error.type if result.error is not None else None
        if result.status is Status.OK or got != wanted_error:
            found.append(f"expected error {wanted_error}, got {_describe(result) if got else 'no error'}")
    value = result.value if result.value is not None else ""
    if expect.value is not None and value.strip() != expect.value.strip():
        found.append(f"expected value {expect.value!r}, got {result.value!r}")
    if expect.value_contains is not None and expect.value_contains not in value:
        found.append(f"expected the value to contain {expect.value_contains!r}, got {result.value!r}")
    if expect.stdout is not None and result.stdout.rstrip() != expect.stdout.rstrip():
        found.append(f"expected output {expect.stdout!r}, got {result.stdout!r}")
    if expect.stdout_contains is not None and expect.stdout_contains not in result.stdout:
        found.append(f"expected the output to contain {expect.stdout_contains!r}, got {result.stdout!r}")
    if expect.grad_fn is not None:
        names = grad_fn_names(result)
        if expect.grad_fn not in names:
            found.append(f"expected grad_fn {expect.grad_fn}, got {', '.join(names) or 'none'}")
    return found


def _judge(job: _Job, result: RunResult) -> list[str]:
    if job.kind == "code":
        return [f"{job.name}: {m}" for m in expect_mismatches(job.expect, result)]
    if result.status is Status.INTERNAL:
        return [f"{job.name}: the sandbox failed: {_describe(result)}"]
    passed = result.status is Status.OK and result.check is not None and result.check.passed
    if job.kind == "solution" and not passed:
        if result.status is not Status.OK:
            return [f"{job.name}: the solution did not run: {_describe(result)}"]
        reason = result.check.message if result.check is not None else "no check result came back"
        return [f"{job.name}: the solution fails its check: {reason or 'no message'}"]
    if job.kind == "starter" and passed:
        return [f"{job.name}: the starter already passes the check; it must leave work for the learner"]
    if job.sample is not None:
        return _judge_wrong(job.name, job.sample, result, passed)
    return []


def _judge_wrong(name: str, sample: WrongSample, result: RunResult, passed: bool) -> list[str]:
    if result.status is not Status.OK:
        return [f"{name} did not run, so the check never saw it: {_describe(result)}"]
    if passed:
        return [f"{name} is accepted by the check; the check must reject it with message '{sample.message}'"]
    check = result.check
    if check is not None and check.message_id == sample.message:
        return []
    if check is None:
        got = "no check result"
    elif check.message_id is not None:
        got = f"message '{check.message_id}'"
    else:
        got = f"a message without an id: {check.message or 'no message'}"
    return [f"{name} should be answered by message '{sample.message}', not {got}"]


def _jobs(item: LoadedLesson) -> list[_Job]:
    jobs: list[_Job] = []
    for index, step in enumerate(item.lesson.steps):
        line, _ = item.source.value_at(("steps", index))
        name = f"step '{step.id}'" if step.id else f"step {index + 1}"
        if isinstance(step, CodeStep):
            request = RunRequest(code=step.code, setup=step.setup)
            jobs.append(_Job(item.path, line, request, "code", name, step.expect))
        elif isinstance(step, ExerciseStep):
            jobs.extend(_exercise_jobs(item, index, step, line))
    return jobs


def _exercise_jobs(item: LoadedLesson, index: int, step: ExerciseStep, line: int) -> list[_Job]:
    exercise = step.exercise
    name = f"exercise '{step.id}'"

    def request(code: str) -> RunRequest:
        return RunRequest(code=code, setup=exercise.setup, check=exercise.check, probe=exercise.probe)

    jobs = [_Job(item.path, line, request(exercise.solution), "solution", name)]
    for language, code in exercise.starters().items():
        shown = f"{name} ({language} starter)" if language else name
        jobs.append(_Job(item.path, line, request(code), "starter", shown))
    for number, sample in enumerate(exercise.wrong):
        at, _ = item.source.value_at(("steps", index, "exercise", "wrong", number))
        shown = f"{name}: wrong sample {number + 1} ({sample.why})"
        jobs.append(_Job(item.path, at, request(sample.code), "wrong", shown, sample=sample))
    return jobs


async def _run(sandbox: SandboxClient, request: RunRequest) -> RunResult:
    for attempt in range(_BUSY_RETRIES):
        try:
            return await sandbox.run(request)
        except SandboxBusyError as busy:
            if attempt == _BUSY_RETRIES - 1:
                raise
            await asyncio.sleep(min(busy.retry_after, 2.0))
    raise AssertionError("unreachable")


async def verify_lessons(
    lessons: Sequence[LoadedLesson], sandbox: SandboxClient, *, concurrency: int = DEFAULT_CONCURRENCY
) -> list[Problem]:
    """Run every code step and exercise of these lessons; return one problem per mismatch."""
    gate = asyncio.Semaphore(concurrency)

    async def one(job: _Job) -> list[Problem]:
        async with gate:
            try:
                result = await _run(sandbox, job.request)
            except SandboxBusyError as busy:
                return [Problem(job.path, job.line, None, f"{job.name}: the sandbox stayed busy: {busy}")]
        return [Problem(job.path, job.line, None, message) for message in _judge(job, result)]

    jobs = [job for item in lessons for job in _jobs(item)]
    found = await asyncio.gather(*(one(job) for job in jobs))
    return sorted((p for batch in found for p in batch), key=lambda p: (p.path, p.line or 0, p.message))
