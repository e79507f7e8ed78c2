"""Messages about retaliation reports: queued in the outbox like every message, but tied to the report's
own confidential trail, so nothing about the report reaches the proposal's history or the authority involved."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import Group
from django.db import transaction

from accounts import selectors as org
from accounts.models import HOME_AFFAIRS_GROUP, AuthorityMembership
from proposals.models import OutboxMessage, RetaliationReport
from proposals.outbox import enqueue_delivery


def monitors_and_handlers(report: RetaliationReport) -> list[int]:
    """Who hears of a retaliation report: Home Affairs and the receiving authority, never the involved one."""
    involved = set(AuthorityMembership.objects.current().filter(
        authority=report.involved_authority).values_list("user_id", flat=True))
    home_affairs = Group.objects.filter(name=HOME_AFFAIRS_GROUP).values_list("user", flat=True)
    receiving = org.authority_members_current(authority=report.receiving_authority).values_list("pk", flat=True)
    return sorted({pk for pk in [*home_affairs, *receiving] if pk and pk not in involved})


def _queue(step, recipient_ids) -> None:
    ids = sorted({pk for pk in recipient_ids if pk and pk != step.actor_id})
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(retaliation_step=step, recipient_id=pk) for pk in ids], ignore_conflicts=True,
    )
    message_ids = list(OutboxMessage.objects.filter(retaliation_step=step, delivered_at__isnull=True)
                       .values_list("pk", flat=True))
    transaction.on_commit(partial(enqueue_delivery, message_ids), robust=True)


def retaliation_filed(*, report: RetaliationReport) -> None:
    _queue(report.steps.order_by("pk").last(), monitors_and_handlers(report))


def retaliation_advanced(*, report: RetaliationReport) -> None:
    _queue(report.steps.order_by("pk").last(), [report.reporter_id])
