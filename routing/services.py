"""State changes of the routing app."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from accounts.permissions import can_monitor_city
from routing.models import CalendarDay, RoutingFailure
from routing.policy import SubmitterProfile


def routing_failure_record(*, submitter: User, proposal_reference: str, profile: SubmitterProfile | None,
                           message: str) -> RoutingFailure:
    """Keep a refused submission visible to administrators; runs outside the refused transaction."""
    return RoutingFailure.objects.create(
        submitter=submitter,
        proposal_reference=proposal_reference,
        profile=profile.as_json() if profile else {},
        message=message[:300],
    )



class CalendarEditDenied(DomainError):
    code = "calendar_edit_denied"

    def default_message(self) -> str:
        return _("Chỉ Sở Nội vụ và quản trị viên được sửa lịch ngày nghỉ, ngày làm bù.")


def _require_calendar_editor(actor: User) -> None:
    if not can_monitor_city(actor):
        raise CalendarEditDenied()


@transaction.atomic
def calendar_day_set(*, actor: User, date: datetime.date, kind: str, name: str) -> CalendarDay:
    """Add or change an extra day off or a compensatory working day; deadlines computed later use it."""
    _require_calendar_editor(actor)
    if not name.strip():
        raise DomainError(_("Hãy nêu lý do."), code="calendar_day_reason_missing")
    day, _created = CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name.strip()})
    return day


@transaction.atomic
def calendar_day_remove(*, actor: User, day: CalendarDay) -> None:
    _require_calendar_editor(actor)
    day.delete()
