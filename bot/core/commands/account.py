"""The learner's own settings and data: /lang and /forget."""

from __future__ import annotations

from bot.core import actions
from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.i18n import LANGUAGE_NAMES, LANGUAGES, translate
from bot.core.registry import Arg, command
from bot.core.replies import Button, Buttons, Notice, Reply, Text


async def lang(ctx: Ctx, language: str | None = None) -> list[Reply]:
    """Choose the language I speak with you: /lang zh or /lang en."""
    languages = ctx.services.settings.languages
    choices = ", ".join(f"`{code}` ({LANGUAGE_NAMES.get(code, code)})" for code in languages)
    if language is None:
        return [
            Text(ctx.t("lang.current", current=LANGUAGE_NAMES.get(ctx.locale, ctx.locale), choices=choices))
        ]
    if language not in languages:
        raise UserError("arg.bad_choice", name="language", choices=", ".join(languages))
    await ctx.session.learners.set_locale(ctx.learner.id, language)
    ctx.effects.locale = language
    return [Notice(translate(language, "lang.set"), "success")]


async def forget(ctx: Ctx, confirm: str | None = None) -> list[Reply]:
    """Delete everything I know about you (after confirmation)."""
    if confirm != "confirm":
        button = Button(ctx.t("button.forget"), actions.FORGET, "/forget confirm")
        return [Notice(ctx.t("forget.confirm"), "warning"), Buttons((button,))]
    await ctx.session.learners.forget(ctx.learner.id)
    ctx.services.names.forget(ctx.learner.id)
    return [Notice(ctx.t("forget.done"), "success")]


_CONFIRM = Arg("confirm", "choice", "type confirm to really delete", required=False, choices=("confirm",))

COMMANDS = (
    command(
        lang,
        args=(Arg("language", "choice", "the language's code, e.g. zh", False, LANGUAGES),),
        in_groups=True,
    ),
    command(forget, args=(_CONFIRM,)),
)
