"""manage.py audit_verify [--seal]: recompute the chains of the audit trails (proposals.audit); exit status 1
and the first broken row of each broken trail when one does not hold."""

from django.core.management.base import BaseCommand, CommandError

from proposals import audit


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail, the confidential access log and the retaliation steps."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="seal the rows old enough first, as nightly")

    def handle(self, *args, seal=False, **options):
        if seal:
            for table, count in audit.audit_seal().items():
                self.stdout.write(f"{table}: {count} rows sealed")
        breaks = audit.audit_verify()
        if breaks:
            for item in breaks:
                self.stderr.write(f"{item.table}: broken at row {item.row_id}: {item.reason}")
            raise CommandError(f"{len(breaks)} trail(s) broken")
        self.stdout.write("every trail holds")
