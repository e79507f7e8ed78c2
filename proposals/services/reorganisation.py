"""Reorganisations (issue 15): units merged into a successor on a date — a rename is a merge of one unit into a new
one. The sources end the day before; the units below them, their officials' posts and their authorities'
memberships move to the successor from that day (or end, as chosen); open proposals they were to decide are
transferred to the successor through the transfer service, with its history and notifications; proposals decided
before keep their historical authority. A plan (`unit_merge_plan`) says all of it before anything changes.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as roles
from accounts.models import AuthorityMembership, OrganisationUnit, Post, User
from proposals import workflow
from proposals.errors import DomainError, PermissionDenied
from proposals.models import Proposal


@dataclasses.dataclass
class MergePlan:
    on: datetime.date
    sources: list[OrganisationUnit]
    successor: OrganisationUnit
    #: Whether officials' posts and memberships move to the successor (else they end with their unit).
    move_people: bool
    children: list[OrganisationUnit]
    posts: list[Post]
    memberships: list[AuthorityMembership]
    proposals: list[Proposal]

    @property
    def reason(self) -> str:
        return _("Tổ chức lại: %(sources)s hợp nhất vào %(successor)s từ ngày %(date)s.") % {
            "sources": ", ".join(unit.name for unit in self.sources), "successor": self.successor.name,
            "date": self.on.strftime("%d/%m/%Y")}


def _running(queryset, on: datetime.date):
    return queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def unit_merge_plan(*, actor: User, sources: list[OrganisationUnit], successor: OrganisationUnit,
                    on: datetime.date, move_people: bool = True) -> MergePlan:
    """What merging `sources` into `successor` on `on` would do; refuses what cannot be done, changes nothing."""
    if not roles.can_import_organisation(actor):
        raise PermissionDenied()
    if not sources:
        raise DomainError(_("Hãy chọn ít nhất một đơn vị được hợp nhất."), code="no_source")
    if on > timezone.localdate():
        raise DomainError(_("Ngày tổ chức lại không thể ở tương lai: hãy áp dụng vào đúng ngày đó."),
                          code="reorganisation_in_future")
    if successor.pk in {unit.pk for unit in sources}:
        raise DomainError(_("Đơn vị kế thừa không thể là một trong các đơn vị được hợp nhất."), code="successor_is_source")
    for unit in sources:
        if not unit.is_valid_on(on - datetime.timedelta(days=1)) or (unit.valid_to and unit.valid_to < on):
            raise DomainError(_("%(unit)s không còn hoạt động vào ngày này.") % {"unit": unit.name},
                              code="source_not_running")
        if successor.pk and successor.path.startswith(unit.path):
            raise DomainError(_("Đơn vị kế thừa nằm trong %(unit)s.") % {"unit": unit.name}, code="successor_below")
    if any(unit.is_authority for unit in sources) and not successor.is_authority:
        raise DomainError(_("Đơn vị kế thừa một cơ quan có thẩm quyền phải là cơ quan có thẩm quyền."),
                          code="successor_not_authority")
    ids = [unit.pk for unit in sources]
    return MergePlan(
        on=on, sources=list(sources), successor=successor, move_people=move_people,
        children=list(_running(OrganisationUnit.objects.filter(parent_id__in=ids), on).order_by("name")),
        posts=list(_running(Post.objects.filter(Q(unit_id__in=ids) | Q(managing_authority_id__in=ids)), on)
                   .select_related("user", "unit", "managing_authority").order_by("user__full_name", "pk")),
        memberships=list(_running(AuthorityMembership.objects.filter(authority_id__in=ids), on)
                         .select_related("user", "authority").order_by("role", "pk")),
        proposals=list(Proposal.objects.filter(deciding_authority_id__in=ids, status__in=workflow.TRANSFERABLE)
                       .select_related("author", "deciding_authority").order_by("reference")),
    )


def _carried(item, on: datetime.date, **changes):
    """`item` (a post or a membership) ended the day before `on`, and its copy with `changes` from `on`; one that
    starts on or after `on` is changed in place."""
    if item.valid_from >= on:
        for field, value in changes.items():
            setattr(item, field, value)
        item.save()
        return item
    end = item.valid_to
    item.valid_to = on - datetime.timedelta(days=1)
    item.save(update_fields=["valid_to"])
    copy = type(item).objects.get(pk=item.pk)
    copy.pk = None
    copy.valid_from, copy.valid_to = on, end
    for field, value in changes.items():
        setattr(copy, field, value)
    copy.save()
    return copy


@transaction.atomic
def unit_merge(*, actor: User, plan: MergePlan) -> MergePlan:
    """Carry out `plan` in one transaction (see the module's docstring)."""
    from proposals.services.submission import proposal_transfer

    plan = unit_merge_plan(actor=actor, sources=list(OrganisationUnit.objects.select_for_update().filter(
        pk__in=[unit.pk for unit in plan.sources])), successor=plan.successor, on=plan.on, move_people=plan.move_people)
    on, successor, ids = plan.on, plan.successor, {unit.pk for unit in plan.sources}
    if successor.pk is None:
        successor.valid_from = on
    successor.save()
    for child in plan.children:
        child.refresh_from_db()
        child.parent = successor
        child.save()
    for unit in plan.sources:
        unit.refresh_from_db()
        unit.valid_to, unit.successor = on - datetime.timedelta(days=1), successor
        unit.save(update_fields=["valid_to", "successor"])
    has_head = AuthorityMembership.objects.current(on).filter(
        authority=successor, role=AuthorityMembership.Role.HEAD).exists()
    for post in plan.posts:
        moved = plan.move_people or post.unit_id not in ids
        if not moved:
            post.valid_to = on - datetime.timedelta(days=1)
            post.save(update_fields=["valid_to"])
            continue
        _carried(post, on, unit=successor if post.unit_id in ids else post.unit,
                 managing_authority=successor if post.managing_authority_id in ids else post.managing_authority)
    for membership in plan.memberships:
        if not plan.move_people:
            membership.valid_to = on - datetime.timedelta(days=1)
            membership.save(update_fields=["valid_to"])
            continue
        role = membership.role
        if role == AuthorityMembership.Role.HEAD:
            # One head: the successor's own, or the first of the merged authorities'; the others become deputies.
            role, has_head = (AuthorityMembership.Role.DEPUTY, True) if has_head else (role, True)
        if AuthorityMembership.objects.current(on).filter(authority=successor, user=membership.user).exists():
            membership.valid_to = on - datetime.timedelta(days=1)  # already a member of the successor
            membership.save(update_fields=["valid_to"])
            continue
        _carried(membership, on, authority=successor, role=role)
    for proposal in plan.proposals:
        proposal_transfer(actor=actor, proposal=proposal, authority=successor, reason=plan.reason, reorganisation=True)
    return plan
