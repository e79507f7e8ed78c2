"""Messages to people, queued in the transaction of the change that causes them.

Delivery (e-mail and in-app notification) is the notifications app's task. Once the transaction has
committed, `queue` hands each message id to the broker; if the broker does not answer, the change is
already committed and the row waits in the outbox until the periodic relay delivers it. A broker outage
can therefore neither undo nor block a change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from celery import current_app
from django.db import transaction

from proposals.models import OutboxMessage, ProposalEvent

logger = logging.getLogger(__name__)

#: Registered by notifications.tasks; named rather than imported, as proposals does not depend on notifications.
DELIVERY_TASK = "notifications.deliver_outbox_message"


def queue(*, event: ProposalEvent, recipient_ids: Iterable[int], to_actor: bool = False) -> int:
    """Queue one message per recipient of an event written in this transaction (so none exists yet).

    The person who caused the event is left out, unless `to_actor` (a receipt for what they did)."""
    ids = sorted({pk for pk in recipient_ids if pk and (to_actor or pk != event.actor_id)})
    if ids:
        # A plain bulk insert returns the new primary keys on PostgreSQL: one statement, no read back.
        messages = OutboxMessage.objects.bulk_create([OutboxMessage(event=event, recipient_id=pk) for pk in ids])
        transaction.on_commit(partial(enqueue_delivery, [message.pk for message in messages]), robust=True)
    return len(ids)


def queue_many(items: Iterable[tuple[ProposalEvent, Iterable[int]]]) -> list[int]:
    """`queue` for many events just written, in one insert; returns the ids of the messages queued.

    The events are new, so no message can exist for them yet and the insert returns every id."""
    messages = [
        OutboxMessage(event=event, recipient_id=pk)
        for event, recipient_ids in items
        for pk in sorted({pk for pk in recipient_ids if pk and pk != event.actor_id})
    ]
    if not messages:
        return []
    message_ids = [message.pk for message in OutboxMessage.objects.bulk_create(messages)]
    transaction.on_commit(partial(enqueue_delivery, message_ids), robust=True)
    return message_ids


def queue_notices(messages: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Queue unsaved messages that carry a kind, a key and a payload instead of an event.

    A recipient who already has a message with the same key gets none. Returns the messages queued now;
    a caller that may run concurrently with itself serialises on a row of its own (e.g. the year's review).
    """
    wanted = {(message.key, message.recipient_id): message for message in messages if message.recipient_id}
    if not wanted:
        return []
    keys = {key for key, _pk in wanted}
    recipient_ids = {pk for _key, pk in wanted}
    existing = OutboxMessage.objects.filter(key__in=keys, recipient_id__in=recipient_ids)
    told = set(existing.values_list("key", "recipient_id"))
    new = {pair: message for pair, message in wanted.items() if pair not in told}
    OutboxMessage.objects.bulk_create(new.values(), ignore_conflicts=True)
    # bulk_create(ignore_conflicts=True) does not return primary keys on PostgreSQL.
    queued = [message for message in existing.filter(delivered_at__isnull=True).order_by("pk")
              if (message.key, message.recipient_id) in new]
    if queued:
        transaction.on_commit(partial(enqueue_delivery, [message.pk for message in queued]), robust=True)
    return queued


def enqueue_delivery(message_ids: list[int]) -> bool:
    """Send delivery tasks for committed outbox rows; never raises. Returns whether the broker took them."""
    if not message_ids:
        return True
    try:
        # A connection from the app's pool: opening a new one per request costs more than the change it follows.
        with current_app.pool.acquire(block=True) as connection:
            # One connection attempt, no retries: kombu's defaults would hold the request for seconds.
            connection.ensure_connection(max_retries=0)
            for pk in message_ids:
                current_app.send_task(DELIVERY_TASK, args=[pk], connection=connection, retry=False)
    except Exception:
        logger.warning("The broker did not take %d outbox message(s); the relay will deliver them.",
                       len(message_ids), exc_info=True)
        return False
    return True
