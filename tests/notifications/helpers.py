import datetime

from proposals import services
from proposals.models import OutboxMessage

TODAY = datetime.date.today()


def reject(head, proposal, number="QĐ-01/2026"):
    return services.proposal_reject(actor=head, proposal=proposal, number=number, decision_date=TODAY,
                                    reasons="Chưa đủ cơ sở pháp lý")


def pending_ids(**filters):
    return list(OutboxMessage.objects.filter(delivered_at__isnull=True, **filters).order_by("pk")
                .values_list("pk", flat=True))
