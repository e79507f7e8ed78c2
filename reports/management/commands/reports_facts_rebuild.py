from django.core.management.base import BaseCommand

from reports.services import facts_rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's facts and counters from the proposals (after a bulk load with triggers off)."

    def handle(self, *args, **options):
        count = facts_rebuild()
        self.stdout.write(f"reports_facts_rebuild: {count} registered proposals")
