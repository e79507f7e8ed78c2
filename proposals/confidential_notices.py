"""Messages about retaliation reports: queued in the outbox like every message, but tied to the report's
own confidential trail, so nothing about the report reaches the proposal's history or the authority involved."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from proposals.models import OutboxMessage, RetaliationReport
from proposals.outbox import enqueue_delivery


def _queue(step, recipient_ids) -> None:
    ids = sorted({pk for pk in recipient_ids if pk and pk != step.actor_id})
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(retaliation_step=step, recipient_id=pk) for pk in ids], ignore_conflicts=True,
    )
    message_ids = list(OutboxMessage.objects.filter(retaliation_step=step, delivered_at__isnull=True)
                       .values_list("pk", flat=True))
    transaction.on_commit(partial(enqueue_delivery, message_ids), robust=True)


def retaliation_filed(*, report: RetaliationReport) -> None:
    from proposals.services.aftercare import monitors_and_handlers  # local: that module calls this one

    _queue(report.steps.order_by("pk").last(), monitors_and_handlers(report))


def retaliation_advanced(*, report: RetaliationReport) -> None:
    _queue(report.steps.order_by("pk").last(), [report.reporter_id])
