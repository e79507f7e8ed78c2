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


def authority_heads_current_many(*, authority_ids, on: datetime.date | None = None) -> dict[int, int]:
    """Authority id → its current head's user id, in one query (`authority_head_current` for many)."""
    return dict(AuthorityMembership.objects.current(on).filter(
        authority_id__in=set(authority_ids), role=AuthorityMembership.Role.HEAD,
    ).values_list("authority_id", "user_id"))


def authority_member_ids_current_many(*, authority_ids, on: datetime.date | None = None) -> dict[int, list[int]]:
    """Authority id → the ids of its active current members, in one query (`authority_members_current` for many)."""
    members: dict[int, set[int]] = {}
    for authority_id, user_id in AuthorityMembership.objects.current(on).filter(
        authority_id__in=set(authority_ids), user__is_active=True,
    ).values_list("authority_id", "user_id"):
        members.setdefault(authority_id, set()).add(user_id)
    return {authority_id: sorted(ids) for authority_id, ids in members.items()}


def authorities_above_many(*, authorities) -> dict[int, OrganisationUnit | None]:
    """Authority id → `authority.authority_above()`, for many authorities with one query: the units' paths name
    every ancestor, so the walk up the tree happens in memory."""
    authorities = list(authorities)
    ancestor_ids = {pk for unit in authorities for pk in unit.ancestor_ids()}
    units = {unit.pk: unit for unit in OrganisationUnit.objects.filter(pk__in=ancestor_ids)}
    above: dict[int, OrganisationUnit | None] = {}
    for authority in authorities:
        parent = units.get(authority.parent_id)
        unit = parent
        # the same walk as OrganisationUnit.deciding_authority(), on the units read above
        while unit is not None and not unit.is_authority:
            unit = units.get(unit.parent_id)
        above[authority.pk] = (unit or parent) if parent is not None else None
    return above


def unit_subtree(*, unit: OrganisationUnit) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(path__startswith=unit.path)
