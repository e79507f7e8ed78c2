"""Changes to the organisation and its roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.models import ADMINISTRATORS_GROUP, HOME_AFFAIRS_GROUP


def roles_ensure() -> None:
    """Create the role groups and give Home Affairs its city-wide view permission (idempotent).

    Runs after every migrate, because permissions only exist once all apps have migrated.
    """
    home_affairs, _ = Group.objects.get_or_create(name=HOME_AFFAIRS_GROUP)
    Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
    view = Permission.objects.filter(content_type__app_label="proposals", codename="view_proposal").first()
    if view is not None:
        home_affairs.permissions.add(view)
