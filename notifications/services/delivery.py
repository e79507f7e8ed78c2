"""Delivery of the outbox: an in-app notification and, if the person wants it, one e-mail.

Safe to run twice, concurrently, or after a worker died half-way (tasks use acks_late):
- the outbox row is locked with SKIP LOCKED, so a second run while the first is busy does nothing;
- the notification is get_or_create'd on its one-to-one outbox message (a notice's on its recipient and key);
- the e-mail's hand-off is recorded on both sides of the SMTP exchange, each in a committed transaction:
  `email_handed_off_at` before it, `emailed_at` after the mail server accepted the message. A run that finds a
  hand-off younger than `HANDOFF_LEASE` without `emailed_at` leaves it alone (another worker is sending it);
  one that finds an older one knows the worker died mid-send and sends again, with the same Message-ID, so
  mail servers and clients can tell the two copies for one (docs/notifications.md, "At least once").
"""

from __future__ import annotations

import datetime
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import messages
from notifications.models import Notification, NotificationPreference
from proposals.models import OutboxMessage

logger = logging.getLogger(__name__)

#: Rows younger than this are left to the task enqueued when they were committed.
RELAY_GRACE = datetime.timedelta(minutes=1)
#: An e-mail handed to the mail server this long ago with no answer recorded is sent again: its worker died (a
#: live one gives up after EMAIL_TIMEOUT, far shorter).
HANDOFF_LEASE = datetime.timedelta(minutes=10)
RELAY_BATCH = 200


def wants_email(*, user, category: str) -> bool:
    if not user.email or not user.is_active:
        return False
    return not NotificationPreference.objects.filter(user=user, category=category, email=False).exists()


def absolute_url(path: str) -> str:
    if not path:
        return ""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def message_id(notification: Notification) -> str:
    """The e-mail's Message-ID, the same on every attempt: a worker that dies after the mail server took the
    message but before the send was recorded sends it again on retry, and mail servers and clients then see the
    same message twice rather than two messages (docs/notifications.md, "At least once")."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "portal.invalid"
    return f"<notification-{notification.pk}@{host}>"


def send_email(notification: Notification) -> None:
    recipient = notification.recipient
    context = {
        "recipient": recipient, "notification": notification, "url": absolute_url(notification.link),
        "centre_url": absolute_url("/notifications/"),
        "preferences_url": absolute_url("/notifications/preferences/"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Cổng đề xuất đổi mới] %(title)s") % {"title": notification.title}
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    email = EmailMultiAlternatives(subject=subject.replace("\n", " "), body=text, to=[recipient.email],
                                   headers={"Message-ID": message_id(notification)})
    email.attach_alternative(html, "text/html")
    email.send()


def email_due(notification: Notification) -> bool:
    """Whether the notification's e-mail is still to be sent."""
    return notification.emailed_at is None and wants_email(user=notification.recipient,
                                                           category=notification.category)


def _notification_for(message: OutboxMessage) -> Notification:
    existing = Notification.objects.filter(outbox_message=message).select_related("recipient").first()
    if existing:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        composed = messages.compose_for(message)
    # Only an event is about a proposal: a retaliation report is confidential (no link), a notice is about none.
    proposal = message.event.proposal if message.event_id is not None else None
    fields = {"recipient": message.recipient, "category": composed.category, "proposal": proposal,
              "title": composed.title, "body": composed.body,
              "link": proposal.get_absolute_url() if proposal else ""}
    if message.key:
        # A notice is shown once per person and key, also to whoever already had it before notices went
        # through the outbox; that notification's emailed_at then keeps the e-mail from going out twice.
        notification, _created = Notification.objects.get_or_create(
            recipient=message.recipient, key=message.key, defaults={**fields, "outbox_message": message})
    else:
        notification, _created = Notification.objects.get_or_create(outbox_message=message, defaults=fields)
    return notification


def outbox_message_deliver(*, message_id: int) -> Notification | None:
    """Deliver one outbox message; returns its notification, or None when there was nothing to do.

    The in-app notification is committed first; the e-mail is sent outside any transaction, between the two
    records of its hand-off. When the e-mail fails, the person already sees the notification and the error is
    raised, so the task retries only the e-mail.
    """
    OutboxMessage.objects.filter(pk=message_id, delivered_at__isnull=True).update(attempts=F("attempts") + 1)
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "event__actor", "event__proposal__author",
                            "event__proposal__deciding_authority")
            .filter(pk=message_id, delivered_at__isnull=True).first()
        )
        if message is None:
            return None  # delivered already, or another worker is delivering it right now
        notification = _notification_for(message)
        if not email_due(notification):
            message.delivered_at = now
            message.save(update_fields=["delivered_at"])
            return notification
        if notification.email_handed_off_at is not None:
            if now - notification.email_handed_off_at < HANDOFF_LEASE:
                return None  # being sent by another worker; if that one died, the relay comes back after the lease
            logger.warning("Notification %s: the e-mail handed to the mail server at %s was never confirmed (its "
                           "worker died); sending it again, with the same Message-ID.", notification.pk,
                           notification.email_handed_off_at.isoformat())
        notification.email_handed_off_at = now
        notification.save(update_fields=["email_handed_off_at"])
    try:
        send_email(notification)
    except Exception:  # the backend's errors are not one hierarchy (SMTP, OSError, ...)
        # Refused, hence not sent: the retry need not wait for the lease.
        Notification.objects.filter(pk=notification.pk).update(email_handed_off_at=None)
        raise
    notification.emailed_at = _hand_off_confirm(notification_id=notification.pk, message_id=message.pk)
    return notification


def _hand_off_confirm(*, notification_id: int, message_id: int) -> datetime.datetime:
    """The record after the hand-off: the mail server accepted the message."""
    with transaction.atomic():
        sent = timezone.now()
        Notification.objects.filter(pk=notification_id).update(emailed_at=sent)
        OutboxMessage.objects.filter(pk=message_id).update(delivered_at=sent)
    return sent


def outbox_relay(*, older_than: datetime.timedelta = RELAY_GRACE, limit: int = RELAY_BATCH) -> int:
    """Deliver messages that no task delivered (the broker was down at commit, a task gave up).

    Runs inside the periodic relay task and delivers in-process, so it needs no broker itself.
    Returns how many messages it delivered.
    """
    cutoff = timezone.now() - older_than
    pending = list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at", "pk").values_list("pk", flat=True)[:limit]
    )
    delivered = 0
    for pk in pending:
        try:
            if outbox_message_deliver(message_id=pk) is not None:
                delivered += 1
        except Exception:
            logger.exception("Outbox message %s could not be delivered; the relay will try again.", pk)
    return delivered
