"""Streak days, week starts and reminder moments across time zones: examples, then properties."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.calendar import (
    format_time_of_day,
    local_day,
    next_occurrence,
    parse_time_of_day,
    streaks,
    week_start,
    zone,
)

REGIONS = ("Asia/", "Europe/", "America/", "Australia/", "Pacific/", "Africa/")
ZONES = [*sorted(name for name in zoneinfo.available_timezones() if name.startswith(REGIONS)), "UTC"]
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES).map(zoneinfo.ZoneInfo)
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


@pytest.mark.parametrize(
    ("text", "minute"),
    [("19:00", 1140), ("0:00", 0), ("23:59", 1439), ("07:05", 425), ("19：30", 1170)],
)
def test_times_of_day_parse(text: str, minute: int) -> None:
    assert parse_time_of_day(text) == minute


@pytest.mark.parametrize("text", ["25:00", "24:00", "12:60", "7pm", "", "1900", "-1:00", "12:5"])
def test_impossible_times_of_day_are_refused(text: str) -> None:
    assert parse_time_of_day(text) is None


@pytest.mark.parametrize("name", ["Nowhere/City", "../etc/passwd", "/usr/share/zoneinfo/UTC", "", "a" * 80])
def test_only_real_zone_names_are_zones(name: str) -> None:
    assert zone(name) is None


def test_a_spring_forward_gap_moves_the_reminder_by_the_gap() -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    night = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)  # midnight in New York, the night clocks skip 02:xx

    found = next_occurrence(2 * 60 + 30, new_york, night)

    assert found.astimezone(new_york).strftime("%H:%M") == "03:30"


def test_a_fall_back_day_reminds_at_the_first_of_the_two_times() -> None:
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    found = next_occurrence(2 * 60 + 30, berlin, datetime(2026, 10, 24, 22, 0, tzinfo=UTC))
    assert found == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, before the clocks go back


def test_streaks_examples() -> None:
    d = date(2026, 3, 10)
    assert streaks([], d) == (0, 0)
    assert streaks([d - timedelta(days=1), d - timedelta(days=2)], d) == (2, 2)  # alive until today ends
    assert streaks([d - timedelta(days=2)], d) == (0, 1)
    days = [d - timedelta(days=n) for n in (0, 1, 5, 6, 7, 8)]
    assert streaks(days, d) == (2, 4)


@given(moments)
def test_a_week_starts_on_the_monday_midnight_utc_before_it(moment: datetime) -> None:
    start = week_start(moment)
    assert start.weekday() == 0 and start.tzinfo == UTC
    assert (start.hour, start.minute, start.second, start.microsecond) == (0, 0, 0, 0)
    assert start <= moment < start + timedelta(days=7)


@given(moments, zones)
def test_the_week_does_not_depend_on_the_learners_time_zone(moment: datetime, tz: zoneinfo.ZoneInfo) -> None:
    assert week_start(moment.astimezone(tz)) == week_start(moment)


@given(moments, zones, minutes)
@settings(max_examples=300)
def test_the_next_reminder_comes_within_a_day_at_the_local_time_asked(
    moment: datetime, tz: zoneinfo.ZoneInfo, minute: int
) -> None:
    found = next_occurrence(minute, tz, moment)
    assert moment < found <= moment + timedelta(hours=26)
    local = found.astimezone(tz)
    shown = local.hour * 60 + local.minute
    if shown != minute:  # only where the clocks skipped the time asked, by at most the gap
        assert 0 < shown - minute <= 120 or shown - minute < -22 * 60
    # No earlier moment after ``moment`` shows that local time.
    assert next_occurrence(minute, tz, found - timedelta(microseconds=1)) == found


@given(st.lists(moments, max_size=40), zones, moments)
def test_streaks_are_consistent_runs_of_local_days(
    activity: list[datetime], tz: zoneinfo.ZoneInfo, now: datetime
) -> None:
    days = [local_day(moment, tz) for moment in activity]
    today = local_day(now, tz)
    current, longest = streaks(days, today)
    assert 0 <= current <= longest <= len(set(days))
    if today in days:
        assert current >= 1
    if days and max(days) < today - timedelta(days=1):
        assert current == 0


@given(moments, zones)
def test_activity_one_second_apart_across_local_midnight_makes_two_days(
    moment: datetime, tz: zoneinfo.ZoneInfo
) -> None:
    local = moment.astimezone(tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time()).replace(tzinfo=tz)
    before, after = midnight - timedelta(seconds=1), midnight + timedelta(seconds=1)
    days = [local_day(before, tz), local_day(after, tz)]
    if days[0] != days[1] - timedelta(days=1):
        return  # a day that has no midnight (a few zones skip 00:00 on a DST change)
    assert streaks(days, days[1]) == (2, 2)


@given(minutes)
def test_a_time_of_day_round_trips(minute: int) -> None:
    assert parse_time_of_day(format_time_of_day(minute)) == minute
