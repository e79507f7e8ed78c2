"""Units file their yearly implementation plan; Home Affairs reminds those that have not."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationUnit, User
from proposals import outbox
from proposals.files import checked_upload
from proposals.models import NoticeKind, OutboxMessage
from reports import permissions, selectors
from reports.errors import DomainError
from reports.models import PLAN_UNIT_KINDS, ImplementationPlan, PlanReminder


@transaction.atomic
def implementation_plan_file(*, actor: User, unit: OrganisationUnit, year: int, document: UploadedFile,
                             document_date: datetime.date, measures: str) -> ImplementationPlan:
    """File (or replace) a unit's plan for a year. The replaced document is deleted once the change commits."""
    permissions.require_can_file_plan(actor, unit)
    # Serialise filings for one unit so that two first filings do not race into the unique constraint.
    unit = OrganisationUnit.objects.select_for_update(no_key=True).get(pk=unit.pk)
    if unit.kind not in PLAN_UNIT_KINDS:
        raise DomainError(_("Chỉ sở, ban, ngành Thành phố và UBND cấp cơ sở nộp kế hoạch thực hiện."),
                          code="not_a_plan_unit")
    if document_date > timezone.localdate():
        raise DomainError(_("Ngày ban hành không thể ở tương lai."), code="plan_dated_in_future")
    if not measures.strip():
        raise DomainError(_("Hãy tóm tắt các biện pháp của kế hoạch."), code="plan_measures_missing")
    checked = checked_upload(document)
    plan = ImplementationPlan.objects.filter(unit=unit, year=year).first() or ImplementationPlan(unit=unit, year=year)
    replaced = plan.document.name if plan.pk else ""
    plan.document_date = document_date
    plan.measures = measures.strip()
    plan.filed_by = actor
    plan.filed_at = timezone.now()
    plan.document_name = checked.name
    plan.document.save(checked.storage_name, document, save=False)
    try:
        plan.full_clean(validate_unique=False)
        plan.save()
    except Exception:
        plan.document.storage.delete(plan.document.name)
        raise
    if replaced:
        storage = plan.document.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    return plan


@transaction.atomic
def plan_reminders_send(*, actor: User, year: int, units: Iterable[OrganisationUnit]) -> list[PlanReminder]:
    """Remind units that have not filed their plan for the year; units that have filed are skipped.

    Each reminder tells the unit's head and secretariat through the outbox (in-app, and by e-mail if they
    want it), keyed by the reminder: reminding a unit again is a new reminder and a new message."""
    permissions.require_monitor(actor)
    units = [unit for unit in units if unit.kind in PLAN_UNIT_KINDS]
    filed = set(ImplementationPlan.objects.filter(year=year, unit__in=units).values_list("unit_id", flat=True))
    due = [unit for unit in units if unit.pk not in filed]
    recipients = selectors.plan_recipients(units=due)
    reminders, notices = [], []
    for unit in due:
        people = recipients.get(unit.pk, {})
        reminder = PlanReminder.objects.create(unit=unit, year=year, sent_by=actor,
                                               recipients=sorted(email for email in people.values() if email))
        reminders.append(reminder)
        notices += [OutboxMessage(kind=NoticeKind.PLAN_REMINDER, key=f"plan-reminder:{reminder.pk}",
                                  recipient_id=pk, payload={"year": year, "unit": unit.name}) for pk in people]
    outbox.queue_notices(notices)
    return reminders
