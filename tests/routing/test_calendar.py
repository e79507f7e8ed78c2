import datetime

import pytest

from routing.calendar import add_working_days, is_working_day, working_days_between
from routing.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_seven_working_days_skip_the_weekend():
    # Monday 2 November 2026 → Wednesday 11 November 2026
    assert add_working_days(datetime.date(2026, 11, 2), 7) == datetime.date(2026, 11, 11)


def test_national_day_holidays_do_not_count():
    # 2 September is National Day; 1 September 2026 is a Tuesday
    assert not is_working_day(datetime.date(2026, 9, 2))
    assert add_working_days(datetime.date(2026, 9, 1), 1) == datetime.date(2026, 9, 3)


def test_tet_holidays_do_not_count():
    # Tết Nguyên đán 2027 (Lunar New Year on 6 February 2027)
    assert not is_working_day(datetime.date(2027, 2, 8))


def test_extra_days_off_and_compensatory_working_days_from_the_table():
    CalendarDay.objects.create(date=datetime.date(2026, 11, 3), kind=CalendarDay.Kind.DAY_OFF, name="Nghỉ bù")
    CalendarDay.objects.create(date=datetime.date(2026, 11, 7), kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù")

    assert not is_working_day(datetime.date(2026, 11, 3))
    assert is_working_day(datetime.date(2026, 11, 7))
    # Mon 2 → Tue 3 off, Wed 4, Thu 5, Fri 6, Sat 7 (working), Mon 9, Tue 10, Wed 11
    assert add_working_days(datetime.date(2026, 11, 2), 7) == datetime.date(2026, 11, 11)
    assert add_working_days(datetime.date(2026, 11, 2), 5) == datetime.date(2026, 11, 9)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(datetime.date(2026, 11, 2), datetime.date(2026, 11, 11)) == 7
    assert working_days_between(datetime.date(2026, 11, 11), datetime.date(2026, 11, 2)) == -7
