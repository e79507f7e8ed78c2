"""Who may use the monitoring workplace. Pages answer 404 to anyone without a reason to see them."""

from __future__ import annotations

from django.utils import timezone

from accounts import permissions as roles
from accounts.models import OrganisationUnit, User
from reports import selectors
from reports.errors import NotAllowed
from reports.models import ExportJob


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


# — background exports —

def scope_key(scope: selectors.Scope) -> str:
    """The scope as a job records it: the file was written for this scope and is served only within it."""
    if scope.city:
        return "city"
    return "authorities:" + ",".join(str(pk) for pk in sorted(unit.pk for unit in scope.authorities))


def can_see_export(user: User, job: ExportJob) -> bool:
    """An export is its author's alone: not Home Affairs colleagues', not an administrator's."""
    return user.is_authenticated and user.is_active and job.created_by_id == user.pk


def can_download_export(user: User, job: ExportJob, scope: selectors.Scope | None) -> bool:
    """A finished, unexpired file, to its author, while their scope is still the one it was written for."""
    return (can_see_export(user, job) and scope is not None and job.status == ExportJob.Status.DONE
            and job.expires_at > timezone.now() and job.scope_key == scope_key(scope))
