"""Merging units on a date (issue 15): the sources end the day before, their units, posts and memberships move to
the successor, and the open proposals they were to decide follow it through the transfer service; decided ones
keep their historical authority; routing afterwards uses the successor."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import AuthorityMembership, OrganisationUnit, Post
from proposals.errors import DomainError, PermissionDenied
from proposals.models import ProposalEvent, ProposalRouting
from proposals.services.reorganisation import (
    unit_merge,
    unit_merge_plan,
    unit_move,
    unit_move_plan,
    unit_split,
    unit_split_plan,
)
from tests.factories import MembershipFactory, UnitFactory
from tests.helpers import approve, head_of, submitted

TODAY = timezone.localdate()


def new_successor(org):
    return OrganisationUnit(name="Sở Xây dựng và Giao thông", code="so-xd-gt", kind="city_agency", parent=org.city,
                            abbreviation="SXDGT")


def test_the_plan_says_what_would_follow_the_successor_and_changes_nothing(org):
    open_proposal = submitted(org.proposer_dept, title="Chưa quyết định")

    plan = unit_merge_plan(actor=org.homeaffairs, sources=[org.construction], successor=new_successor(org), on=TODAY)

    assert plan.proposals == [open_proposal]
    assert org.construction_division in plan.children
    assert {post.user for post in plan.posts} >= {org.head_dept, org.proposer_dept, org.proposer_staff}
    assert {m.user for m in plan.memberships} == {org.head_dept, org.deputy_dept}
    assert OrganisationUnit.objects.get(pk=org.construction.pk).valid_to is None


def test_a_merge_moves_units_people_and_open_proposals_and_leaves_decided_ones(org):
    open_proposal = submitted(org.proposer_dept, title="Chưa quyết định")
    decided = submitted(org.proposer_dept, title="Đã phê duyệt")
    approve(head_of(decided), decided)

    plan = unit_merge(actor=org.homeaffairs, plan=unit_merge_plan(
        actor=org.homeaffairs, sources=[org.construction], successor=new_successor(org), on=TODAY))

    successor = OrganisationUnit.objects.get(code="so-xd-gt")
    construction = OrganisationUnit.objects.get(pk=org.construction.pk)
    assert construction.valid_to == TODAY - datetime.timedelta(days=1) and construction.successor == successor
    division = OrganisationUnit.objects.get(pk=org.construction_division.pk)
    assert division.parent == successor and division.path.startswith(successor.path)
    director_post = Post.objects.current(TODAY).get(user=org.head_dept)
    assert director_post.unit == successor and director_post.title == "Giám đốc"
    assert Post.objects.get(user=org.head_dept, unit=org.construction).valid_to == TODAY - datetime.timedelta(days=1)
    assert Post.objects.current(TODAY).get(user=org.proposer_dept).managing_authority == successor
    roles = dict(AuthorityMembership.objects.current(TODAY).filter(authority=successor).values_list("user", "role"))
    assert roles == {org.head_dept.pk: "head", org.deputy_dept.pk: "deputy"}
    open_proposal.refresh_from_db()
    decided.refresh_from_db()
    assert open_proposal.deciding_authority == successor and decided.deciding_authority == construction
    routing = ProposalRouting.objects.get(proposal=open_proposal, is_current=True)
    assert routing.kind == "transferred" and "hợp nhất vào Sở Xây dựng và Giao thông" in routing.reason
    assert ProposalEvent.objects.filter(proposal=open_proposal, kind="transferred").exists()
    # routing afterwards goes to the successor
    assert submitted(org.proposer_dept, title="Sau tổ chức lại").deciding_authority == successor
    assert plan.proposals == [open_proposal]


def test_two_heads_merged_leave_one_head_and_the_other_a_deputy(org):
    MembershipFactory(user=org.outsider, authority=org.home_affairs_dept, role="head")
    successor = UnitFactory(name="Sở mới", code="so-moi", kind="city_agency", parent=org.city)
    unit_merge(actor=org.homeaffairs, plan=unit_merge_plan(
        actor=org.homeaffairs, sources=[org.construction, org.home_affairs_dept], successor=successor, on=TODAY))

    roles = dict(AuthorityMembership.objects.current(TODAY).filter(authority=successor).values_list("user", "role"))
    assert list(roles.values()).count("head") == 1
    assert {roles[org.head_dept.pk], roles[org.outsider.pk]} == {"head", "deputy"}


def test_divisions_merged_into_another_authority_s_division_are_managed_by_it(org):
    successor = UnitFactory(name="Phòng Nhà ở", code="snv-nha-o", kind="division", parent=org.home_affairs_dept)

    unit_merge(actor=org.homeaffairs, plan=unit_merge_plan(
        actor=org.homeaffairs, sources=[org.construction_division], successor=successor, on=TODAY))

    post = Post.objects.current(TODAY).get(user=org.proposer_dept)
    assert (post.unit, post.managing_authority) == (successor, org.home_affairs_dept)


def test_people_may_end_with_their_unit_instead(org):
    unit_merge(actor=org.homeaffairs, plan=unit_merge_plan(
        actor=org.homeaffairs, sources=[org.construction], successor=new_successor(org), on=TODAY,
        move_people=False))

    assert not Post.objects.current(TODAY).filter(user=org.head_dept).exists()
    assert not AuthorityMembership.objects.current(TODAY).filter(user=org.head_dept).exists()


@pytest.mark.parametrize("case", ["future", "successor_is_source", "not_authority", "below"])
def test_what_cannot_be_merged_is_refused(org, case):
    sources, successor, on = [org.construction], new_successor(org), TODAY
    if case == "future":
        on = TODAY + datetime.timedelta(days=1)
    elif case == "successor_is_source":
        successor = org.construction
    elif case == "not_authority":
        successor = org.ward_division
    elif case == "below":
        successor = org.construction_division
    with pytest.raises(DomainError):
        unit_merge_plan(actor=org.homeaffairs, sources=sources, successor=successor, on=on)


@pytest.mark.parametrize("who", ["head_dept", "proposer_dept", "outsider"])
def test_only_home_affairs_and_administrators_reorganise(org, who):
    with pytest.raises(PermissionDenied):
        unit_merge_plan(actor=getattr(org, who), sources=[org.construction], successor=new_successor(org), on=TODAY)


# — splits and moves ————————————————————————————————————————————————————————————————————————————————————


def split_successors(org):
    planning = UnitFactory(name="Sở Quy hoạch - Kiến trúc", code="so-qhkt", kind="city_agency", parent=org.city)
    housing = UnitFactory(name="Sở Quản lý nhà", code="so-qln", kind="city_agency", parent=org.city)
    MembershipFactory(user=org.outsider, authority=housing, role="head")
    return planning, housing


def test_a_split_sends_each_part_and_each_open_proposal_to_its_successor(org):
    planning, housing = split_successors(org)
    from_division = submitted(org.proposer_dept, title="Từ phòng quản lý nhà")
    from_department = submitted(org.proposer_staff, title="Từ văn phòng sở")
    decided = submitted(org.proposer_staff, title="Đã phê duyệt")
    approve(head_of(decided), decided)
    plan = unit_split_plan(actor=org.homeaffairs, source=org.construction, successors=[planning, housing], on=TODAY,
                           assignments={org.construction_division.pk: housing.pk})
    assert plan.children == [(org.construction_division, housing)]
    assert dict(plan.proposals) == {from_division: housing, from_department: planning}
    assert OrganisationUnit.objects.get(pk=org.construction.pk).valid_to is None  # the plan changes nothing

    unit_split(actor=org.homeaffairs, plan=plan)

    construction = OrganisationUnit.objects.get(pk=org.construction.pk)
    assert construction.valid_to == TODAY - datetime.timedelta(days=1) and construction.successor == planning
    assert OrganisationUnit.objects.get(pk=org.construction_division.pk).parent == housing
    division_head = Post.objects.current(TODAY).get(user=org.proposer_dept)
    assert (division_head.unit, division_head.managing_authority) == (org.construction_division, housing)
    staff = Post.objects.current(TODAY).get(user=org.proposer_staff)
    assert (staff.unit, staff.managing_authority) == (planning, planning)
    director = Post.objects.current(TODAY).get(user=org.head_dept)
    assert (director.unit, director.managing_authority) == (planning, org.city)
    roles = dict(AuthorityMembership.objects.current(TODAY).filter(authority=planning).values_list("user", "role"))
    assert roles == {org.head_dept.pk: "head", org.deputy_dept.pk: "deputy"}
    for proposal, successor in ((from_division, housing), (from_department, planning), (decided, construction)):
        proposal.refresh_from_db()
        assert proposal.deciding_authority == successor
    routing = ProposalRouting.objects.get(proposal=from_division, is_current=True)
    assert routing.kind == "transferred" and "chia tách thành" in routing.reason
    # routing afterwards uses the successors
    assert submitted(org.proposer_dept, title="Sau chia tách").deciding_authority == housing


def test_a_split_division_s_people_are_managed_by_the_authority_their_new_unit_is_in(org):
    moved = UnitFactory(name="Phòng Nhà ở (Sở Nội vụ)", code="snv-nha-o", kind="division", parent=org.home_affairs_dept)
    stays = UnitFactory(name="Phòng Công sở", code="sxd-cong-so", kind="division", parent=org.construction)
    pending = submitted(org.proposer_dept, title="Đang chờ Sở Xây dựng")

    plan = unit_split(actor=org.homeaffairs, plan=unit_split_plan(
        actor=org.homeaffairs, source=org.construction_division, successors=[moved, stays], on=TODAY))

    post = Post.objects.current(TODAY).get(user=org.proposer_dept)
    assert (post.unit, post.managing_authority) == (moved, org.home_affairs_dept)
    assert plan.proposals == []  # a division decides nothing: its people's proposals stay where they are
    pending.refresh_from_db()
    assert pending.deciding_authority == org.construction


@pytest.mark.parametrize("case", ["one_successor", "below", "not_authority", "stranger_assignment", "future",
                                  "nobody_to_decide"])
def test_what_cannot_be_split_is_refused(org, case):
    planning, housing = split_successors(org)
    successors, assignments, on = [planning, housing], {}, TODAY
    if case == "one_successor":
        successors = [planning]
    elif case == "below":
        successors = [planning, org.construction_division]
    elif case == "not_authority":
        successors = [planning, org.ward_division]
    elif case == "stranger_assignment":
        assignments = {org.construction_division.pk: org.ward.pk}
    elif case == "future":
        on = TODAY + datetime.timedelta(days=1)
    elif case == "nobody_to_decide":
        submitted(org.proposer_dept, title="Từ phòng quản lý nhà")
        AuthorityMembership.objects.filter(authority=housing).delete()
        assignments = {org.construction_division.pk: housing.pk}
    with pytest.raises(DomainError):
        unit_split_plan(actor=org.homeaffairs, source=org.construction, successors=successors, on=on,
                        assignments=assignments)


def test_a_moved_unit_keeps_its_people_and_the_new_authority_above_manages_them(org):
    pending = submitted(org.proposer_ward, title="Đang chờ phường quyết định")

    plan = unit_move(actor=org.homeaffairs, plan=unit_move_plan(
        actor=org.homeaffairs, unit=org.ward_division, parent=org.construction, on=TODAY))

    division = OrganisationUnit.objects.get(pk=org.ward_division.pk)
    assert division.parent == org.construction and division.path.startswith(org.construction.path)
    assert (plan.authority_before, plan.authority_after) == (org.ward, org.construction)
    post = Post.objects.current(TODAY).get(user=org.proposer_ward)
    assert (post.unit, post.managing_authority) == (division, org.construction)
    assert Post.objects.get(user=org.proposer_ward, managing_authority=org.ward).valid_to == (
        TODAY - datetime.timedelta(days=1))
    pending.refresh_from_db()
    assert pending.deciding_authority == org.ward  # no authority ended
    assert submitted(org.proposer_ward, title="Sau khi chuyển").deciding_authority == org.construction


@pytest.mark.parametrize("case", ["under_itself", "same_parent", "future"])
def test_what_cannot_be_moved_is_refused(org, case):
    unit, parent, on = org.construction, org.home_affairs_dept, TODAY
    if case == "under_itself":
        parent = org.construction_division
    elif case == "same_parent":
        parent = org.city
    elif case == "future":
        on = TODAY + datetime.timedelta(days=1)
    with pytest.raises(DomainError):
        unit_move_plan(actor=org.homeaffairs, unit=unit, parent=parent, on=on)


@pytest.mark.parametrize("who", ["head_dept", "proposer_dept", "outsider"])
def test_only_home_affairs_and_administrators_split_or_move(org, who):
    planning, housing = split_successors(org)
    with pytest.raises(PermissionDenied):
        unit_split_plan(actor=getattr(org, who), source=org.construction, successors=[planning, housing], on=TODAY)
    with pytest.raises(PermissionDenied):
        unit_move_plan(actor=getattr(org, who), unit=org.ward_division, parent=org.construction, on=TODAY)
