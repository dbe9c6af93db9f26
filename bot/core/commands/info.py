"""Getting oriented: /start, /help and /about, and the reply to an unknown command."""

from __future__ import annotations

from bot.core import actions
from bot.core.commands.lessons import lesson as open_lesson
from bot.core.context import Ctx
from bot.core.course import card_replies, course_card
from bot.core.i18n import arg_help, command_help
from bot.core.progress import locate, unmet_requirements
from bot.core.registry import Arg, Command, command
from bot.core.replies import Button, Buttons, Notice, Reply, Text
from bot.core.suggest import closest


async def start(ctx: Ctx, lesson: str | None = None) -> list[Reply]:
    """Meet the tutor and see where to begin.

    With a lesson id, opens that lesson (links into a private chat use this).
    """
    if lesson:
        return await open_lesson(ctx, lesson)
    lines = [ctx.t("start.welcome", name=ctx.learner.display_name)]
    current = ctx.catalog.get(ctx.learner.current_lesson) if ctx.learner.current_lesson else None
    button: Button | None = None
    if current is not None:
        position = await locate(ctx, current)
        title = ctx.pick(current.title)
        lines.append(ctx.t("start.resume", title=title, n=position.index + 1, total=len(current.steps)))
        button = Button(ctx.t("button.continue"), actions.lesson_action(current.id), f"/lesson {current.id}")
    else:
        first = next((x for x in ctx.catalog.lessons if not unmet_requirements(ctx, x, set())), None)
        if first is not None:
            lines.append(ctx.t("start.begin", title=ctx.pick(first.title), lesson=first.id))
            button = Button(
                ctx.t("button.start_lesson"), actions.lesson_action(first.id), f"/lesson {first.id}"
            )
    lines.append(ctx.t("start.commands"))
    replies: list[Reply] = [Text("\n\n".join(lines))]
    return [*replies, Buttons((button,))] if button else replies


async def help(ctx: Ctx, command: str | None = None) -> list[Reply]:
    """List the commands, or explain one: /help run."""
    registry = ctx.commands
    visible = [cmd for cmd in registry if ctx.is_admin or not cmd.admin]
    if command:
        found = registry.get(command.strip().lstrip("/"))
        if found is None or found not in visible:
            return unknown_command(ctx, command.strip().lstrip("/"))
        return [Text(_details(ctx, found))]
    platform = ctx.user.platform
    lines = [f"**{ctx.t('help.title')}**"]
    lines += [
        f"`{cmd.usage_on(platform)}` — {command_help(cmd, ctx.locale)[0]}" for cmd in visible if not cmd.admin
    ]
    admin = [cmd for cmd in visible if cmd.admin]
    if admin:
        lines.append(f"\n**{ctx.t('group.admin')}**")
        lines += [f"`{cmd.usage_on(platform)}` — {command_help(cmd, ctx.locale)[0]}" for cmd in admin]
    lines.append("\n" + ctx.t("help.footer"))
    return [Text("\n".join(lines))]


def _details(ctx: Ctx, cmd: Command) -> str:
    short, details = command_help(cmd, ctx.locale)
    platform = ctx.user.platform
    lines = [f"`{cmd.usage_on(platform)}`", short]
    if details:
        lines += ["", details]
    if cmd.args:
        lines += ["", f"**{ctx.t('help.arguments')}**"]
        for arg in cmd.args:
            optional = "" if arg.required_on(platform) else f" ({ctx.t('help.optional')})"
            lines.append(f"- `{arg.name}`{optional}: {arg_help(cmd, arg, ctx.locale)}")
    return "\n".join(lines)


async def about(ctx: Ctx) -> list[Reply]:
    """Show what Torch Tutor is, its version and where its lessons come from."""
    settings = ctx.services.settings
    card = card_replies(ctx, await course_card(ctx), reviews=False)
    return [*card, Text(ctx.t("about.text", version=settings.version, source=settings.source_url))]


async def quit(ctx: Ctx) -> list[Reply]:
    """Leave the console (/exit works too); your progress is kept."""
    ctx.effects.ends_chat = True
    return [Notice(ctx.t("quit.bye"))]


def unknown_command(ctx: Ctx, name: str) -> list[Reply]:
    """Say that a command does not exist and suggest the closest ones."""
    registry = ctx.commands
    names = [n for n in registry.names() if ctx.is_admin or not _is_admin(ctx, n)]
    suggestions = closest(name.replace(" ", "_"), names) or closest(name, names)
    if name in registry.groups:
        suggestions = [c.full_name for c in registry.in_group(name) if ctx.is_admin or not c.admin]
    if suggestions:
        listing = ", ".join(f"/{s}" for s in suggestions)
        return [Notice(ctx.t("command.unknown_suggest", name=name, suggestions=listing), "warning")]
    return [Notice(ctx.t("command.unknown", name=name), "warning")]


def _is_admin(ctx: Ctx, name: str) -> bool:
    found = ctx.commands.get(name)
    return found is not None and found.admin is not None


COMMANDS = (
    command(start, args=(Arg("lesson", "lesson", "a lesson to open", required=False),), lesson_flow=True),
    command(
        help,
        args=(Arg("command", "text", "a command's name, e.g. run", required=False),),
        in_groups=True,
        writes=False,
    ),
    command(about, in_groups=True, writes=False),
    command(quit, platforms=("console",), writes=False, aliases=("exit",)),
)
