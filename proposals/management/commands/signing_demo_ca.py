"""Give every current deciding authority a demo signing certificate, so that the demo issues signed documents.

Used by `make run` (scripts/run.sh) with PORTAL_SIGNING_DIR=var/signing; does nothing when the CA is there already.
Never for production: each body's certificate comes from a licensed CA (docs/lifecycle.md, "Signatures").
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import OrganisationUnit
from proposals import signing_ca


class Command(BaseCommand):
    help = "Create a demo CA and a signing certificate for each current deciding authority (demo only)."

    def handle(self, *args, **options):
        if not settings.DOCUMENT_SIGNING_DIR:
            raise CommandError("PORTAL_SIGNING_DIR is not set.")
        folder = Path(settings.DOCUMENT_SIGNING_DIR)
        if (folder / signing_ca.CA_FILE).exists():
            self.stdout.write(f"signing_demo_ca: {folder} has its demo CA already")
            return
        ca, key = signing_ca.ca_create(folder)
        authorities = OrganisationUnit.objects.current().filter(kind__in=OrganisationUnit.AUTHORITY_KINDS)
        count = 0
        for authority in authorities:
            signing_ca.signer_create(folder, code=authority.code, common_name=authority.name, ca=ca, ca_key=key)
            count += 1
        self.stdout.write(f"signing_demo_ca: a demo CA and {count} authorities' certificates in {folder}")
