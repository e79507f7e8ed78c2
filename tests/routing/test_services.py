import datetime

import pytest

from accounts.errors import DomainError
from routing import services
from routing.models import CalendarDay


def test_a_calendar_day_needs_a_reason_and_only_home_affairs_sets_one(org):
    day = datetime.date(2026, 11, 3)

    with pytest.raises(DomainError) as no_reason:
        services.calendar_day_set(actor=org.homeaffairs, date=day, kind="day_off", name="  ")
    with pytest.raises(DomainError) as not_home_affairs:
        services.calendar_day_set(actor=org.head_dept, date=day, kind="day_off", name="Nghỉ bù")

    assert no_reason.value.code == "calendar_day_reason_missing"
    assert not_home_affairs.value.code == "calendar_edit_denied"
    assert not CalendarDay.objects.exists()
