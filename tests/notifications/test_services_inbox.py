import pytest

from accounts.errors import DomainError
from notifications import services
from notifications.models import Category, Notification, NotificationPreference


def test_only_the_recipient_marks_a_notification_read(org):
    notification = Notification.objects.create(recipient=org.head_dept, category=Category.OTHER, title="Thông báo")

    with pytest.raises(DomainError) as refusal:
        services.notification_mark_read(actor=org.head_ward, notification=notification)
    services.notification_mark_read(actor=org.head_dept, notification=notification)

    assert refusal.value.code == "not_recipient"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_unknown_category_is_refused_and_nothing_is_stored(org):
    with pytest.raises(DomainError) as refusal:
        services.preferences_update(actor=org.head_dept, email_categories=[Category.DECISION, "gossip"])

    assert refusal.value.code == "unknown_notification_category"
    assert not NotificationPreference.objects.exists()
