"""`migrate` as the schema's owner, then the application's role granted its rights (portal/database.py)."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import DEFAULT_DB_ALIAS, connections

from portal.database import app_role_ensure, as_owner


class Command(DjangoMigrate):
    help = (DjangoMigrate.help + " Runs as the database's owner (DATABASE_URL) and then grants the application's "
            "role (DATABASE_APP_URL) the rows of every table.")

    def execute(self, *args, **options):
        # The system checks that run before handle() read the database too.
        with as_owner(options.get("database") or DEFAULT_DB_ALIAS):
            return super().execute(*args, **options)

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if options["database"] == DEFAULT_DB_ALIAS:
            app_role_ensure(connections[DEFAULT_DB_ALIAS],
                            stdout=self.stdout if options["verbosity"] >= 1 else None)
