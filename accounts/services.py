"""Changes to the organisation and its roles."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone

from accounts.errors import PasswordResetThrottled
from accounts.models import ADMINISTRATORS_GROUP, HOME_AFFAIRS_GROUP, PasswordResetRequest


def roles_ensure() -> None:
    """Create the role groups and give Home Affairs its city-wide view permission (idempotent).

    Runs after every migrate, because permissions only exist once all apps have migrated.
    """
    home_affairs, _ = Group.objects.get_or_create(name=HOME_AFFAIRS_GROUP)
    Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    view = Permission.objects.filter(content_type__app_label="proposals", codename="view_proposal").first()
    if view is not None:
        home_affairs.permissions.add(view)


#: How long a password-reset request counts against its address and its client.
PASSWORD_RESET_WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def password_reset_request_record(*, email: str, client_address: str) -> None:
    """Count a password-reset request, or refuse it when its e-mail address or its client has had
    PASSWORD_RESET_LIMIT_PER_ADDRESS or PASSWORD_RESET_LIMIT_PER_CLIENT requests in the last hour.

    Counted whether or not an account has the address, so a refusal tells nothing about who has an account."""
    email = email.strip().lower()
    now = timezone.now()
    since = now - PASSWORD_RESET_WINDOW
    with connection.cursor() as cursor:
        # Two requests for one address at once are counted one after the other.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"password-reset:{email}"])
    recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
    for limit, mine in ((settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, recent.filter(email=email)),
                        (settings.PASSWORD_RESET_LIMIT_PER_CLIENT, recent.filter(client_address=client_address))):
        oldest = list(mine.order_by("-requested_at").values_list("requested_at", flat=True)[:limit])
        if len(oldest) >= limit:
            wait = oldest[-1] + PASSWORD_RESET_WINDOW - now
            raise PasswordResetThrottled(minutes=max(1, math.ceil(wait.total_seconds() / 60)))
    PasswordResetRequest.objects.filter(requested_at__lt=now - datetime.timedelta(days=1)).delete()
    PasswordResetRequest.objects.create(email=email, client_address=client_address, requested_at=now)
