"""Every command, registered once: adapters read the registry this module builds."""

from __future__ import annotations

from bot.core.commands import (
    account,
    admin,
    course,
    dashboard,
    exercise,
    habits,
    info,
    lessons,
    linking,
    notebook,
    practice,
    quiz,
    run,
    server_admin,
    uploads,
)
from bot.core.registry import Registry


def build_registry() -> Registry:
    """Return the registry of every command, in the order help lists them."""
    return Registry(
        (
            *info.COMMANDS,
            *lessons.COMMANDS,
            *run.COMMANDS,
            *notebook.COMMANDS,
            *quiz.COMMANDS,
            *exercise.COMMANDS,
            *practice.COMMANDS,
            *course.COMMANDS,
            *habits.COMMANDS,
            *account.COMMANDS,
            *linking.COMMANDS,
            *admin.COMMANDS,
            *uploads.COMMANDS,
            *server_admin.COMMANDS,
            *course.ADMIN_COMMANDS,
            *dashboard.COMMANDS,
        )
    )
