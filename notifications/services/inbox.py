"""What a person does in their notification centre."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import User
from notifications.models import Category, Notification, NotificationPreference


class NotRecipient(DomainError):
    code = "not_recipient"

    def default_message(self) -> str:
        return _("Thông báo này không gửi cho bạn.")


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Only the recipient can mark a notification; the view looks it up among the actor's own (404 otherwise)."""
    if notification.recipient_id != actor.pk:
        raise NotRecipient()
    if notification.read_at is None:
        now = timezone.now()
        # A concurrent "mark all" may have set it already; the condition keeps the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, actor: User, email_categories: Iterable[str]) -> dict[str, bool]:
    """Store, for every category, whether the actor also wants e-mail. In-app notifications are always on."""
    wanted = set(email_categories)
    unknown = wanted - set(Category.values)
    if unknown:
        raise DomainError(_("Loại thông báo không hợp lệ: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))},
                          code="unknown_notification_category")
    choices = {category: category in wanted for category in Category.values}
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=actor, category=category, email=email) for category, email in choices.items()],
        update_conflicts=True, unique_fields=["user", "category"], update_fields=["email"],
    )
    return choices
