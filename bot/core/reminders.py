"""Daily reminders: claim the due ones in the store, then have the front ends send them.

Any number of bot processes may run this at once. Each reminder due at a moment is claimed by moving it
on to its next moment, in a compare-and-set on the moment it was due (``Reminders.claim``); only the
process whose claim succeeded builds and sends it, after its transaction committed. A crash between the
claim and the send loses that day's reminder rather than sending it twice. A reminder found more than
``LATE`` after its moment (every process was down) is moved on without being sent.

A front end reports how a send went: ``blocked`` (the learner blocked the bot or closed their direct
messages) turns the learner's reminder off, so the tutor stays silent to them from then on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

from bot.core import actions
from bot.core.calendar import local_day, next_occurrence, streaks, zone_or_utc
from bot.core.context import TutorSettings
from bot.core.i18n import translate
from bot.core.ports import DueReminder, Store, StoreSession
from bot.core.replies import Button, Buttons, Reply, Text

log = logging.getLogger(__name__)

LATE = timedelta(hours=1)
BATCH = 50

DeliveryStatus = Literal["sent", "blocked", "failed"]
"""``blocked``: the learner cannot be reached (blocked the bot, closed DMs); ``failed``: anything else."""


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder to send now: to which account, in which language, saying what."""

    learner_id: int
    platform: str
    user_id: str
    locale: str
    replies: tuple[Reply, ...]


class ReminderSender(Protocol):
    """A front end that can send a learner a direct message unprompted."""

    async def send_reminder(self, reminder: Reminder) -> DeliveryStatus:
        """Send the reminder to ``reminder.user_id``; say whether it was sent, blocked or failed."""
        ...


async def send_due_reminders(
    store: Store,
    settings: TutorSettings,
    now: datetime,
    senders: Mapping[str, ReminderSender],
    *,
    limit: int = BATCH,
) -> int:
    """Claim the reminders due on the senders' platforms, send them, and return how many were sent."""
    if not senders:
        return 0
    async with store.session() as session:
        claimed = [
            reminder
            for due in await session.reminders.due(now, sorted(senders), limit)
            if (reminder := await _claim(session, settings, due, now)) is not None
        ]
    sent = 0
    for reminder in claimed:
        try:
            status = await senders[reminder.platform].send_reminder(reminder)
        except Exception:
            log.exception("sending a reminder to %s:%s failed", reminder.platform, reminder.user_id)
            status = "failed"
        if status == "blocked":
            async with store.session() as session:
                await session.reminders.turn_off(reminder.learner_id)
            log.info("turned off the reminder of learner %s: they cannot be reached", reminder.learner_id)
        sent += status == "sent"
    return sent


async def _claim(
    session: StoreSession, settings: TutorSettings, due: DueReminder, now: datetime
) -> Reminder | None:
    """Move a due reminder on; return what to send if this claim won and it is still worth sending."""
    wanted = due.settings
    if wanted.minute is None or wanted.next_at is None or wanted.platform is None or wanted.user_id is None:
        return None
    tz = zone_or_utc(wanted.time_zone)
    following = next_occurrence(wanted.minute, tz, max(now, wanted.next_at))
    if not await session.reminders.claim(due.learner_id, wanted.next_at, following, now):
        return None  # another process claimed it
    if now - wanted.next_at > LATE:
        return None
    learner = await session.learners.by_id(due.learner_id, lock=False)
    if learner is None:  # pragma: no cover - the reminder row goes with its learner
        return None
    locale = learner.locale if learner.locale in settings.languages else settings.default_locale
    practice_due = await session.practice.due_count(learner.id, now)
    today = local_day(now, tz)
    days = await session.activity.days(learner.id)
    if practice_due == 0 and today in days:
        return None  # nothing to practise and already active today: stay quiet
    current, _ = streaks(days, today)
    lines = [f"**{translate(locale, 'reminder.title')}**"]
    if practice_due:
        lines.append(translate(locale, "reminder.due", count=practice_due))
    lines.append(
        translate(locale, "reminder.streak", count=current)
        if current
        else translate(locale, "reminder.come_back")
    )
    lines.append(translate(locale, "reminder.stop"))
    replies: list[Reply] = [Text("\n\n".join(lines))]
    if practice_due:
        replies.append(
            Buttons((Button(translate(locale, "button.practice"), actions.PRACTICE, "/practice"),))
        )
    return Reminder(learner.id, wanted.platform, wanted.user_id, locale, tuple(replies))
