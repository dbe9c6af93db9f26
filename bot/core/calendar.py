"""Time as learners live it: time zones, times of day, local days, streaks and weeks.

Pure functions over aware datetimes, so that streak, week and reminder boundaries can be tested across
time zones without a clock. Learners' days are local (their ``/timezone``); weekly boards are global and
start on Monday at 00:00 UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "UTC"
MINUTES_PER_DAY = 24 * 60
_TIME = re.compile(r"^(?P<hour>\d{1,2})[:：.](?P<minute>\d{2})$")
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")


def zone(name: str) -> ZoneInfo | None:
    """Return the IANA time zone called ``name`` (``Asia/Shanghai``, ``UTC``), None if there is none."""
    # ZoneInfo also reads absolute paths and "..": allow only names shaped like zone names.
    if not _ZONE_NAME.match(name) or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_or_utc(name: str) -> ZoneInfo:
    """Return the time zone called ``name``, or UTC if it no longer exists (a tz database update)."""
    return zone(name) or ZoneInfo(DEFAULT_ZONE)


def parse_time_of_day(text: str) -> int | None:
    """Return the minute of the day ``HH:MM`` names (``19:00`` is 1140), None unless 00:00-23:59."""
    match = _TIME.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def format_time_of_day(minute: int) -> str:
    """Return a minute of the day as ``HH:MM``."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """Return the date it is in ``tz`` at ``moment``."""
    return moment.astimezone(tz).date()


def next_occurrence(minute: int, tz: ZoneInfo, after: datetime) -> datetime:
    """Return the first moment strictly after ``after`` when local time in ``tz`` reads ``minute``.

    On a day whose clocks skip that time (spring forward), it comes as much later as the clocks skip
    (02:30 becomes 03:30); on a day that shows it twice (fall back), it is the first of the two.
    """
    wanted = time(minute // 60, minute % 60)
    day = local_day(after, tz)
    for offset in range(3):
        candidate = _resolve(datetime.combine(day + timedelta(days=offset), wanted), tz)
        if candidate > after:
            return candidate
    raise AssertionError("a time of day recurs within three days")  # pragma: no cover


def _resolve(naive: datetime, tz: ZoneInfo) -> datetime:
    """Return the UTC moment of a local wall time (PEP 495's ``fold=0`` for skipped and repeated times)."""
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def week_start(moment: datetime) -> datetime:
    """Return the Monday 00:00 UTC that begins the week ``moment`` is in (weekly boards reset then)."""
    day = moment.astimezone(UTC).date()
    monday = day - timedelta(days=day.weekday())
    return datetime.combine(monday, time(0), tzinfo=UTC)


def streaks(days: Iterable[date], today: date) -> tuple[int, int]:
    """Return the current and the longest run of consecutive active days.

    The current run ends today, or yesterday while today is not over: a learner who has not practised
    yet today still has their streak.
    """
    ordered = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    # A last day after "today" (recorded before the learner moved west) still counts as current.
    current = run if previous is not None and today - previous <= timedelta(days=1) else 0
    return current, longest
