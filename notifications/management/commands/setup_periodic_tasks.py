from django.core.management.base import BaseCommand

from notifications.schedule import setup_periodic_tasks


class Command(BaseCommand):
    help = "Write the portal's periodic tasks (notifications.schedule.SCHEDULE) to django-celery-beat; idempotent."

    def handle(self, *args, **options):
        for name in setup_periodic_tasks():
            self.stdout.write(f"  {name}")
        self.stdout.write(self.style.SUCCESS("Periodic tasks are up to date."))
