"""Reads of the notification centre; each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from notifications.models import Category, Notification, NotificationPreference
from proposals import permissions


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first, each annotated with `can_open`: whether its proposal is
    still visible to them (a transfer, for instance, takes the old authority's access away)."""
    visible = permissions.proposals_visible_to(user).filter(pk=OuterRef("proposal_id"))
    return (Notification.objects.filter(recipient=user)
            .annotate(can_open=Exists(visible))
            # what `messages.in_reader_language` words a notification again from
            .select_related("outbox_message__event__actor", "outbox_message__event__proposal__author",
                            "outbox_message__event__proposal__deciding_authority")
            .order_by("-created_at", "-id"))


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_choices_for(*, user: User) -> dict[str, bool]:
    """Per category whether the user also wants e-mail; without a stored choice, yes."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("category", "email"))
    return {category: stored.get(category, True) for category in Category.values}
