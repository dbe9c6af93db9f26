"""/notebook: see, drop and clear the cells your free runs keep (``bot.core.notebook`` explains them)."""

from __future__ import annotations

from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.notebook import age, first_line, open_cells
from bot.core.registry import Arg, command
from bot.core.replies import Notice, Reply, Text


async def notebook(ctx: Ctx, action: str = "list", n: int | None = None) -> list[Reply]:
    """Show the cells your /run keeps, or drop one, or start over: /notebook, /notebook drop 2.

    Each /run continues from these cells: they run again, silently and with the same random seeds, before
    your new code. /notebook clear starts over with an empty notebook; /notebook drop N removes cell N.
    """
    cells, notices = await open_cells(ctx)
    if action == "clear":
        cleared = await ctx.session.notebooks.clear(ctx.learner.id)
        if not cleared:
            return [*notices, Notice(ctx.t("notebook.already_empty"))]
        return [*notices, Notice(ctx.t("notebook.cleared", count=cleared), "success")]
    if action == "drop":
        if not cells:
            raise UserError("notebook.drop_empty")
        if n is None:
            raise UserError("notebook.drop_which", last=len(cells))
        if not 1 <= n <= len(cells):
            raise UserError("notebook.no_such_cell", n=n, last=len(cells))
        await ctx.session.notebooks.drop(ctx.learner.id, [n - 1])
        text = ctx.t("notebook.dropped", n=n, line=first_line(cells[n - 1].code))
        return [*notices, Notice(text, "success")]
    if n is not None:
        raise UserError("notebook.n_without_drop", n=n)
    if not cells:
        return [*notices, Text(ctx.t("notebook.empty"))]
    limits = ctx.services.settings.notebook
    seconds = sum(cell.cpu_ms for cell in cells) / 1000
    lines = [
        "**" + ctx.t("notebook.title", count=len(cells), max=limits.max_cells) + "**",
        *(
            f"{number}. `{first_line(cell.code)}` · {age(ctx, cell.created_at)}"
            for number, cell in enumerate(cells, start=1)
        ),
        "",
        ctx.t("notebook.budget", seconds=f"{seconds:.2f}", budget=f"{limits.replay_budget_s:g}"),
        ctx.t("notebook.how"),
    ]
    return [*notices, Text("\n".join(lines))]


COMMANDS = (
    command(
        notebook,
        args=(
            Arg("action", "choice", "list (the default), clear, or drop", False, ("list", "clear", "drop")),
            Arg("n", "int", "the number of the cell to drop, as /notebook lists it", required=False),
        ),
        in_groups=True,
    ),
)
