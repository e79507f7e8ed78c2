"""Reads about people and the organisation that several pages share."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Lower

from accounts.models import AuthorityMembership, OrganisationUnit, Post, SingleSignOnAttempt, User, today
from portal.text import search_text

#: The longest text the directory's search reads.
SEARCH_MAX_LENGTH = 100


@dataclasses.dataclass(frozen=True)
class Membership:
    authority_id: int
    role: str
    authority_kind: str


@dataclasses.dataclass(frozen=True)
class Standing:
    """What every signed-in page asks about its reader: roles, global permissions, the authorities they act for
    today and their principal post. Read once per request by `user_standing`."""

    group_names: frozenset[str]
    #: "app_label.codename" of the permissions held directly or through a group, as Django's ModelBackend names them
    permissions: frozenset[str]
    #: today's memberships, in the order of the authorities' tree
    memberships: tuple[Membership, ...]
    #: "title — unit" of today's principal post
    post_label: str | None


def _standing_sql() -> str:
    # Table names from the models, so the query follows a renamed table.
    tables = {
        "group": Group._meta.db_table, "user_groups": User.groups.through._meta.db_table,
        "permission": Permission._meta.db_table, "content_type": ContentType._meta.db_table,
        "user_permissions": User.user_permissions.through._meta.db_table,
        "group_permissions": Group.permissions.through._meta.db_table,
        "membership": AuthorityMembership._meta.db_table, "unit": OrganisationUnit._meta.db_table,
        "post": Post._meta.db_table,
    }
    return """
        SELECT
          ARRAY(SELECT g.name FROM {group} g JOIN {user_groups} ug ON ug.group_id = g.id WHERE ug.user_id = %(user)s),
          ARRAY(SELECT ct.app_label || '.' || p.codename
                FROM {permission} p JOIN {content_type} ct ON ct.id = p.content_type_id
                WHERE p.id IN (SELECT up.permission_id FROM {user_permissions} up WHERE up.user_id = %(user)s
                               UNION
                               SELECT gp.permission_id FROM {group_permissions} gp
                               JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %(user)s)),
          (SELECT json_agg(json_build_array(m.authority_id, m.role, u.kind) ORDER BY u.path, m.role)
           FROM {membership} m JOIN {unit} u ON u.id = m.authority_id
           WHERE m.user_id = %(user)s AND m.valid_from <= %(on)s AND (m.valid_to IS NULL OR m.valid_to >= %(on)s)),
          (SELECT p.title || ' — ' || u.name
           FROM {post} p JOIN {unit} u ON u.id = p.unit_id
           WHERE p.user_id = %(user)s AND p.is_principal AND p.valid_from <= %(on)s
             AND (p.valid_to IS NULL OR p.valid_to >= %(on)s)
           ORDER BY p.valid_from DESC, p.id LIMIT 1)
    """.format(**tables)


def user_standing(*, user: User) -> Standing:
    """`user`'s Standing, in one query the first time a request asks, then from the request's user.

    Asked by the role checks, the proposal permissions and the navigation bar, which each read it with queries of
    their own before (six on each page).
    """
    if "_standing" not in user.__dict__:
        with connection.cursor() as cursor:
            cursor.execute(_standing_sql(), {"user": user.pk, "on": today()})
            group_names, permissions, memberships, post_label = cursor.fetchone()
        user.__dict__["_standing"] = Standing(
            group_names=frozenset(group_names), permissions=frozenset(permissions),
            memberships=tuple(Membership(*row) for row in memberships or ()), post_label=post_label,
        )
    return user.__dict__["_standing"]


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


def user_heads_authority(*, user_id: int, authority: OrganisationUnit, on: datetime.date | None = None) -> bool:
    """Whether the person leads the authority: its head member, or the head post of its unit."""
    return (AuthorityMembership.objects.current(on).filter(
        authority=authority, user_id=user_id, role=AuthorityMembership.Role.HEAD).exists()
        or Post.objects.current(on).filter(user_id=user_id, unit=authority, is_head=True).exists())


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


# — the directory (/organisation/) ———————————————————————————————————————————————————————————————————————


@dataclasses.dataclass(frozen=True)
class OfficialFound:
    user: User
    #: The official's principal post on the directory's date, if any.
    post: Post | None


def directory_roots(*, on: datetime.date) -> list[tuple[OrganisationUnit, list[OrganisationUnit]]]:
    """The top of the unit tree on `on`: each unit without a parent, with its units one level down, by name.
    Two queries, however large the tree."""
    roots = list(OrganisationUnit.objects.current(on).filter(parent__isnull=True).order_by("name"))
    children: dict[int, list[OrganisationUnit]] = {}
    for child in (OrganisationUnit.objects.current(on).filter(parent__in=roots).order_by("name")):
        children.setdefault(child.parent_id, []).append(child)
    return [(root, children.get(root.pk, [])) for root in roots]


@dataclasses.dataclass(frozen=True)
class UnitDirectory:
    unit: OrganisationUnit
    #: The units above, from the top.
    ancestors: list[OrganisationUnit]
    children: list[OrganisationUnit]
    #: Who decides for it, when it is a deciding authority: its head first, then deputies and members.
    memberships: list[AuthorityMembership]


def unit_directory(*, unit: OrganisationUnit, on: datetime.date) -> UnitDirectory:
    """One unit of the directory on `on`: where it sits, the units below it and who decides for it (its officials
    come page by page from `unit_officials`). Three queries."""
    order = {AuthorityMembership.Role.HEAD: 0, AuthorityMembership.Role.DEPUTY: 1}
    memberships = sorted(
        AuthorityMembership.objects.current(on).filter(authority=unit).select_related("user"),
        key=lambda membership: (order.get(membership.role, 2), membership.user.get_full_name()))
    return UnitDirectory(
        unit=unit,
        ancestors=list(OrganisationUnit.objects.filter(pk__in=unit.ancestor_ids()).exclude(pk=unit.pk)
                       .order_by("path")),
        children=list(OrganisationUnit.objects.current(on).filter(parent=unit).order_by("name")),
        memberships=memberships,
    )


def unit_officials(*, unit: OrganisationUnit, on: datetime.date) -> QuerySet[Post]:
    """The posts held in `unit` on `on`, its head first, then by name."""
    return (Post.objects.current(on).filter(unit=unit).select_related("user")
            .order_by("-is_head", "user__full_name", "pk"))


def folded(expression) -> Lower:
    """Text as the name searches compare it: without diacritics, in lower case. On `full_name`, it is the expression
    of the trigram index (proposals migration 0024)."""
    return Lower(Func(expression, function="portal_unaccent", output_field=CharField()))


def users_named(query: str) -> QuerySet[User]:
    """Active officials whose name holds `query`, accent- and case-insensitive."""
    return (User.objects.filter(is_active=True).annotate(folded_name=folded(F("full_name")))
            .filter(folded_name__contains=folded(Value(query))))


def directory_search(*, query: str, on: datetime.date, limit: int = 20) -> tuple[list[OrganisationUnit],
                                                                                   list[OfficialFound]]:
    """Units whose name holds `query`, and officials whose name holds it or whose staff code or e-mail is it,
    accent- and case-insensitive ("nguyen van a" finds "Nguyễn Văn A"). Three queries, on indexes: the units'
    names, the trigram index of folded names (proposals migration 0024), the unique staff codes."""
    query = search_text(query, SEARCH_MAX_LENGTH)
    if len(query) < 2:
        return [], []
    units = list(OrganisationUnit.objects.current(on).filter(name__unaccent__icontains=query)
                 .select_related("parent").order_by("name")[:limit])
    found = Q(folded_name__contains=folded(Value(query))) | Q(employee_code__iexact=query)
    if settings.DIRECTORY_SHOWS_CONTACTS:  # otherwise an address typed in would say whose it is
        found |= Q(email__iexact=query)
    users = list(User.objects.filter(is_active=True).annotate(folded_name=folded(F("full_name"))).filter(found)
                 .order_by("full_name", "pk")[:limit])
    posts = {post.user_id: post for post in Post.objects.current(on).principal().filter(user__in=users)
             .select_related("unit")}
    return units, [OfficialFound(user=user, post=posts.get(user.pk)) for user in users]


@dataclasses.dataclass(frozen=True)
class SignOnMatch:
    """Who a sign-in through the identity provider is, by its claims, and whether they may come in."""

    user: User | None
    #: a SingleSignOnAttempt.Outcome
    outcome: str


def official_for_claims(*, staff_code: str, email: str, email_verified: bool,
                        on: datetime.date | None = None) -> SignOnMatch:
    """The official that a sign-in's claims name: by staff code (the HR system's key, which imports keep) when
    the provider gives one — a code nobody holds matches nobody, whatever the e-mail says — else by a verified
    e-mail address. One who holds no post and no membership today has left the City's service and is refused, as is
    a locked account; administrators need no post."""
    Outcome = SingleSignOnAttempt.Outcome
    user = User.objects.filter(employee_code=staff_code).first() if staff_code else None
    if not staff_code and email and email_verified:
        candidates = list(User.objects.filter(email__iexact=email)[:2])
        if len(candidates) > 1:
            return SignOnMatch(user=None, outcome=Outcome.AMBIGUOUS)
        user = candidates[0] if candidates else None
    if user is None:
        return SignOnMatch(user=None, outcome=Outcome.UNKNOWN)
    if not user.is_active:
        return SignOnMatch(user=user, outcome=Outcome.DISABLED)
    on = on or today()
    serving = (user.is_staff or user.is_superuser or Post.objects.current(on).filter(user=user).exists()
               or AuthorityMembership.objects.current(on).filter(user=user).exists())
    return SignOnMatch(user=user, outcome=Outcome.SIGNED_IN if serving else Outcome.ENDED)
