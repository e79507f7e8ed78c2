"""Reads about people and the organisation that several pages share."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from accounts.models import AuthorityMembership, OrganisationUnit, Post, User


def post_current_principal(*, user: User, on: datetime.date | None = None) -> Post | None:
    return (
        Post.objects.current(on).principal().filter(user=user)
        .select_related("unit", "unit__parent", "managing_authority", "managing_authority__parent")
        .first()
    )


def memberships_current(*, user: User, on: datetime.date | None = None) -> QuerySet[AuthorityMembership]:
    return AuthorityMembership.objects.current(on).filter(user=user).select_related("authority")


def authority_members_current(*, authority: OrganisationUnit, on: datetime.date | None = None) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__in=AuthorityMembership.objects.current(on).filter(authority=authority),
    ).distinct()


def authority_head_current(*, authority: OrganisationUnit, on: datetime.date | None = None) -> User | None:
    membership = (
        AuthorityMembership.objects.current(on)
        .filter(authority=authority, role=AuthorityMembership.Role.HEAD)
        .select_related("user").first()
    )
    return membership.user if membership else None


def unit_subtree(*, unit: OrganisationUnit) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(path__startswith=unit.path)
