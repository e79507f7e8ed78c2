"""Working days: Monday to Friday, minus Vietnam's public holidays, adjusted by the editable CalendarDay table."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays

from routing.models import CalendarDay


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


class WorkingCalendar:
    """Answers working-day questions over a window with one query for the editable exceptions."""

    def __init__(self, start: datetime.date, end: datetime.date):
        overrides = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
        self._overrides = dict(overrides)

    def is_working_day(self, day: datetime.date) -> bool:
        override = self._overrides.get(day)
        if override == CalendarDay.Kind.WORKING_DAY:
            return True
        if override == CalendarDay.Kind.DAY_OFF:
            return False
        return day.weekday() < 5 and day not in _public_holidays(day.year)


def _window(start: datetime.date, days: int) -> datetime.date:
    # Tết can take up to ~9 consecutive days off; three weeks of slack per working week is ample.
    return start + datetime.timedelta(days=days * 3 + 21)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day on which a clock of `days` working days that starts on `start` ends.

    The start day itself does not count (a proposal received on Monday with a 7-day clock is due
    the following Wednesday).
    """
    calendar = WorkingCalendar(start, _window(start, days))
    day, remaining = start, days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    calendar = WorkingCalendar(start, end)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def is_working_day(day: datetime.date) -> bool:
    return WorkingCalendar(day, day).is_working_day(day)
