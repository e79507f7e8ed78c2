"""Import the organisation from HR files in a script: check, and with --apply apply (docs/organisation.md)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import OrganisationImport, User


class Command(BaseCommand):
    help = "Check (and with --apply, apply) an organisation import: an XLSX workbook or CSV files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--as", dest="actor", required=True, help="username recorded as who imported")
        parser.add_argument("--mode", choices=[mode for mode, _label in OrganisationImport.Mode.choices],
                            default=OrganisationImport.Mode.UPDATE)
        parser.add_argument("--as-of", type=datetime.date.fromisoformat, default=None,
                            help="for --mode sync: the day from which what the file leaves out has ended (YYYY-MM-DD)")
        parser.add_argument("--apply", action="store_true", help="apply it when the check finds no problem")

    def handle(self, *args, files, actor, mode, as_of, apply, **options):
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {actor!r}")
        uploads = [SimpleUploadedFile(path.name, path.read_bytes()) for path in files]
        organisation_import = services.organisation_import_upload(
            actor=user, files=uploads, mode=mode, as_of=as_of or datetime.date.today())
        organisation_import = services.organisation_import_check(import_id=organisation_import.pk)
        self._report(organisation_import)
        if organisation_import.status != OrganisationImport.Status.CHECKED or organisation_import.summary["problems"]:
            raise CommandError(f"import {organisation_import.pk} not applicable: see the problems above")
        if not apply:
            self.stdout.write(f"import {organisation_import.pk} checked; run again with --apply to apply it")
            return
        services.organisation_import_request_apply(actor=user, organisation_import=organisation_import)  # asks once
        organisation_import = services.organisation_import_apply(import_id=organisation_import.pk)
        self._report(organisation_import)
        if organisation_import.status != OrganisationImport.Status.APPLIED:
            raise CommandError(f"import {organisation_import.pk} was not applied")
        self.stdout.write(self.style.SUCCESS(f"import {organisation_import.pk} applied"))

    def _report(self, organisation_import: OrganisationImport) -> None:
        if organisation_import.error:
            self.stderr.write(organisation_import.error)
        summary = organisation_import.summary
        for sheet, counts in summary.get("counts", {}).items():
            self.stdout.write(f"{sheet}: {counts['create']} created, {counts['change']} changed, "
                              f"{counts['end']} ended")
        for problem in organisation_import.problems:
            self.stderr.write(f"{problem['sheet']} row {problem['row']}, {problem['column']}: {problem['message']}")
        if summary.get("problems", 0) > len(organisation_import.problems):
            self.stderr.write(f"... {summary['problems']} problems in all")
