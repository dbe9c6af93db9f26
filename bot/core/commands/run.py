"""Running code: /run, and the Run button of a lesson's code step."""

from __future__ import annotations

from bot.core.actions import step_index
from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.notebook import notebook_run
from bot.core.plan import RunPlan
from bot.core.progress import here
from bot.core.registry import Arg, command
from bot.core.running import result_replies
from bot.curriculum.model import CodeStep, NumericStep, QuizStep, StepModel
from sandbox.result import RunRequest


async def run(ctx: Ctx, code: str | None = None) -> RunPlan:
    """Run Python code in the sandbox, continuing your notebook.

    Put the code after the command, or in a ``` block on the same or the next line.
    torch, nn, F (torch.nn.functional), optim and np are ready in every run, as after a notebook's
    import cell. Like a notebook, each run continues from your earlier runs that succeeded: their names
    and values (random draws included) are still there. /notebook lists, drops or clears those cells.
    Without code, runs the code of the lesson step you are on (a code step, or a question that shows
    code), as the lesson defines it (without your notebook).
    """
    if code:
        return await notebook_run(ctx, code)
    if ctx.learner.current_lesson is None:
        raise UserError("run.no_code")
    position = await here(ctx)
    step = position.lesson.steps[position.index]
    if isinstance(step, CodeStep):
        return shown(RunRequest(code=step.code, setup=step.setup))
    shown_code = step_code(step)
    if shown_code is None:
        raise UserError("run.no_code")
    return shown(RunRequest(code=shown_code))


def step_code(step: StepModel) -> str | None:
    """Return the code a question step shows, if any."""
    if isinstance(step, QuizStep):
        return step.quiz.code
    if isinstance(step, NumericStep):
        return step.numeric.code
    return None


async def run_step(ctx: Ctx, lesson_id: str, step_ref: str) -> RunPlan:
    """Run the code of one lesson step (its Run button)."""
    lesson = ctx.catalog.get(lesson_id)
    index = step_index(lesson, step_ref) if lesson else None
    step = lesson.steps[index] if lesson and index is not None else None
    if not isinstance(step, CodeStep):
        raise UserError("action.stale")
    return shown(RunRequest(code=step.code, setup=step.setup))


def shown(request: RunRequest) -> RunPlan:
    """Return the plan that runs ``request`` and shows its result."""
    return RunPlan(request, lambda ctx, result: result_replies(ctx, request, result))


COMMANDS = (
    command(
        run,
        args=(Arg("code", "code", "the Python code to run", required=False),),
        in_groups=True,
        public=True,
    ),
)
