"""How a run's outcome becomes a result: statuses, errors, values, setup and trusted checks."""

from __future__ import annotations

import pytest

from sandbox.result import CheckResult, RunLimits, Status
from tests.sandbox.helpers import assert_denied


def test_syntax_error_reports_type_message_and_line(run) -> None:
    result = run("x = 1\nif x\n    print(x)")
    assert result.status is Status.SYNTAX
    assert result.error is not None
    assert (result.error.type, result.error.line) == ("SyntaxError", 2)
    assert "expected ':'" in result.error.message


def test_indentation_error_is_a_syntax_result(run) -> None:
    result = run("def f():\nreturn 1")
    assert result.status is Status.SYNTAX
    assert result.error is not None and result.error.type == "IndentationError"


def test_compiler_only_error_is_a_syntax_result(run) -> None:
    result = run("x = 1\nreturn x")
    assert result.status is Status.SYNTAX
    assert result.error is not None and result.error.line == 2


def test_policy_refusal_at_compile_time_has_its_line(run) -> None:
    result = run("x = 1\ny = x.__class__")
    assert_denied(result, "'__class__' is not allowed: names starting with '_' reach Python internals")
    assert result.error is not None
    assert (result.error.type, result.error.line) == ("PolicyError", 2)


def test_runtime_error_reports_type_message_and_line(run) -> None:
    result = run("a = 1\nb = 0\nprint('before')\na / b")
    assert result.status is Status.ERROR
    assert result.error is not None
    assert (result.error.type, result.error.message, result.error.line) == (
        "ZeroDivisionError",
        "division by zero",
        4,
    )
    assert result.stdout == "before\n"


def test_name_error_reports_the_name(run) -> None:
    result = run("print(undefined_name)")
    assert result.error is not None
    assert (result.error.type, result.error.message) == ("NameError", "name 'undefined_name' is not defined")


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("import torch\nx = torch.empty(2**50)", id="torch-allocator"),
        pytest.param("raise MemoryError()", id="memory-error"),
        pytest.param(
            "raise RuntimeError('DefaultCPUAllocator: can\\'t allocate memory: you tried')", id="message"
        ),
    ],
)
def test_out_of_memory_maps_to_memory(run, code: str) -> None:
    result = run(code, limits=RunLimits(memory_mib=256))
    assert result.status is Status.MEMORY
    assert result.error is not None
    assert (result.error.type, result.error.message) == ("memory", "Memory limit of 256 MiB reached")


def test_value_is_the_repr_of_the_last_expression(run) -> None:
    assert run("x = 'hi'\nx").value == "'hi'"


def test_value_is_null_when_the_last_statement_is_not_an_expression(run) -> None:
    assert run("x = 3").value is None


def test_value_is_null_when_the_last_expression_is_none(run) -> None:
    assert run("[].append(1)").value is None


def test_printed_text_is_streamed_in_order(run) -> None:
    result = run("for i in range(3):\n    print(i, end=' ')\nprint()")
    assert result.stdout == "0 1 2 \n"


def test_custom_output_limit_is_named_in_bytes(run) -> None:
    result = run("print('x' * 500)", limits=RunLimits(output_bytes=100))
    assert result.status is Status.OUTPUT_LIMIT
    assert result.error is not None and result.error.message == "Output limit of 100 bytes reached"
    assert result.stdout.startswith("x" * 100)


def test_setup_runs_silently_before_the_code(run) -> None:
    result = run("print(base + 1)", setup="print('setup noise')\nbase = 41")
    assert result.status is Status.OK
    assert result.stdout == "42\n"


def test_setup_is_restricted_too(run) -> None:
    result = run("1", setup="import os")
    assert result.status is Status.INTERNAL
    assert result.error is not None and "setup" in result.error.message


def test_duration_is_measured(run) -> None:
    assert run("sum(range(1000))").duration_ms > 0


def test_passing_check(run) -> None:
    result = run("import torch\nout = torch.ones(2).mean()", check="assert out.item() == 1.0")
    assert result.check == CheckResult(passed=True, message="")


def test_failing_check_reports_the_assertion_message(run) -> None:
    result = run("answer = 41", check="assert answer == 42, 'answer should be 42'")
    assert result.status is Status.OK
    assert result.check == CheckResult(passed=False, message="answer should be 42")


def test_crashing_check_is_a_failed_check(run) -> None:
    result = run("x = 1", check="assert missing == 1")
    assert result.check is not None
    assert not result.check.passed
    assert result.check.message == "check crashed: NameError: name 'missing' is not defined"


def test_fail_reports_the_message_id_and_params(run) -> None:
    result = run("w = 0.5", check="if w != 2:\n    fail('w-far', found=w, name='w')")
    assert result.status is Status.OK
    assert result.check == CheckResult(
        passed=False,
        message="w-far (found=0.5, name='w')",
        message_id="w-far",
        params={"found": 0.5, "name": "w"},
    )


def test_fail_without_params_reports_the_bare_id(run) -> None:
    result = run("x = 1", check="fail('no-x')")
    assert result.check == CheckResult(passed=False, message="no-x", message_id="no-x", params={})


def test_fail_shortens_long_text_params(run) -> None:
    result = run("x = 1", check="fail('long', text='a' * 5000)")
    assert result.check is not None
    text = result.check.params["text"]
    assert isinstance(text, str) and 100 < len(text) <= 300


def test_fail_sends_non_finite_floats_as_text(run) -> None:
    result = run("x = 1", check="fail('nan', value=float('nan'))")
    assert result.check is not None and result.check.params == {"value": "nan"}


def test_fail_with_a_tensor_param_crashes_the_check_with_advice(run) -> None:
    result = run("import torch\nw = torch.ones(2)", check="fail('bad', w=w)")
    assert result.check is not None and not result.check.passed
    assert result.check.message_id is None
    assert result.check.message.startswith("check crashed: TypeError: fail() parameter 'w' is a Tensor")
    assert ".item()" in result.check.message


def test_fail_with_a_malformed_id_crashes_the_check(run) -> None:
    result = run("x = 1", check="fail('Not An Id')")
    assert result.check is not None and result.check.message_id is None
    assert "message id" in result.check.message


def test_learner_code_cannot_replace_fail(run) -> None:
    result = run("def fail(*a, **k):\n    return None", check="fail('kept')")
    assert result.check is not None and result.check.message_id == "kept"


def test_failed_check_with_an_id_round_trips_through_json(run) -> None:
    from sandbox.result import RunResult

    result = run("w = 1", check="fail('w-far', found=w, ok=False, none=None)")
    assert RunResult.from_json(result.to_json()) == result
    assert result.to_json()["check"]["message_id"] == "w-far"
    assert result.to_json()["check"]["params"] == {"found": 1, "ok": False, "none": None}


def test_check_is_trusted_code(run) -> None:
    result = run("import torch\nw = torch.ones(1)", check="import os\nassert os.getcwd() is not None")
    assert result.check == CheckResult(passed=True, message="")


def test_check_sees_grad_fn_of_the_learners_tensor(run) -> None:
    code = "import torch\nx = torch.ones(2, 2, requires_grad=True)\nout = (x * 2).mean()"
    result = run(code, check="assert out.grad_fn.name() == 'MeanBackward0', 'out should come from mean()'")
    assert result.check is not None and result.check.passed


def test_check_does_not_run_after_an_error(run) -> None:
    result = run("x = 1\nraise ValueError('no')", check="assert True")
    assert result.status is Status.ERROR
    assert result.check is None


def test_check_output_is_not_shown(run) -> None:
    result = run("print('mine')", check="print('secret answer')")
    assert result.stdout == "mine\n"


def test_result_round_trips_through_json(run) -> None:
    from sandbox.result import RunResult

    result = run("import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).sum()")
    assert RunResult.from_json(result.to_json()) == result


def test_unseeded_random_numbers_differ_between_runs(run) -> None:
    code = "import torch\ntorch.rand(4).tolist()"
    assert run(code).value != run(code).value


def test_seeded_random_numbers_repeat_between_runs(run) -> None:
    code = "import torch\ntorch.manual_seed(0)\ntorch.rand(4).tolist()"
    assert run(code).value == run(code).value


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (
            "learning_rate = 0.1\nprint(learning_rat)",
            "name 'learning_rat' is not defined. Did you mean: 'learning_rate'?",
        ),
        (
            "def f():\n    total = 1\n    return totl\nf()",
            "name 'totl' is not defined. Did you mean: 'total'?",
        ),
        ("print(lenn([1]))", "name 'lenn' is not defined. Did you mean: 'len'?"),
        ("print(xyzzy)", "name 'xyzzy' is not defined"),
    ],
)
def test_a_name_error_says_what_python_would_suggest(run, code: str, message: str) -> None:
    result = run(code)
    assert result.status is Status.ERROR
    assert result.error is not None and (result.error.type, result.error.message) == ("NameError", message)


def test_a_name_error_never_suggests_the_policys_own_names(run) -> None:
    result = run("getiter_(1)")
    assert result.error is not None and "_getiter_" not in result.error.message
