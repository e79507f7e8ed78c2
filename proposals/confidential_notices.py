"""Messages about retaliation reports: queued in the outbox like every message, but tied to the report's
own confidential trail, so nothing about the report reaches the proposal's history or the authority involved."""

from __future__ import annotations

from proposals.models import OutboxMessage, RetaliationReport


def _queue(step, recipient_ids) -> None:
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(retaliation_step=step, recipient_id=pk) for pk in sorted(set(recipient_ids))
         if pk != step.actor_id],
        ignore_conflicts=True,
    )


def retaliation_filed(*, report: RetaliationReport) -> None:
    from proposals.services.aftercare import monitors_and_handlers

    _queue(report.steps.order_by("pk").last(), monitors_and_handlers(report))


def retaliation_advanced(*, report: RetaliationReport) -> None:
    _queue(report.steps.order_by("pk").last(), [report.reporter_id])
