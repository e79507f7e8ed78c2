from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts import permissions, selectors
from accounts.backends import passwords_allowed_for


def current_post(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "today": timezone.localdate(),
        "current_post": SimpleLazyObject(lambda: selectors.user_standing(user=user).post_label or ""),
        "user_can_monitor": SimpleLazyObject(lambda: permissions.can_monitor_city(user)),
        "user_is_administrator": SimpleLazyObject(lambda: permissions.is_administrator(user)),
        "user_has_password": passwords_allowed_for(user),
    }
