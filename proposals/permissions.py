"""Who may see and act on a proposal. The only module that talks to django-guardian.

How roles and assignments combine:
- the author always sees their own proposal, drafts included; nobody else sees a draft;
- members of the deciding authority hold the object permission `decide_proposal`, granted by
  routing (and moved by transfers) in the same transaction; it gives them view and decide rights;
- Home Affairs (group with the global `view_proposal` permission) and administrators see every
  submitted proposal but decide none. Django's ModelBackend ignores global permissions when an object
  is passed, so the global check is made here explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from guardian.shortcuts import assign_perm

from accounts import permissions as roles
from accounts.models import AuthorityMembership, OrganisationUnit, User
from accounts.selectors import user_standing
from proposals.models import Implementer, Proposal, ProposalUserObjectPermission, RetaliationReport
from proposals.workflow import Status

DECIDE = "decide_proposal"
DECIDE_FULL = "proposals.decide_proposal"
#: Read access to one proposal for people outside the deciding authority: the authority above it after
#: escalation or for protection decisions. Never lets anyone act.
VIEW = "view_proposal"
VIEW_FULL = "proposals.view_proposal"


def _decide_grants(user: User):
    return ProposalUserObjectPermission.objects.filter(
        user=user, permission__codename=DECIDE, content_object=OuterRef("pk"),
    )


def _any_grant(user: User):
    return ProposalUserObjectPermission.objects.filter(
        user=user, permission__codename__in=(DECIDE, VIEW), content_object=OuterRef("pk"),
    )


def proposals_visible_to(user: User, queryset: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    queryset = Proposal.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    own = Q(author=user, deleted_at__isnull=True)
    # Only what was submitted ever leaves its author: a draft withdrawn unsent is still private.
    sent = Q(submitted_at__isnull=False)
    if roles.can_monitor_city(user) or roles.holds_global_permission(user, VIEW_FULL):
        return queryset.filter(own | sent)
    return queryset.filter(own | (sent & Exists(_any_grant(user))))


def authorities_served(user: User) -> list[int]:
    """The authorities `user` acts for today (from the request's standing: no query of its own)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [membership.authority_id for membership in user_standing(user=user).memberships]


def proposals_to_decide(user: User, queryset: QuerySet[Proposal] | None = None,
                        authority_ids: list[int] | None = None) -> QuerySet[Proposal]:
    """What the deciding authorities `user` serves have before them, other than the user's own proposals.

    Read through the indexed deciding-authority column, not the per-user grant rows: a city's head holds
    a grant on each of hundreds of thousands of proposals. Both say the same, because the decide grants are
    the current memberships written out per proposal: given at routing, moved by transfers, re-synced when a
    membership changes and just after midnight, when memberships start or end by date.
    """
    queryset = Proposal.objects.all() if queryset is None else queryset
    authority_ids = authorities_served(user) if authority_ids is None else authority_ids
    return queryset.filter(deciding_authority_id__in=authority_ids).exclude(author=user)


def serves_deciding_authority(user: User, proposal: Proposal) -> bool:
    if not user.is_authenticated or not user.is_active or proposal.author_id == user.pk:
        return False
    # Pages ask several times per request; services re-read (and lock) the row, so the answer never outlives it.
    answers = proposal.__dict__.setdefault("_serves_cache", {})
    if user.pk not in answers:
        answers[user.pk] = ProposalUserObjectPermission.objects.filter(
            user=user, permission__codename=DECIDE, content_object=proposal,
        ).exists()
    return answers[user.pk]


def can_view(user: User, proposal: Proposal) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if proposal.author_id == user.pk:
        return True
    if proposal.submitted_at is None:
        return False
    return roles.can_monitor_city(user) or serves_deciding_authority(user, proposal) or _has_view_grant(user, proposal)


def _has_view_grant(user: User, proposal: Proposal) -> bool:
    return ProposalUserObjectPermission.objects.filter(
        user=user, permission__codename=VIEW, content_object=proposal).exists()


def grant_viewers(proposal: Proposal, users: Iterable[User]) -> None:
    """Let people outside the deciding authority read a proposal (escalation, protection decisions)."""
    existing = set(ProposalUserObjectPermission.objects.filter(
        content_object=proposal, permission__codename=VIEW).values_list("user_id", flat=True))
    users = [u for u in users if u.pk not in existing]
    if users:
        assign_perm(VIEW_FULL, users, proposal)


def grant_viewers_many(pairs: Iterable[tuple[int, int]]) -> int:
    """`grant_viewers` for many (proposal id, user id) pairs in one insert; a pair already granted is skipped
    by the table's unique constraint, so two writers never fail on each other. Returns the pairs asked for."""
    pairs = set(pairs)
    if not pairs:
        return 0
    permission = Permission.objects.get(
        content_type__app_label="proposals", content_type__model="proposal", codename=VIEW)
    ProposalUserObjectPermission.objects.bulk_create(
        [ProposalUserObjectPermission(content_object_id=proposal_id, user_id=user_id, permission=permission)
         for proposal_id, user_id in sorted(pairs)],
        ignore_conflicts=True,
    )
    return len(pairs)


def can_transfer(user: User, proposal: Proposal) -> bool:
    # The author never picks who decides their own proposal, administrator or not.
    if proposal.author_id == user.pk:
        return False
    return roles.is_administrator(user) or serves_deciding_authority(user, proposal)


def heads_deciding_authority(user: User, proposal: Proposal) -> bool:
    """The head signs decisions; a head who wrote the proposal never reaches here (routing sent it up)."""
    if not serves_deciding_authority(user, proposal):
        return False
    answers = proposal.__dict__.setdefault("_heads_cache", {})
    if user.pk not in answers:
        answers[user.pk] = AuthorityMembership.objects.current().filter(
            authority_id=proposal.deciding_authority_id, user=user, role=AuthorityMembership.Role.HEAD,
        ).exists()
    return answers[user.pk]


def can_read_internal_notes(user: User, proposal: Proposal) -> bool:
    return serves_deciding_authority(user, proposal)


def _forget_answers(proposal: Proposal) -> None:
    """Drop the answers cached on this copy of the proposal once the grants they came from change."""
    for cache in ("_serves_cache", "_heads_cache"):
        proposal.__dict__.pop(cache, None)


def grant_deciders(proposal: Proposal, user_ids: Iterable[int]) -> list[int]:
    """Give the deciding authority's members access; the author never decides their own proposal.

    Returns the ids of the people who hold the grant now. One statement: the permission is looked up inside
    the insert (guardian's assign_perm reads the content type and the permission first, on every call).
    """
    user_ids = sorted({pk for pk in user_ids if pk != proposal.author_id})
    if user_ids:
        grants = ProposalUserObjectPermission._meta
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {grants.db_table} (permission_id, user_id, content_object_id)
                    SELECT permission.id, member.id, %s
                    FROM {Permission._meta.db_table} permission
                    JOIN {ContentType._meta.db_table} content_type ON content_type.id = permission.content_type_id,
                         unnest(%s::integer[]) AS member(id)
                    WHERE content_type.app_label = 'proposals' AND permission.codename = %s
                    ON CONFLICT DO NOTHING""",
                [proposal.pk, user_ids, DECIDE],
            )
    _forget_answers(proposal)
    return user_ids


def revoke_deciders(proposal: Proposal) -> None:
    # One statement instead of guardian's per-user remove_perm; the direct-FK table is ours.
    ProposalUserObjectPermission.objects.filter(content_object=proposal, permission__codename=DECIDE).delete()
    _forget_answers(proposal)


def decider_ids(proposal: Proposal) -> list[int]:
    return list(ProposalUserObjectPermission.objects.filter(
        content_object=proposal, permission__codename=DECIDE).values_list("user_id", flat=True))


def decider_ids_many(proposal_ids: Iterable[int]) -> dict[int, list[int]]:
    """Proposal id → `decider_ids(proposal)`, for many proposals in one query."""
    deciders: dict[int, list[int]] = {}
    for proposal_id, user_id in ProposalUserObjectPermission.objects.filter(
        content_object_id__in=set(proposal_ids), permission__codename=DECIDE,
    ).values_list("content_object_id", "user_id"):
        deciders.setdefault(proposal_id, []).append(user_id)
    return deciders


# — after approval ————————————————————————————————————————————————————————————————————————————


def is_implementer(user: User, proposal: Proposal) -> bool:
    """The author and the officials named to carry the proposal out."""
    if proposal.author_id == user.pk:
        return True
    answers = proposal.__dict__.setdefault("_implementer_cache", {})
    if user.pk not in answers:
        answers[user.pk] = Implementer.objects.filter(proposal=proposal, user=user).exists()
    return answers[user.pk]




def _member_ids(authority_id) -> QuerySet:
    return AuthorityMembership.objects.current().filter(authority_id=authority_id).values("user_id")


def _serves_authority(user: User, authority_id) -> bool:
    return authority_id is not None and _member_ids(authority_id).filter(user_id=user.pk).exists()


def can_read_protection(user: User, proposal: Proposal) -> bool:
    """The author, the deciding authority, the authority above it and Home Affairs (Decree 73, Art. 11)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if proposal.author_id == user.pk or roles.is_home_affairs(user) or serves_deciding_authority(user, proposal):
        return True
    above = proposal.deciding_authority.authority_above() if proposal.deciding_authority_id else None
    return above is not None and _serves_authority(user, above.pk)


def retaliation_reports_visible_to(user: User, queryset=None):
    """Home Affairs, the receiving authority's members and the reporter; never the authority involved."""
    queryset = RetaliationReport.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    my_authorities = AuthorityMembership.objects.current().filter(user=user).values("authority_id")
    handlers = Q(receiving_authority_id__in=my_authorities)
    if roles.is_home_affairs(user):
        handlers = Q()
    return queryset.filter(Q(reporter=user) | (handlers & ~Q(involved_authority_id__in=my_authorities)))


def can_read_retaliation_report(user: User, report) -> bool:
    return retaliation_reports_visible_to(user).filter(pk=report.pk).exists()


def can_handle_retaliation_report(user: User, report) -> bool:
    if report.reporter_id == user.pk or _serves_authority(user, report.involved_authority_id):
        return False
    return roles.is_home_affairs(user) or _serves_authority(user, report.receiving_authority_id)


def sync_authority_grants(authority_id: int) -> None:
    """Make the decide grants on an authority's proposals match its current members.

    Memberships change (a new deputy, a head who leaves); proposals already routed follow the people
    who act for the authority now. Two statements whatever the number of proposals.
    """
    members = AuthorityMembership.objects.current().filter(authority_id=authority_id).values("user_id")
    grants = ProposalUserObjectPermission.objects.filter(
        permission__codename=DECIDE, content_object__deciding_authority_id=authority_id)
    grants.exclude(user_id__in=members).delete()
    # Read grants given to this authority as "the authority above" (escalation, protection) leave with
    # its former members; implementers keep theirs.
    former = AuthorityMembership.objects.filter(authority_id=authority_id).exclude(
        user_id__in=members).values("user_id")
    authority_path = OrganisationUnit.objects.filter(pk=authority_id).values_list("path", flat=True).first() or "-"
    (ProposalUserObjectPermission.objects
     .filter(permission__codename=VIEW, user_id__in=former,
             content_object__deciding_authority__path__startswith=authority_path)
     .exclude(content_object__deciding_authority_id=authority_id)
     .exclude(Exists(Implementer.objects.filter(proposal_id=OuterRef("content_object_id"),
                                                user_id=OuterRef("user_id"))))
     .delete())
    decide = Permission.objects.get(content_type__app_label="proposals", codename=DECIDE)
    missing = (
        Proposal.objects.filter(deciding_authority_id=authority_id).exclude(status=Status.DRAFT)
        .values_list("pk", "author_id")
    )
    member_ids = list(members.values_list("user_id", flat=True))
    rows = [
        ProposalUserObjectPermission(content_object_id=pk, user_id=user_id, permission=decide)
        for pk, author_id in missing.iterator(chunk_size=2000) for user_id in member_ids if user_id != author_id
    ]
    ProposalUserObjectPermission.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
