"""Roles of people in the portal. A role is a group; assignments to single proposals live in proposals.permissions."""

from __future__ import annotations

from accounts.models import ADMINISTRATORS_GROUP, HOME_AFFAIRS_GROUP, User
from accounts.selectors import user_standing


def _group_names(user: User) -> frozenset[str]:
    return user_standing(user=user).group_names


def holds_global_permission(user: User, permission: str) -> bool:
    """`user.has_perm(permission)` without an object, as Django's ModelBackend answers it ("app_label.codename"),
    from the request's standing rather than two queries of its own."""
    return user.is_authenticated and user.is_active and (
        user.is_superuser or permission in user_standing(user=user).permissions
    )


def is_administrator(user: User) -> bool:
    return user.is_authenticated and user.is_active and (
        user.is_superuser or ADMINISTRATORS_GROUP in _group_names(user)
    )


def is_home_affairs(user: User) -> bool:
    return user.is_authenticated and user.is_active and HOME_AFFAIRS_GROUP in _group_names(user)


def can_monitor_city(user: User) -> bool:
    """Home Affairs staff and administrators see the whole city."""
    return is_home_affairs(user) or is_administrator(user)


def can_import_organisation(user: User) -> bool:
    """Home Affairs staff and administrators take in the organisation from HR files and see every import."""
    return is_home_affairs(user) or is_administrator(user)
