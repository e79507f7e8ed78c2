"""The January task moved from notifications to reports (`reports.annual_review_open`). `setup_periodic_tasks`
rewrites the schedule on every deploy; this renames the task of an existing schedule row as well, so that beat
never sends the old name, which no worker knows any more, even where that command was not run."""

from django.db import migrations
from django.utils import timezone

OLD, NEW = "notifications.open_annual_review", "reports.annual_review_open"


def rename(old, new):
    def run(apps, schema_editor):
        if apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=old).update(task=new):
            # A queryset update sends no signal; beat's database scheduler reloads its schedule only when this
            # row's time changes, so a running beat would otherwise keep sending the old name.
            apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
                ident=1, defaults={"last_update": timezone.now()})
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD))]
