import datetime

import pytest

from accounts import selectors
from accounts.models import OrganisationUnit, PositionCategory
from routing.models import RoutingRule
from routing.policy import NoRoutingRule, SubmitterProfile, route
from tests.factories import MembershipFactory, PostFactory, UnitFactory, UserFactory

TODAY = datetime.date(2026, 11, 26)


def profile_of(user, involved=()):
    post = selectors.post_current_principal(user=user, on=TODAY)
    return SubmitterProfile(user_id=user.pk, post=post, involved_authorities=tuple(involved), on=TODAY)


@pytest.mark.parametrize(
    ("submitter", "authority", "rule_priority"),
    [
        ("proposer_city", "city", 40),
        ("proposer_dept", "construction", 50),
        ("proposer_ward", "ward", 60),
        ("proposer_staff", "construction", 10),
        ("head_dept", "city", 40),
    ],
)
def test_default_rules_route_each_kind_of_submitter(org, submitter, authority, rule_priority):
    decision = route(profile_of(getattr(org, submitter)))

    assert decision.authority == getattr(org, authority)
    assert decision.rule.priority == rule_priority
    assert decision.authority.name in decision.reason or "UBND Thành phố" in decision.reason


def test_reason_names_the_city_for_city_managed_officials(org):
    decision = route(profile_of(org.proposer_city))

    assert decision.reason == "Gửi UBND Thành phố vì người đề xuất thuộc diện UBND Thành phố quản lý"


def test_proposal_spanning_several_agencies_goes_to_the_city(org):
    decision = route(profile_of(org.proposer_dept, involved=[org.home_affairs_dept]))

    assert decision.authority == org.city
    assert decision.rule.priority == 20


def test_units_inside_the_managing_authority_do_not_count_as_several(org):
    involved = [org.construction_division.deciding_authority()]

    decision = route(profile_of(org.proposer_dept, involved=involved))

    assert decision.authority == org.construction


def test_head_of_the_managing_authority_goes_to_the_authority_above(org):
    # given a division head managed by the agency he also heads (the agency's director)
    director = UserFactory(username="director2")
    agency = UnitFactory(name="Sở Tư pháp", code="so-tu-phap", parent=org.city)
    PostFactory(user=director, unit=agency, is_head=True, managing_authority=agency, title="Giám đốc")
    MembershipFactory(user=director, authority=agency)

    decision = route(profile_of(director))

    assert decision.authority == org.city
    assert decision.rule.priority == 30


def test_a_head_never_decides_own_proposal_even_through_a_named_rule(org):
    # given a rule that names the agency head.dept heads as the deciding authority
    RoutingRule.objects.create(
        name="Mọi đề xuất về Sở Xây dựng", priority=1, target="named_unit", target_unit=org.construction,
        reason="Gửi {authority} theo quy tắc chỉ định",
    )

    decision = route(profile_of(org.head_dept))

    assert decision.authority == org.city
    assert "người đứng đầu Sở Xây dựng" in decision.reason


def test_staff_in_a_division_go_to_the_head_of_the_agency(org):
    clerk = UserFactory(username="clerk")
    PostFactory(user=clerk, unit=org.construction_division, title="Chuyên viên",
                category=PositionCategory.STAFF, managing_authority=org.construction)

    assert route(profile_of(clerk)).authority == org.construction


def test_managers_of_a_public_service_unit_go_to_its_head(org):
    hospital = UnitFactory(name="Bệnh viện", code="bv", kind=OrganisationUnit.Kind.PUBLIC_SERVICE_UNIT, parent=org.city)
    doctor = UserFactory(username="doctor")
    PostFactory(user=doctor, unit=hospital, category=PositionCategory.PSU_MANAGER, managing_authority=hospital,
                title="Trưởng khoa")

    decision = route(profile_of(doctor))

    assert decision.authority == hospital
    assert decision.reason == "Gửi người đứng đầu Bệnh viện vì người đề xuất thuộc diện Bệnh viện quản lý"


def test_no_matching_rule_is_refused(org):
    RoutingRule.objects.filter(authority_kind="city_agency").update(valid_to=datetime.date(2024, 1, 1))

    with pytest.raises(NoRoutingRule) as refusal:
        route(profile_of(org.proposer_dept))

    assert refusal.value.code == "no_routing_rule"


def test_rules_outside_their_validity_are_ignored(org):
    RoutingRule.objects.filter(priority=50).update(valid_to=datetime.date(2026, 1, 1))

    with pytest.raises(NoRoutingRule):
        route(profile_of(org.proposer_dept))


def test_rule_priority_decides_between_matching_rules(org):
    RoutingRule.objects.create(
        name="Thí điểm: mọi đề xuất của Sở Xây dựng lên Thành phố", priority=5, authority_kind="city_agency",
        target="city_committee", reason="Gửi {authority} theo quy tắc thí điểm",
    )

    decision = route(profile_of(org.proposer_dept))

    assert decision.authority == org.city
    assert decision.reason == "Gửi UBND Thành phố Hồ Chí Minh theo quy tắc thí điểm"
