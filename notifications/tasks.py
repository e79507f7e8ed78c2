"""Celery tasks: thin adapters that take ids, call one service and are safe to run twice.

All of them acknowledge late (CELERY_TASK_ACKS_LATE, and explicitly below), so a worker killed
mid-task leaves the message on the broker to run again; the services make a second run harmless.
"""

from __future__ import annotations

import datetime
from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from notifications import services

#: Errors worth retrying: the mail server or the database was briefly unreachable.
TRANSIENT = (SMTPException, OSError, OperationalError, InterfaceError)

#: The name proposals.outbox uses to enqueue deliveries without importing this app.
DELIVER_OUTBOX_MESSAGE = "notifications.deliver_outbox_message"


@shared_task(name=DELIVER_OUTBOX_MESSAGE, acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True,
             retry_backoff_max=600, retry_jitter=True, max_retries=8)
def deliver_outbox_message(message_id: int) -> bool:
    # Past max_retries the row stays undelivered and the relay keeps trying every minute.
    return services.outbox_message_deliver(message_id=message_id) is not None


@shared_task(name="notifications.relay_outbox", acks_late=True)
def relay_outbox() -> int:
    return services.outbox_relay()


@shared_task(name="notifications.scan_deadlines", acks_late=True, autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, max_retries=5)
def scan_deadlines(day: str | None = None) -> int:
    today = datetime.date.fromisoformat(day) if day else None
    return len(services.deadline_scan(today=today))
