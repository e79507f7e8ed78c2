from django.utils.functional import SimpleLazyObject

from accounts import permissions
from notifications import broker, selectors


def notifications(request):
    """The unread count of the header badge (one query, only when a page shows it) and, for
    administrators only, whether background delivery is paused because the broker does not answer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user=user)),
        "background_delivery_paused": SimpleLazyObject(
            lambda: permissions.is_administrator(user) and not broker.broker_reachable()),
    }
