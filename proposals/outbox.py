"""Messages to people, queued in the transaction of the change that causes them.

Delivery (e-mail and in-app notification) reads the outbox later; nothing here talks to a broker,
so a broker outage can never undo or block a change.
"""

from __future__ import annotations

from collections.abc import Iterable

from proposals.models import OutboxMessage, ProposalEvent


def queue(*, event: ProposalEvent, recipient_ids: Iterable[int]) -> int:
    ids = sorted({pk for pk in recipient_ids if pk and pk != event.actor_id})
    OutboxMessage.objects.bulk_create(
        [OutboxMessage(event=event, recipient_id=pk) for pk in ids], ignore_conflicts=True,
    )
    return len(ids)
