"""Roles of people in the portal. A role is a group; assignments to single proposals live in proposals.permissions."""

from __future__ import annotations

from accounts.models import ADMINISTRATORS_GROUP, HOME_AFFAIRS_GROUP, User


def _group_names(user: User) -> set[str]:
    if not hasattr(user, "_portal_group_names"):
        user._portal_group_names = set(user.groups.values_list("name", flat=True))
    return user._portal_group_names


def is_administrator(user: User) -> bool:
    return user.is_authenticated and user.is_active and (
        user.is_superuser or ADMINISTRATORS_GROUP in _group_names(user)
    )


def is_home_affairs(user: User) -> bool:
    return user.is_authenticated and user.is_active and HOME_AFFAIRS_GROUP in _group_names(user)


def can_monitor_city(user: User) -> bool:
    """Home Affairs staff and administrators see the whole city."""
    return is_home_affairs(user) or is_administrator(user)
