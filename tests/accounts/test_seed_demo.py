"""`seed_demo` builds the demo city of DESIGN.md "Demo data", and running it again changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import selectors
from accounts.models import (
    ADMINISTRATORS_GROUP,
    HOME_AFFAIRS_GROUP,
    AuthorityMembership,
    OrganisationUnit,
    PositionCategory,
    Post,
    User,
)

Kind = OrganisationUnit.Kind
Role = AuthorityMembership.Role

DEMO = ["proposer.city", "proposer.dept", "proposer.ward", "proposer.staff", "head.city", "head.dept",
        "head.ward", "homeaffairs", "admin"]
AGENCIES = [
    "Văn phòng UBND Thành phố", "Sở Tài chính", "Sở Nội vụ", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo",
    "Sở Tư pháp", "Sở Công Thương", "Sở Khoa học và Công nghệ", "Sở Văn hóa và Thể thao", "Sở Du lịch",
    "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo", "Thanh tra Thành phố", "Sở Quy hoạch - Kiến trúc",
    "Sở An toàn thực phẩm",
]

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    # the demo proposals have their own test (tests/reports/test_demo_seed.py)
    call_command("seed_demo", "--organisation-only", stdout=out)
    return out.getvalue()


def _snapshot():
    return {
        "units": list(OrganisationUnit.objects.order_by("code").values_list(
            "code", "name", "kind", "local_level", "parent__code", "valid_from", "valid_to", "successor__code", "path")),
        "users": list(User.objects.order_by("username").values_list(
            "username", "full_name", "email", "employee_code", "password", "is_superuser")),
        "posts": list(Post.objects.order_by("user__username", "valid_from").values_list(
            "pk", "user__username", "unit__code", "title", "category", "managing_authority__code", "is_head",
            "is_principal", "valid_from", "valid_to")),
        "memberships": list(AuthorityMembership.objects.order_by("pk").values_list(
            "user__username", "authority__code", "role", "valid_from", "valid_to")),
        "groups": list(User.groups.through.objects.order_by("pk").values_list("user__username", "group__name")),
    }


@pytest.fixture
def seeded(db):
    _seed()
    return {u.username: u for u in User.objects.filter(username__in=DEMO)}


def test_second_run_changes_nothing(seeded):
    # given
    before = _snapshot()
    # when
    output = _seed()
    # then
    assert _snapshot() == before
    assert "tạo mới 0, cập nhật 0" in output


def test_demo_accounts_sign_in_with_the_demo_password(seeded, client):
    for username in DEMO:
        assert seeded[username].check_password("demo"), username
        assert seeded[username].full_name
        assert seeded[username].email == f"{username}@demo.hochiminhcity.gov.vn"
    response = client.post("/accounts/login/", {"username": "proposer.dept", "password": "demo"})
    assert response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_demo_password_comes_from_the_environment(seeded, monkeypatch):
    # when
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-rieng")
    _seed()
    # then: every account changes password, nothing is duplicated
    assert User.objects.get(username="head.dept").check_password("mat-khau-rieng")
    assert User.objects.get(username="canbo001").check_password("mat-khau-rieng")
    assert User.objects.filter(username="head.dept").count() == 1


def _post(username):
    return selectors.post_current_principal(user=User.objects.get(username=username))


def _members(code):
    authority = OrganisationUnit.objects.get(code=code)
    return set(selectors.authority_members_current(authority=authority).values_list("username", flat=True))


def test_demo_posts_match_the_design(seeded):
    city, construction, ward = "ubnd-tp", "so-xay-dung", "p-ben-thanh"
    expected = {
        # username: (unit or its parent, managing authority, category, is_head)
        "proposer.city": (construction, city, PositionCategory.ADMIN_LEADER, False),
        "proposer.dept": (construction, construction, PositionCategory.ADMIN_LEADER, True),
        "proposer.ward": (ward, ward, PositionCategory.ADMIN_LEADER, True),
        "proposer.staff": (construction, construction, PositionCategory.STAFF, False),
        "head.city": (city, city, PositionCategory.ADMIN_LEADER, False),
        "head.dept": (construction, city, PositionCategory.ADMIN_LEADER, True),
        "head.ward": (ward, city, PositionCategory.ADMIN_LEADER, True),
        "homeaffairs": ("so-noi-vu", "so-noi-vu", PositionCategory.STAFF, False),
    }
    for username, (unit, authority, category, is_head) in expected.items():
        post = _post(username)
        assert unit in (post.unit.code, post.unit.parent and post.unit.parent.code), username
        assert post.managing_authority.code == authority, username
        assert post.category == category, username
        assert post.is_head is is_head, username
    assert _post("proposer.dept").unit.kind == Kind.DIVISION
    assert _post("proposer.dept").unit.name == "Phòng Quản lý nhà và Thị trường bất động sản"
    assert _post("proposer.ward").unit.kind == Kind.DIVISION
    assert _post("proposer.staff").unit.code == construction
    assert _post("proposer.city").title == "Phó Giám đốc"
    assert _post("head.city").title == "Phó Chủ tịch UBND Thành phố"


def test_demo_memberships_and_roles(seeded):
    demo_memberships = set(AuthorityMembership.objects.filter(user__username__in=DEMO)
                           .values_list("user__username", "authority__code", "role"))
    assert demo_memberships == {
        ("head.city", "ubnd-tp", Role.HEAD),
        ("head.dept", "so-xay-dung", Role.HEAD),
        ("head.ward", "p-ben-thanh", Role.HEAD),
    }
    assert seeded["admin"].is_superuser and seeded["admin"].is_staff
    assert seeded["admin"].groups.filter(name=ADMINISTRATORS_GROUP).exists()
    assert seeded["homeaffairs"].groups.filter(name=HOME_AFFAIRS_GROUP).exists()


def test_each_deciding_authority_reaches_exactly_one_demo_account(seeded):
    assert _members("ubnd-tp") == {"head.city"}
    assert _members("p-ben-thanh") == {"head.ward"}
    construction = _members("so-xay-dung")
    assert construction & set(DEMO) == {"head.dept"}
    roles = set(AuthorityMembership.objects.filter(authority__code="so-xay-dung").values_list("role", flat=True))
    assert roles == {Role.HEAD, Role.DEPUTY, Role.SECRETARIAT}


def test_routing_sends_each_demo_proposal_to_one_demo_decider(seeded):
    from routing.policy import SubmitterProfile, route

    expected = {"proposer.dept": "head.dept", "proposer.city": "head.city", "head.dept": "head.city",
                "proposer.ward": "head.ward", "proposer.staff": "head.dept"}
    for submitter, decider in expected.items():
        user = User.objects.get(username=submitter)
        decision = route(SubmitterProfile(user_id=user.pk, post=_post(submitter), involved_authorities=(),
                                          on=timezone.localdate()))
        members = set(selectors.authority_members_current(authority=decision.authority)
                      .values_list("username", flat=True))
        assert members & set(DEMO) == {decider}, submitter


def test_the_sixteen_agencies_and_the_wards_exist(seeded):
    agencies = OrganisationUnit.objects.current().filter(kind=Kind.CITY_AGENCY)
    assert sorted(agencies.values_list("name", flat=True)) == sorted(AGENCIES)
    assert all(agency.parent.code == "ubnd-tp" for agency in agencies.select_related("parent"))
    city = OrganisationUnit.objects.get(code="ubnd-tp")
    assert city.kind == Kind.CITY_COMMITTEE and city.valid_to is None

    wards = OrganisationUnit.objects.current().filter(kind=Kind.LOCAL_COMMITTEE)
    assert wards.count() >= 12
    assert set(wards.values_list("local_level", flat=True)) == {"ward", "commune", "special_zone"}
    assert all(w.valid_from == datetime.date(2025, 7, 1) and w.parent_id == city.pk for w in wards)
    assert wards.filter(code="p-ben-thanh", name="UBND phường Bến Thành").exists()
    for name in ("Sài Gòn", "Tân Định", "Cầu Ông Lãnh", "Bàn Cờ", "Xuân Hòa", "Nhiêu Lộc", "Chợ Quán",
                 "Chợ Lớn", "Bình Chánh", "Cần Giờ", "Côn Đảo"):
        assert wards.filter(name__endswith=name).exists(), name


def test_ended_districts_have_successors(seeded):
    ended = OrganisationUnit.objects.filter(kind=Kind.LOCAL_COMMITTEE, valid_to=datetime.date(2025, 6, 30))
    assert set(ended.values_list("local_level", flat=True)) == {"district", "rural_district", "city_within_city"}
    assert ended.count() >= 4
    for district in ended.select_related("successor"):
        assert district.successor is not None
        assert district.successor.is_valid_on(datetime.date(2025, 7, 1))
    assert ended.get(name="UBND huyện Bình Chánh").successor.name == "UBND xã Bình Chánh"


def test_every_unit_respects_its_parents_validity(seeded):
    for unit in OrganisationUnit.objects.select_related("parent"):
        unit.full_clean()
    kinds = set(OrganisationUnit.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    assert OrganisationUnit.objects.filter(kind=Kind.DIVISION, parent__code="so-xay-dung").count() >= 2
    assert OrganisationUnit.objects.filter(kind=Kind.DIVISION, parent__code="p-ben-thanh").exists()


def test_every_current_authority_has_a_head(seeded):
    authorities = OrganisationUnit.objects.current().filter(kind__in=OrganisationUnit.AUTHORITY_KINDS)
    headed = set(AuthorityMembership.objects.current().filter(role=Role.HEAD).values_list("authority_id", flat=True))
    assert [a.name for a in authorities if a.pk not in headed] == []


def test_a_few_hundred_officials_with_principal_posts(seeded):
    officials = User.objects.filter(username__startswith="canbo")
    assert officials.count() >= 300
    assert Post.objects.current().principal().filter(user__in=officials).count() == officials.count()
    assert len(set(officials.values_list("full_name", flat=True))) > 200
    categories = set(Post.objects.filter(user__in=officials).values_list("category", flat=True))
    assert categories == set(PositionCategory.values)
    # division heads are managed by their agency; agency directors by UBND Thành phố
    division_heads = Post.objects.filter(user__in=officials, is_head=True, unit__kind=Kind.DIVISION,
                                         unit__parent__kind=Kind.CITY_AGENCY)
    assert division_heads.exists()
    assert all(p.managing_authority_id == p.unit.parent_id for p in division_heads.select_related("unit"))
    directors = Post.objects.filter(user__in=officials, is_head=True, unit__kind=Kind.CITY_AGENCY)
    assert set(directors.values_list("managing_authority__code", flat=True)) == {"ubnd-tp"}
