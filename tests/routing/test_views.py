import datetime

import pytest
from django.urls import reverse

from routing.calendar import add_working_days
from routing.models import CalendarDay
from tests.helpers import client_for


def test_home_affairs_keeps_the_calendar_and_deadlines_follow_it(org):
    client = client_for(org.homeaffairs)
    url = reverse("routing:calendar")

    page = client.get(url + "?year=2027")
    assert page.status_code == 200 and "Tết" in page.content.decode()
    bad = client.post(url, {"date": "31/02/2027", "kind": "day_off", "name": "x"})
    assert bad.status_code == 200 and not CalendarDay.objects.exists()
    client.post(url, {"date": "03/11/2026", "kind": "day_off", "name": "Nghỉ bù"})

    assert CalendarDay.objects.get().date == datetime.date(2026, 11, 3)
    assert add_working_days(datetime.date(2026, 11, 2), 1) == datetime.date(2026, 11, 4)
    client.post(url, {"remove": CalendarDay.objects.get().pk})
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("who", ["head_dept", "proposer_dept", "outsider"])
def test_others_cannot_see_or_edit_the_calendar(org, who):
    client = client_for(getattr(org, who))

    assert client.get(reverse("routing:calendar")).status_code == 404
    assert client.post(reverse("routing:calendar"), {"date": "03/11/2026", "kind": "day_off",
                                                     "name": "x"}).status_code == 404
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("year", ["-1", "0", "10000", "99999999999", "2026abc", "٢٠٢٦"])
def test_a_year_the_calendar_does_not_cover_is_answered_with_a_message(org, year):
    response = client_for(org.homeaffairs).get(reverse("routing:calendar"), {"year": year})

    assert response.status_code == 400
    assert "hãy chọn một năm từ 2000 đến" in response.content.decode()
