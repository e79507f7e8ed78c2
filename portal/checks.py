"""Deployment checks of the portal's own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS


@checks.register(checks.Tags.security, deploy=True)
def check_application_role(app_configs, **kwargs):
    owner = getattr(settings, "DATABASE_OWNER", None)
    if owner and owner["USER"] == settings.DATABASES[DEFAULT_DB_ALIAS]["USER"]:
        return [checks.Warning(
            "The portal connects to the database as the role that owns it, which can switch the audit "
            "trail's triggers off or truncate it.",
            hint="Set DATABASE_APP_URL to a role that may only read and write rows, or leave it unset to use "
                 "<database>_app (docs/security.md, \"Database roles\").",
            id="portal.W001",
        )]
    return []
