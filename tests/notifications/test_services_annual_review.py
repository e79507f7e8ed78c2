from django.core import mail
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

import proposals.tasks  # noqa: F401  (a worker imports every app's tasks module; so does this test)
import reports.tasks  # noqa: F401
from notifications import services, tasks
from notifications.models import Category, Notification
from notifications.schedule import SCHEDULE
from portal.celery import app


def test_every_agency_and_local_committee_head_is_reminded_once_a_year(org):
    from reports.models import AnnualReview

    created = services.annual_review_open(year=2025)

    assert AnnualReview.objects.filter(year=2025).exists()
    # Sở Xây dựng and the ward have heads; the City is not a plan-filing unit, Sở Nội vụ has no head here
    assert {n.recipient_id for n in created} == {org.head_dept.pk, org.head_ward.pk}
    notification = Notification.objects.get(recipient=org.head_ward)
    assert notification.category == Category.ANNUAL_REVIEW and "2025" in notification.title
    assert org.ward.name in notification.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org.head_dept.email, org.head_ward.email])

    # a second run (a retry, a beat that fired twice) tells nobody again
    assert services.annual_review_open(year=2025) == []
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(key="annual-review:2025").count() == 2
    # the next year is a new review
    assert len(services.annual_review_open(year=2026)) == 2


def test_the_january_task_opens_the_review_of_the_year_that_ended(org):
    assert tasks.open_annual_review(2024) == 2
    assert Notification.objects.filter(key="annual-review:2024").count() == 2


def test_the_schedule_is_written_from_code_and_can_be_written_again(db):
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")

    tasks_by_name = dict(PeriodicTask.objects.filter(name__in=SCHEDULE).values_list("name", "task"))
    assert tasks_by_name == {name: task for name, (task, _when) in SCHEDULE.items()}
    for task in tasks_by_name.values():
        assert task in app.tasks  # beat would send a name no worker knows otherwise
    relay = PeriodicTask.objects.get(task="notifications.relay_outbox")
    assert relay.interval.every == 1 and relay.interval.period == "minutes"
    january = PeriodicTask.objects.get(task="notifications.open_annual_review").crontab
    assert (january.month_of_year, january.day_of_month, str(january.timezone)) == ("1", "2", "Asia/Ho_Chi_Minh")
    scan = PeriodicTask.objects.get(task="notifications.scan_deadlines").crontab
    assert (scan.hour, scan.minute, scan.day_of_month) == ("7", "0", "*")
