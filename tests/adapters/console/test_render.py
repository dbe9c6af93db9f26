import pytest

from bot.adapters.console import plain
from bot.core.replies import Button, Buttons, Code, Notice, QuizPrompt, RunOutput, Text
from sandbox.result import CheckResult, ModuleInfo, RunError, RunResult, Status, TensorInfo

GRAPH_TEXT = "out  MeanBackward0\n└─ MulBackward0\n   └─ x  (2, 2)\n"


def tensor(name: str, **changes: object) -> TensorInfo:
    values: dict[str, object] = {
        "name": name,
        "shape": (2, 2),
        "dtype": "torch.float32",
        "device": "cpu",
        "requires_grad": True,
        "is_leaf": True,
        "grad_fn": None,
        "grad": None,
        "preview": "tensor(...)",
    }
    values.update(changes)
    return TensorInfo(**values)  # type: ignore[arg-type]


def test_plain_run_output_with_tensors_and_graph() -> None:
    result = RunResult(
        status=Status.OK,
        stdout="hello\n",
        value="tensor(3., grad_fn=<MeanBackward0>)",
        tensors=(
            tensor("x", grad="tensor([[0.25],\n        [0.25]])"),
            tensor("out", shape=(), requires_grad=True, is_leaf=False, grad_fn="MeanBackward0"),
        ),
        graph_text=GRAPH_TEXT,
        duration_ms=12.0,
    )
    assert plain.render(RunOutput(result, "Ran in 12 ms."), "en") == (
        "[ok] Ran in 12 ms.\n"
        "--- Output ---\n"
        "hello\n"
        "--- Value ---\n"
        "tensor(3., grad_fn=<MeanBackward0>)\n"
        "--- Tensors ---\n"
        "name  shape   dtype          requires_grad  is_leaf  grad_fn        grad\n"
        "x     (2, 2)  torch.float32  True           True     -              tensor([[0.25], [0.25]])\n"
        "out   ()      torch.float32  True           False    MeanBackward0  -\n"
        "--- Autograd graph ---\n"
        "out  MeanBackward0\n"
        "└─ MulBackward0\n"
        "   └─ x  (2, 2)"
    )


def test_plain_run_output_with_error_and_modules_leaves_the_check_to_the_tutor() -> None:
    result = RunResult(
        status=Status.ERROR,
        error=RunError("NameError", "name 'x' is not defined", line=3),
        warnings=("UserWarning: careful",),
        modules=(ModuleInfo("net", "Net", 1234, 1200, {}),),
        check=CheckResult(passed=False, message="z should be zeros"),
    )
    assert plain.render(RunOutput(result, "Your code raised NameError on line 3."), "en") == (
        "[error] Your code raised NameError on line 3.\n"
        "--- Error ---\n"
        "NameError (line 3): name 'x' is not defined\n"
        "--- Warnings ---\n"
        "UserWarning: careful\n"
        "--- Modules ---\n"
        "name  type  parameters  trainable\n"
        "net   Net   1,234       1,200"
    )


def test_plain_quiz_numbers_options_from_one() -> None:
    prompt = QuizPrompt(
        lesson_id="l",
        question_id="q",
        question="What is x's shape?",
        options=("(4,)", "(2, 2)"),
        actions=("ans:l:q:1", "ans:l:q:2"),
        instruction="Answer with /answer 1-2.",
        code="x = torch.ones(2, 2)",
    )
    assert plain.render(prompt, "en") == (
        "What is x's shape?\n"
        "```python\nx = torch.ones(2, 2)\n```\n"
        "  1. (4,)\n"
        "  2. (2, 2)\n"
        "Answer with /answer 1-2."
    )


def test_plain_buttons_show_what_to_type() -> None:
    buttons = Buttons((Button("Run this code", "run:l:s", "/run"), Button("Next", "next", "/next")))
    assert plain.render(buttons, "en") == "[Run this code] /run  [Next] /next"


def test_plain_text_code_and_notices() -> None:
    assert plain.render(Text("**bold**"), "en") == "**bold**"
    assert plain.render(Code("x = 1\n"), "en") == "```python\nx = 1\n```"
    assert plain.render(Notice("Correct!", "success"), "en") == "✓ Correct!"
    assert plain.render(Notice("Careful", "warning"), "en") == "! Careful"


def test_rich_rendering_shows_the_tensor_table_and_graph() -> None:
    from io import StringIO

    from rich.console import Console

    from bot.adapters.console import rich_view

    result = RunResult(status=Status.OK, tensors=(tensor("x"),), graph_text=GRAPH_TEXT)
    out = StringIO()
    rich_view.show(Console(file=out, width=120, color_system=None), [RunOutput(result, "Ran in 1 ms.")], "en")
    text = out.getvalue()
    assert "requires_grad" in text and "torch.float32" in text
    assert "Autograd graph" in text and "MulBackward0" in text
    assert "Ran in 1 ms." in text


def test_a_channel_reference_is_named_plainly() -> None:
    from bot.adapters.console import plain
    from bot.core.replies import Notice, channel_ref

    assert plain.render(Notice(f"Code may run in {channel_ref('42')}."), "en") == "• Code may run in #42."


def test_sections_and_columns_follow_the_learners_language() -> None:
    result = RunResult(
        status=Status.ERROR,
        stdout="hi\n",
        error=RunError("NameError", "name 'y' is not defined", line=2),
        tensors=(tensor("x"),),
        modules=(ModuleInfo("net", "Net", 10, 10, {}),),
    )
    text = plain.render(RunOutput(result, "你的代码在第 2 行出现了 NameError。"), "zh")
    assert "--- 输出 ---" in text and "--- 错误 ---" in text and "NameError (第 2 行)" in text
    assert "--- 张量 ---\n名称  形状    dtype" in text
    assert "名称  类型  参数量  可训练" in text
    assert "Output" not in text and "line 2" not in text


def test_rich_sections_and_columns_follow_the_learners_language() -> None:
    from io import StringIO

    from rich.console import Console

    from bot.adapters.console import rich_view

    result = RunResult(status=Status.OK, stdout="hi\n", tensors=(tensor("x"),), graph_text=GRAPH_TEXT)
    out = StringIO()
    rich_view.show(
        Console(file=out, width=120, color_system=None), [RunOutput(result, "运行用时 1 ms。")], "zh"
    )
    text = out.getvalue()
    assert "输出" in text and "张量" in text and "名称" in text and "形状" in text
    assert "output" not in text.lower()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.TIMEOUT, "Time limit of 5 s reached"),
        (Status.MEMORY, "Memory limit of 512 MiB reached"),
        (Status.OUTPUT_LIMIT, "Output limit of 64 KiB reached"),
    ],
)
def test_a_limit_is_said_once(status: Status, message: str) -> None:
    result = RunResult(status=status, stdout=f"working\n{message}\n", error=RunError(status.value, message))
    assert plain.render(RunOutput(result, "Stopped."), "en").count(message) == 1


def test_a_limit_not_in_the_output_is_still_said() -> None:
    result = RunResult(status=Status.TIMEOUT, error=RunError("timeout", "Time limit of 5 s reached"))
    assert "Time limit of 5 s reached" in plain.render(RunOutput(result, "Stopped."), "en")
