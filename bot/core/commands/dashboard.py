"""/admin dashboard: a one-time link, sent only to the admin who asked, to sign in to the web dashboard.

A server's admin gets a link to that server's learners; a lesson admin (``TUTOR_ADMINS``, or the console's
operator, the only admins outside a server) gets one to every learner, and may feature and hide reviews.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Ctx
from bot.core.errors import UserError
from bot.core.logins import make_token, token_hash
from bot.core.ports.dashboard import DashboardGrant, DashboardLogin, Scope
from bot.core.registry import command
from bot.core.replies import Notice, Reply, Text


async def dashboard(ctx: Ctx) -> list[Reply]:
    """Get a link to the web dashboard of this server's learners (every learner, for lesson admins).

    The link is for you alone: it works once and soon expires, and signs you in for 12 hours.
    """
    settings = ctx.services.settings
    if settings.dashboard_url is None:
        raise UserError("dashboard.off")
    admin = f"{ctx.user.platform}:{ctx.user.user_id}"
    server = ctx.server
    lesson_admin = server is None or admin in settings.admins
    scope = Scope() if server is None or lesson_admin else Scope(server.platform, server.server_id)
    now = ctx.now()
    expires_at = now + timedelta(seconds=settings.dashboard_link_seconds)
    token = make_token(await ctx.session.dashboard.signing_key(), expires_at)
    grant = DashboardGrant(
        scope=scope,
        admin=admin,
        admin_name=ctx.user.display_name,
        locale=ctx.locale,
        moderate=lesson_admin,
    )
    await ctx.session.dashboard.add_login(DashboardLogin(token_hash(token), grant, now, expires_at))
    minutes = max(1, round(settings.dashboard_link_seconds / 60))
    key = "dashboard.link_everyone" if lesson_admin else "dashboard.link_server"
    return [
        Notice(ctx.t(key, count=minutes), "success"),
        Text(f"{settings.dashboard_url}/login/{token}"),
    ]


COMMANDS = (command(dashboard, group="admin", admin="server", in_groups=True, private=True),)
