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
        posts=list(_running(Post.objects.filter(_posts_concerned(sources, successor)), on)
                   .select_related("user", "unit", "managing_authority").order_by("user__full_name", "pk")),
        memberships=list(_running(AuthorityMembership.objects.filter(authority_id__in=ids), on)
                         .select_related("user", "authority").order_by("role", "pk")),
        proposals=list(Proposal.objects.filter(deciding_authority_id__in=ids, status__in=workflow.TRANSFERABLE)
                       .select_related("author", "deciding_authority").order_by("reference")),
    )


def _posts_concerned(sources: list[OrganisationUnit], successor: OrganisationUnit) -> Q:
    """The posts a merge moves: those held in the sources or managed by them, and, below a source that decides
    nothing (a division) in another authority than the successor's, those managed by that authority, which the
    successor's authority takes over."""
    ids = [unit.pk for unit in sources]
    concerned = Q(unit_id__in=ids) | Q(managing_authority_id__in=ids)
    for unit in sources:
        authority = unit.deciding_authority()
        if not unit.is_authority and authority.pk != successor.deciding_authority().pk:
            concerned |= Q(unit__path__startswith=unit.path, managing_authority=authority)
    return concerned


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


def _locked(units: list[OrganisationUnit]) -> dict[int, OrganisationUnit]:
    """`units` read again and locked until the transaction ends, in one order (two reorganisations at once wait
    for each other instead of deadlocking), so that the checks see the tree as it is written."""
    return {unit.pk: unit for unit in OrganisationUnit.objects.select_for_update()
            .filter(pk__in=[unit.pk for unit in units if unit.pk]).order_by("pk")}


def _ended(item, on: datetime.date) -> None:
    item.valid_to = on - datetime.timedelta(days=1)
    item.save(update_fields=["valid_to"])


def _memberships_carried(memberships: list[AuthorityMembership], successor: OrganisationUnit, on: datetime.date, *,
                         move: bool) -> None:
    """The memberships of authorities that end continue at `successor` from `on` (or end, unless `move`), with one
    head: the successor's own, or the first one carried; the other heads become deputies."""
    has_head = AuthorityMembership.objects.current(on).filter(
        authority=successor, role=AuthorityMembership.Role.HEAD).exists()
    for membership in memberships:
        if not move or AuthorityMembership.objects.current(on).filter(authority=successor,
                                                                      user=membership.user).exists():
            _ended(membership, on)  # or already a member of the successor
            continue
        role = membership.role
        if role == AuthorityMembership.Role.HEAD:
            role, has_head = (AuthorityMembership.Role.DEPUTY, True) if has_head else (role, True)
        _carried(membership, on, authority=successor, role=role)


@transaction.atomic
def unit_merge(*, actor: User, plan: MergePlan) -> MergePlan:
    """Carry out `plan` in one transaction (see the module's docstring)."""
    from proposals.services.submission import proposal_transfer

    locked = _locked([*plan.sources, plan.successor])
    plan = unit_merge_plan(actor=actor, sources=[locked[unit.pk] for unit in plan.sources],
                           successor=locked.get(plan.successor.pk, plan.successor), on=plan.on,
                           move_people=plan.move_people)
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
    successor_authority = successor.deciding_authority()  # the successor itself when it decides
    above = {unit.deciding_authority().pk for unit in plan.sources if not unit.is_authority}
    for post in plan.posts:
        moved = plan.move_people or post.unit_id not in ids
        if not moved:
            _ended(post, on)
            continue
        unit = successor if post.unit_id in ids else post.unit
        managing = (successor if post.managing_authority_id in ids
                    else successor_authority if post.managing_authority_id in above else post.managing_authority)
        if (unit.pk, managing.pk) != (post.unit_id, post.managing_authority_id):
            _carried(post, on, unit=unit, managing_authority=managing)
    _memberships_carried(plan.memberships, successor, on, move=plan.move_people)
    for proposal in plan.proposals:
        proposal_transfer(actor=actor, proposal=proposal, authority=successor, reason=plan.reason, reorganisation=True)
    return plan


# — splits: one unit's parts go to two or more successors ————————————————————————————————————————————————


@dataclasses.dataclass
class SplitPlan:
    on: datetime.date
    source: OrganisationUnit
    #: the successors, the first of which (the principal) takes the source's own people and what has no other place
    successors: list[OrganisationUnit]
    move_people: bool
    #: each unit directly below the source, and the successor it moves under
    children: list[tuple[OrganisationUnit, OrganisationUnit]]
    #: each post held in or managed by the source, and its unit and managing authority from the date (None: it ends)
    posts: list[tuple[Post, tuple[OrganisationUnit, OrganisationUnit] | None]]
    memberships: list[AuthorityMembership]
    #: each open proposal the source was to decide, and the successor that decides it
    proposals: list[tuple[Proposal, OrganisationUnit]]

    @property
    def principal(self) -> OrganisationUnit:
        return self.successors[0]

    @property
    def reason(self) -> str:
        return _("Tổ chức lại: %(source)s chia tách thành %(successors)s từ ngày %(date)s.") % {
            "source": self.source.name, "successors": ", ".join(unit.name for unit in self.successors),
            "date": self.on.strftime("%d/%m/%Y")}


def _check_reorganiser(actor: User, on: datetime.date) -> None:
    if not roles.can_import_organisation(actor):
        raise PermissionDenied()
    if on > timezone.localdate():
        raise DomainError(_("Ngày tổ chức lại không thể ở tương lai: hãy áp dụng vào đúng ngày đó."),
                          code="reorganisation_in_future")


def _check_running(unit: OrganisationUnit, on: datetime.date) -> None:
    if not unit.is_valid_on(on - datetime.timedelta(days=1)) or (unit.valid_to and unit.valid_to < on):
        raise DomainError(_("%(unit)s không còn hoạt động vào ngày này.") % {"unit": unit.name},
                          code="source_not_running")


def unit_split_plan(*, actor: User, source: OrganisationUnit, successors: list[OrganisationUnit],
                    on: datetime.date, assignments: dict[int, int] | None = None,
                    move_people: bool = True) -> SplitPlan:
    """What splitting `source` on `on` would do: the units below it go to the successors `assignments` names
    (child id → successor id; unnamed ones to the principal, the first successor), and everything that hangs on
    the source follows them: the posts in a unit below keep their unit and are managed by its successor; the
    source's own posts and memberships go to the principal (or end); an open proposal goes to the successor that
    takes the unit it was filed from. Refuses what cannot be done; changes nothing."""
    _check_reorganiser(actor, on)
    _check_running(source, on)
    if len(successors) < 2:
        raise DomainError(_("Chia tách cần ít nhất hai đơn vị kế thừa; với một đơn vị, hãy hợp nhất hoặc đổi tên."),
                          code="split_needs_two")
    for successor in successors:
        if successor.pk == source.pk or successor.path.startswith(source.path):
            raise DomainError(_("%(unit)s không thể kế thừa đơn vị được chia tách hoặc đơn vị cấp dưới của nó.")
                              % {"unit": successor.name}, code="successor_below")
        if not successor.is_valid_on(on):
            raise DomainError(_("%(unit)s không hoạt động vào ngày này.") % {"unit": successor.name},
                              code="successor_not_running")
        if source.is_authority and not successor.is_authority:
            raise DomainError(_("Đơn vị kế thừa một cơ quan có thẩm quyền phải là cơ quan có thẩm quyền."),
                              code="successor_not_authority")
    by_id = {successor.pk: successor for successor in successors}
    assignments = assignments or {}
    if set(assignments.values()) - set(by_id):
        raise DomainError(_("Mỗi đơn vị trực thuộc chỉ chuyển sang một trong các đơn vị kế thừa."),
                          code="unknown_successor")
    children = [(child, by_id.get(assignments.get(child.pk), successors[0]))
                for child in _running(OrganisationUnit.objects.filter(parent=source), on).order_by("name")]

    def successor_of(unit: OrganisationUnit) -> OrganisationUnit:
        """The successor that takes `unit`: that of the unit below the source it lies in, else the principal."""
        return next((to for child, to in children if unit.path.startswith(child.path)), successors[0])

    # The authority that manages the source's people: the source itself when it decides, else the one it is in.
    # Posts it manages are managed, from the date, by the successor (or the authority the successor is in) that
    # takes the post's unit; posts managed elsewhere keep their managing authority.
    authority = source.deciding_authority()

    def managed_by(post: Post, successor: OrganisationUnit) -> OrganisationUnit:
        if post.managing_authority_id != authority.pk:
            return post.managing_authority
        return successor if source.is_authority else successor.deciding_authority()

    posts = []
    concerned = Q(unit=source) | Q(managing_authority=source) | Q(unit__path__startswith=source.path,
                                                                  managing_authority=authority)
    for post in (_running(Post.objects.filter(concerned), on)
                 .select_related("user", "unit", "managing_authority").order_by("user__full_name", "pk")):
        if post.unit_id == source.pk:
            destination = (successors[0], managed_by(post, successors[0])) if move_people else None
        else:
            destination = (post.unit, managed_by(post, successor_of(post.unit)))
        if destination is None or destination != (post.unit, post.managing_authority):
            posts.append((post, destination))
    memberships = list(_running(AuthorityMembership.objects.filter(authority=source), on)
                       .select_related("user", "authority").order_by("role", "pk"))
    proposals = [(proposal, successor_of(proposal.submitter_unit)) for proposal in
                 Proposal.objects.filter(deciding_authority=source, status__in=workflow.TRANSFERABLE)
                 .select_related("author", "deciding_authority", "submitter_unit").order_by("reference")]
    for successor in {to for _proposal, to in proposals}:
        gets_members = successor == successors[0] and move_people and memberships
        if not gets_members and not AuthorityMembership.objects.current(on).filter(authority=successor).exists():
            raise DomainError(_("%(unit)s sẽ nhận đề xuất chưa có quyết định nhưng chưa có thành viên nào để quyết "
                                "định: hãy nhập người đứng đầu của đơn vị này trước.") % {"unit": successor.name},
                              code="successor_without_members")
    return SplitPlan(on=on, source=source, successors=list(successors), move_people=move_people, children=children,
                     posts=posts, memberships=memberships, proposals=proposals)


@transaction.atomic
def unit_split(*, actor: User, plan: SplitPlan) -> SplitPlan:
    """Carry out a split's plan in one transaction: the source ends the day before with the principal as its
    successor, its units below move, posts and memberships follow, open proposals are transferred."""
    from proposals.services.submission import proposal_transfer

    locked = _locked([plan.source, *plan.successors])
    source = locked[plan.source.pk]
    plan = unit_split_plan(actor=actor, source=source, successors=[locked[unit.pk] for unit in plan.successors],
                           on=plan.on,
                           assignments={child.pk: to.pk for child, to in plan.children},
                           move_people=plan.move_people)
    on = plan.on
    for child, successor in plan.children:
        child.refresh_from_db()
        child.parent = successor
        child.save()
    source.valid_to, source.successor = on - datetime.timedelta(days=1), plan.principal
    source.save(update_fields=["valid_to", "successor"])
    for post, destination in plan.posts:
        if destination is None:
            _ended(post, on)
        elif (post.unit_id, post.managing_authority_id) != (destination[0].pk, destination[1].pk):
            _carried(post, on, unit=destination[0], managing_authority=destination[1])
    _memberships_carried(plan.memberships, plan.principal, on, move=plan.move_people)
    for proposal, successor in plan.proposals:
        proposal_transfer(actor=actor, proposal=proposal, authority=successor, reason=plan.reason,
                          reorganisation=True)
    return plan


# — moves: a unit goes under another parent ——————————————————————————————————————————————————————————————


@dataclasses.dataclass
class MovePlan:
    on: datetime.date
    unit: OrganisationUnit
    parent: OrganisationUnit
    #: the authority above the unit before and after: the posts below it that it managed are managed by the new one
    authority_before: OrganisationUnit | None
    authority_after: OrganisationUnit
    #: the unit and those below it
    units: list[OrganisationUnit]
    posts: list[Post]

    @property
    def reason(self) -> str:
        return _("Tổ chức lại: %(unit)s chuyển về %(parent)s từ ngày %(date)s.") % {
            "unit": self.unit.name, "parent": self.parent.name, "date": self.on.strftime("%d/%m/%Y")}


def unit_move_plan(*, actor: User, unit: OrganisationUnit, parent: OrganisationUnit,
                   on: datetime.date) -> MovePlan:
    """What moving `unit` (with the units below it) under `parent` on `on` would do. The unit keeps its code,
    people and proposals; the posts below it that the authority above it managed are managed, from the date, by
    the authority above it at its new place. Proposals stay with the authority deciding them: no authority ends.
    Refuses what cannot be done; changes nothing."""
    _check_reorganiser(actor, on)
    _check_running(unit, on)
    if parent.pk == unit.pk or parent.path.startswith(unit.path):
        raise DomainError(_("Không thể chuyển một đơn vị về chính nó hoặc đơn vị cấp dưới của nó."),
                          code="move_below_itself")
    if parent.pk == unit.parent_id:
        raise DomainError(_("%(unit)s đã trực thuộc %(parent)s.") % {"unit": unit.name, "parent": parent.name},
                          code="move_nowhere")
    if not parent.is_valid_on(on):
        raise DomainError(_("%(unit)s không hoạt động vào ngày này.") % {"unit": parent.name},
                          code="successor_not_running")
    before = unit.authority_above()
    after = parent.deciding_authority()
    units = list(_running(OrganisationUnit.objects.filter(path__startswith=unit.path), on).order_by("path"))
    posts = []
    if before is not None and before.pk != after.pk:
        posts = list(_running(Post.objects.filter(unit__in=units, managing_authority=before), on)
                     .select_related("user", "unit").order_by("user__full_name", "pk"))
    return MovePlan(on=on, unit=unit, parent=parent, authority_before=before, authority_after=after, units=units,
                    posts=posts)


@transaction.atomic
def unit_move(*, actor: User, plan: MovePlan) -> MovePlan:
    locked = _locked([plan.unit, plan.parent])
    unit = locked[plan.unit.pk]
    plan = unit_move_plan(actor=actor, unit=unit, parent=locked[plan.parent.pk], on=plan.on)
    unit.parent = plan.parent
    unit.save()
    for post in plan.posts:
        _carried(post, plan.on, managing_authority=plan.authority_after)
    return plan
