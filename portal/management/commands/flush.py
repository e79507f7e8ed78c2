"""`flush` as the schema's owner: emptying tables is TRUNCATE, which the application's role may not do
(portal/database.py). Tests that commit their data are emptied with it."""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS

from portal.database import as_owner


class Command(DjangoFlush):
    def execute(self, *args, **options):
        with as_owner(options.get("database") or DEFAULT_DB_ALIAS):
            return super().execute(*args, **options)
