"""Who may use the monitoring workplace. Pages answer 404 to anyone without a reason to see them."""

from __future__ import annotations

from accounts import permissions as roles
from accounts.models import OrganisationUnit, User
from reports import selectors
from reports.errors import NotAllowed


def can_monitor_city(user: User) -> bool:
    return roles.can_monitor_city(user)


def require_monitor(user: User) -> None:
    """Plans overview, reminders and annual reviews belong to Home Affairs and administrators."""
    if not roles.can_monitor_city(user):
        raise NotAllowed()


def can_file_plan(user: User, unit: OrganisationUnit) -> bool:
    return any(own.pk == unit.pk for own in selectors.plan_units_for(user=user))


def require_can_file_plan(user: User, unit: OrganisationUnit) -> None:
    if not can_file_plan(user, unit):
        raise NotAllowed()
