import importlib

from django.apps import apps
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

import notifications.tasks  # noqa: F401  (a worker imports every app's tasks module; so does this test)
import proposals.tasks  # noqa: F401
import reports.tasks  # noqa: F401
from notifications.schedule import SCHEDULE
from portal.celery import app


def test_the_schedule_is_written_from_code_and_can_be_written_again(db):
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")

    tasks_by_name = dict(PeriodicTask.objects.filter(name__in=SCHEDULE).values_list("name", "task"))
    assert tasks_by_name == {name: task for name, (task, _when) in SCHEDULE.items()}
    for task in tasks_by_name.values():
        assert task in app.tasks  # beat would send a name no worker knows otherwise
    relay = PeriodicTask.objects.get(task="notifications.relay_outbox")
    assert relay.interval.every == 1 and relay.interval.period == "minutes"
    january = PeriodicTask.objects.get(task="reports.annual_review_open").crontab
    assert (january.month_of_year, january.day_of_month, str(january.timezone)) == ("1", "2", "Asia/Ho_Chi_Minh")
    scan = PeriodicTask.objects.get(task="notifications.scan_deadlines").crontab
    assert (scan.hour, scan.minute, scan.day_of_month) == ("7", "0", "*")


def test_a_schedule_row_written_before_the_january_task_moved_names_the_new_task(db):
    migration = importlib.import_module("notifications.migrations.0002_annual_review_task_in_reports")
    january = CrontabSchedule.objects.create(minute="0", hour="8", day_of_month="2", month_of_year="1")
    PeriodicTask.objects.create(name="Tháng Giêng", task=migration.OLD, crontab=january)

    migration.rename(migration.OLD, migration.NEW)(apps, None)

    assert PeriodicTask.objects.get(name="Tháng Giêng").task == "reports.annual_review_open"
    assert "reports.annual_review_open" in app.tasks
