"""Every change made by the notifications app (STYLE.md: one function per business action)."""

from notifications.services.deadlines import deadline_scan
from notifications.services.delivery import outbox_message_deliver, outbox_relay
from notifications.services.inbox import (
    notification_mark_read,
    notifications_mark_all_read,
    preferences_update,
)

__all__ = [
    "deadline_scan", "notification_mark_read", "notifications_mark_all_read",
    "outbox_message_deliver", "outbox_relay", "preferences_update",
]
