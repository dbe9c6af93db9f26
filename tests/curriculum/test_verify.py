"""Lesson code is checked in a (here: fake) sandbox, mismatches reported at the step's line."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.curriculum.crosscheck import LoadedLesson
from bot.curriculum.loader import load_text
from bot.curriculum.verify import verify_lessons
from sandbox.client import SandboxBusyError
from sandbox.result import CheckResult, Graph, GraphNode, RunError, RunRequest, RunResult, Status

HEAD = "id: sample\nchapter: 1\ntitle: {zh: 示例, en: Sample}\nsteps:\n"


class FakeSandbox:
    """Answer each request with ``answer(request)``; record the requests and the peak concurrency."""

    def __init__(self, answer: Callable[[RunRequest], RunResult]) -> None:
        self.answer = answer
        self.requests: list[RunRequest] = []
        self.running = 0
        self.peak = 0

    async def run(self, request: RunRequest) -> RunResult:
        self.requests.append(request)
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(0.001)
            return self.answer(request)
        finally:
            self.running -= 1

    async def aclose(self) -> None:
        pass


def loaded(steps: str) -> LoadedLesson:
    result = load_text(HEAD + steps, "sample.yaml")
    assert result.problems == []
    assert result.loaded is not None
    return result.loaded


def ok(value: str | None = None, stdout: str = "", check: CheckResult | None = None) -> RunResult:
    return RunResult(status=Status.OK, value=value, stdout=stdout, check=check)


async def verify(steps: str, answer: Callable[[RunRequest], RunResult]) -> list[str]:
    problems = await verify_lessons([loaded(steps)], FakeSandbox(answer))
    return [str(p) for p in problems]


CODE_STEP = (
    "  - text: {zh: 你好, en: Hello}\n  - id: add\n    code: x + 2\n    expect: {value_contains: '3.'}\n"
)
EXERCISE = (
    "  - id: task\n"
    "    exercise:\n"
    "      prompt: {zh: 写, en: Write}\n"
    "      starter: 'x = 0'\n"
    "      solution: 'x = 1'\n"
    "      check: 'assert x == 1'\n"
)


async def test_matching_expectation_reports_nothing() -> None:
    assert await verify(CODE_STEP, lambda request: ok(value="tensor(3.)")) == []


async def test_value_mismatch_is_reported_at_the_step_line() -> None:
    problems = await verify(CODE_STEP, lambda request: ok(value="tensor(4.)"))

    assert problems == ["sample.yaml:6: step 'add': expected the value to contain '3.', got 'tensor(4.)'"]


async def test_code_step_that_fails_to_run_is_reported() -> None:
    failed = RunResult(
        status=Status.ERROR, error=RunError(type="NameError", message="name 'x' is not defined")
    )

    problems = await verify("  - code: x + 2\n", lambda request: failed)

    assert problems == ["sample.yaml:5: step 1: the code did not run: NameError: name 'x' is not defined"]


async def test_expected_error_type_is_accepted() -> None:
    failed = RunResult(status=Status.ERROR, error=RunError(type="RuntimeError", message="twice"))

    assert (
        await verify("  - code: boom()\n    expect: {error_type: RuntimeError}\n", lambda request: failed)
        == []
    )


async def test_missing_expected_error_is_reported() -> None:
    problems = await verify(
        "  - code: boom()\n    expect: {error_type: RuntimeError}\n", lambda request: ok()
    )

    assert problems == ["sample.yaml:5: step 1: expected error RuntimeError, got no error"]


async def test_stdout_is_compared_without_trailing_newlines() -> None:
    steps = "  - code: print(1)\n    expect: {stdout: '1'}\n"

    assert await verify(steps, lambda request: ok(stdout="1\n")) == []


async def test_grad_fn_is_read_from_the_graph_root() -> None:
    graph = Graph(root="y", nodes=(GraphNode(id=0, label="AddBackward0", kind="root", name="y"),), edges=())
    steps = "  - code: y = x + 2\n    expect: {grad_fn: AddBackward0}\n"

    assert await verify(steps, lambda request: ok().with_changes(graph=graph)) == []


async def test_grad_fn_is_read_from_the_last_expression() -> None:
    steps = "  - code: y.grad_fn\n    expect: {grad_fn: AddBackward0}\n"

    assert await verify(steps, lambda request: ok(value="<AddBackward0 object at 0x7f00aa>")) == []


async def test_wrong_grad_fn_is_reported() -> None:
    steps = "  - code: z\n    expect: {grad_fn: AddBackward0}\n"

    problems = await verify(steps, lambda request: ok(value="tensor(3., grad_fn=<MulBackward0>)"))

    assert problems == ["sample.yaml:5: step 1: expected grad_fn AddBackward0, got MulBackward0"]


async def test_setup_is_sent_with_the_code() -> None:
    sandbox = FakeSandbox(lambda request: ok())

    await verify_lessons([loaded("  - code: x\n    setup: x = 1\n")], sandbox)

    assert sandbox.requests == [RunRequest(code="x", setup="x = 1")]


def grade(passes: Callable[[str], bool]) -> Callable[[RunRequest], RunResult]:
    return lambda request: ok(check=CheckResult(passed=passes(request.code), message="x should be 1"))


async def test_solution_passing_and_starter_failing_is_fine() -> None:
    assert await verify(EXERCISE, grade(lambda code: code == "x = 1")) == []


async def test_starter_that_passes_the_check_is_reported() -> None:
    problems = await verify(EXERCISE, grade(lambda code: True))

    assert problems == [
        "sample.yaml:5: exercise 'task': the starter already passes the check; "
        "it must leave work for the learner"
    ]


async def test_solution_that_fails_the_check_is_reported() -> None:
    problems = await verify(EXERCISE, grade(lambda code: False))

    assert problems == ["sample.yaml:5: exercise 'task': the solution fails its check: x should be 1"]


async def test_starter_that_crashes_counts_as_failing() -> None:
    def answer(request: RunRequest) -> RunResult:
        if request.code == "x = 1":
            return ok(check=CheckResult(passed=True))
        return RunResult(status=Status.SYNTAX, error=RunError(type="SyntaxError", message="bad"))

    assert await verify(EXERCISE, answer) == []


async def test_runs_are_bounded_by_the_concurrency() -> None:
    sandbox = FakeSandbox(lambda request: ok())
    steps = "".join(f"  - code: x{i}\n" for i in range(12))

    await verify_lessons([loaded(steps)], sandbox, concurrency=3)

    assert len(sandbox.requests) == 12
    assert sandbox.peak == 3


async def test_busy_sandbox_is_retried() -> None:
    calls: list[int] = []

    def answer(request: RunRequest) -> RunResult:
        calls.append(1)
        if len(calls) == 1:
            raise SandboxBusyError(retry_after=0.0)
        return ok()

    assert await verify("  - code: x\n", answer) == []
    assert len(calls) == 2


WRONG = (
    "  - id: task\n"
    "    exercise:\n"
    "      prompt: {zh: 写, en: Write}\n"
    "      starter: {zh: 'x = 0  # 改这里', en: 'x = 0  # change this'}\n"
    "      solution: 'x = 1'\n"
    "      check: |\n"
    "        if x != 1:\n"
    "            fail('x-off', got=x)\n"
    "      messages:\n"
    "        x-off: {zh: 'x 是 {got}', en: 'x is {got}'}\n"
    "      wrong:\n"
    "        - why: two instead of one\n"
    "          message: x-off\n"
    "          code: x = 2\n"
)


def by_id(
    accepts: Callable[[str], bool], message_id: str | None = "x-off"
) -> Callable[[RunRequest], RunResult]:
    def answer(request: RunRequest) -> RunResult:
        if accepts(request.code):
            return ok(check=CheckResult(passed=True))
        return ok(check=CheckResult(passed=False, message="x is wrong", message_id=message_id))

    return answer


async def test_wrong_sample_rejected_with_its_message_is_fine() -> None:
    assert await verify(WRONG, by_id(lambda code: code == "x = 1")) == []


async def test_every_language_of_the_starter_runs() -> None:
    sandbox = FakeSandbox(by_id(lambda code: code == "x = 1"))

    await verify_lessons([loaded(WRONG)], sandbox)

    assert sorted(r.code for r in sandbox.requests) == [
        "x = 0  # change this",
        "x = 0  # 改这里",
        "x = 1",
        "x = 2",
    ]


async def test_starter_of_one_language_that_passes_is_reported() -> None:
    problems = await verify(WRONG, by_id(lambda code: code in ("x = 1", "x = 0  # 改这里")))

    assert problems == [
        "sample.yaml:5: exercise 'task' (zh starter): the starter already passes the check; "
        "it must leave work for the learner"
    ]


async def test_wrong_sample_the_check_accepts_is_reported_at_the_sample() -> None:
    problems = await verify(WRONG, by_id(lambda code: code in ("x = 1", "x = 2")))

    assert problems == [
        "sample.yaml:16: exercise 'task': wrong sample 1 (two instead of one) is accepted by the check; "
        "the check must reject it with message 'x-off'"
    ]


async def test_wrong_sample_answered_by_another_message_is_reported() -> None:
    problems = await verify(WRONG, by_id(lambda code: code == "x = 1", message_id="x-missing"))

    assert problems == [
        "sample.yaml:16: exercise 'task': wrong sample 1 (two instead of one) should be answered by "
        "message 'x-off', not message 'x-missing'"
    ]


async def test_wrong_sample_answered_by_a_plain_assertion_is_reported() -> None:
    problems = await verify(WRONG, by_id(lambda code: code == "x = 1", message_id=None))

    assert problems == [
        "sample.yaml:16: exercise 'task': wrong sample 1 (two instead of one) should be answered by "
        "message 'x-off', not a message without an id: x is wrong"
    ]


async def test_wrong_sample_that_does_not_run_is_reported() -> None:
    def answer(request: RunRequest) -> RunResult:
        if request.code == "x = 2":
            return RunResult(status=Status.ERROR, error=RunError(type="NameError", message="name 'y'"))
        return by_id(lambda code: code == "x = 1")(request)

    problems = await verify(WRONG, answer)

    assert problems == [
        "sample.yaml:16: exercise 'task': wrong sample 1 (two instead of one) did not run, so the check "
        "never saw it: NameError: name 'y'"
    ]
