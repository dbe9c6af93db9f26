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
    assert plain.render(RunOutput(result, "Ran in 12 ms.")) == (
        "[ok] Ran in 12 ms.\n"
        "--- output ---\n"
        "hello\n"
        "--- value ---\n"
        "tensor(3., grad_fn=<MeanBackward0>)\n"
        "--- tensors ---\n"
        "name  shape   dtype          requires_grad  is_leaf  grad_fn        grad\n"
        "x     (2, 2)  torch.float32  True           True     -              tensor([[0.25], [0.25]])\n"
        "out   ()      torch.float32  True           False    MeanBackward0  -\n"
        "--- autograd graph ---\n"
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
    assert plain.render(RunOutput(result, "Your code raised NameError on line 3.")) == (
        "[error] Your code raised NameError on line 3.\n"
        "--- error ---\n"
        "NameError (line 3): name 'x' is not defined\n"
        "--- warnings ---\n"
        "UserWarning: careful\n"
        "--- modules ---\n"
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
    assert plain.render(prompt) == (
        "What is x's shape?\n"
        "```python\nx = torch.ones(2, 2)\n```\n"
        "  1. (4,)\n"
        "  2. (2, 2)\n"
        "Answer with /answer 1-2."
    )


def test_plain_buttons_show_what_to_type() -> None:
    buttons = Buttons((Button("Run this code", "run:l:s", "/run"), Button("Next", "next", "/next")))
    assert plain.render(buttons) == "[Run this code] /run  [Next] /next"


def test_plain_text_code_and_notices() -> None:
    assert plain.render(Text("**bold**")) == "**bold**"
    assert plain.render(Code("x = 1\n")) == "```python\nx = 1\n```"
    assert plain.render(Notice("Correct!", "success")) == "✓ Correct!"
    assert plain.render(Notice("Careful", "warning")) == "! Careful"


def test_rich_rendering_shows_the_tensor_table_and_graph() -> None:
    from io import StringIO

    from rich.console import Console

    from bot.adapters.console import rich_view

    result = RunResult(status=Status.OK, tensors=(tensor("x"),), graph_text=GRAPH_TEXT)
    out = StringIO()
    rich_view.show(Console(file=out, width=120, color_system=None), [RunOutput(result, "Ran in 1 ms.")])
    text = out.getvalue()
    assert "requires_grad" in text and "torch.float32" in text
    assert "autograd graph" in text and "MulBackward0" in text
    assert "Ran in 1 ms." in text


def test_a_channel_reference_is_named_plainly() -> None:
    from bot.adapters.console import plain
    from bot.core.replies import Notice, channel_ref

    assert plain.render(Notice(f"Code may run in {channel_ref('42')}.")) == "• Code may run in #42."
