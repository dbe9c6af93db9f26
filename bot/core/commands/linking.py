"""One learner across platforms: /link joins two platform accounts, /unlink separates them again.

``/link`` on one platform gives a one-time code (10 minutes, single use); ``/link CODE`` on another
platform merges the learner typing it into the learner who asked for it: every account, answer, submission
and run is kept, and per lesson the more advanced progress wins. Of two notebooks (``/run``'s kept cells)
the one used last is kept whole: cells of two notebooks would not replay together.

``/unlink`` detaches the account it is typed from into a new learner that starts with a copy of the
progress, answers, submissions and notebook, so neither side loses anything; the other accounts stay
together.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.ports import LinkCode
from bot.core.registry import Arg, command
from bot.core.replies import Notice, Reply, Text

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=10)
PLATFORM_NAMES = {"discord": "Discord", "telegram": "Telegram", "console": "console"}


def new_code() -> str:
    """Return a fresh random code (about 40 bits; codes expire in minutes and commands are rate limited)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(typed: str) -> str:
    """Return a typed code as stored: upper case, without spaces or dashes."""
    return "".join(typed.split()).replace("-", "").upper()


def shown(code: str) -> str:
    """Return a code as shown to learners: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


async def link(ctx: Ctx, code: str | None = None) -> list[Reply]:
    """Join your accounts on Discord and Telegram into one learner: /link, then /link CODE on the other.

    Without a code, gives you a one-time code (valid 10 minutes). Type /link and that code on the other
    platform: both accounts then share one progress record, and nothing you did on either is lost.
    """
    if code is None:
        return await _issue(ctx)
    found = await ctx.session.links.code(normalize_code(code))
    now = ctx.now()
    if found is None:
        raise UserError("link.unknown")
    if found.used_at is not None:
        raise UserError("link.used")
    if found.expires_at <= now:
        raise UserError("link.expired")
    if found.platform == ctx.user.platform:
        raise UserError("link.same_platform", platform=PLATFORM_NAMES.get(found.platform, found.platform))
    if found.learner_id == ctx.learner.id:
        raise UserError("link.already")
    if not await ctx.session.links.claim_code(found.code, now):
        raise UserError("link.used")
    await ctx.session.links.merge(ctx.learner.id, into_id=found.learner_id)
    ctx.services.names.forget(ctx.learner.id)
    return [Notice(ctx.t("link.done"), "success")]


async def _issue(ctx: Ctx) -> list[Reply]:
    now = ctx.now()
    code = new_code()
    await ctx.session.links.add_code(
        LinkCode(code, ctx.learner.id, ctx.user.platform, created_at=now, expires_at=now + CODE_LIFETIME)
    )
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    return [Text(ctx.t("link.code", code=shown(code), minutes=minutes))]


async def unlink(ctx: Ctx) -> list[Reply]:
    """Separate this account from your other linked accounts again; each keeps a copy of your progress."""
    accounts = await ctx.session.learners.accounts(ctx.learner.id)
    if len(accounts) < 2:
        raise UserError("unlink.alone")
    await ctx.session.links.detach(ctx.learner.id, ctx.user)
    return [Notice(ctx.t("unlink.done"), "success")]


# The console is one person's own tutor, usually with a database of its own: nothing there to join.
CHAT_PLATFORMS = ("discord", "telegram")

COMMANDS = (
    command(
        link,
        args=(Arg("code", "text", "the code /link gave you on the other platform", False),),
        platforms=CHAT_PLATFORMS,
    ),
    command(unlink, platforms=CHAT_PLATFORMS),
)
